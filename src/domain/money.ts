/**
 * Money is an integer count of units: 1 currency unit = 10,000 units, as in KAZOO.
 * Binary floats never hold money; decimals are parsed from their text and rounding happens only where a caller
 * names it (a line total, a prorated amount, a call cost), half away from zero.
 */
export type Units = number;

export const UNITS_PER_DOLLAR = 10_000;
export const UNITS_PER_CENT = 100;
const SCALE_DIGITS = 4;

export class MoneyError extends Error {}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

function assertSafe(value: number, what: string): Units {
  if (!Number.isSafeInteger(value)) throw new MoneyError(`${what} is outside the exact integer range: ${value}`);
  return value;
}

/**
 * Exact decimal text (or a JS number, read through its shortest round-trip text) to units.
 * Digits past the 4th decimal are rounded half away from zero; `excessDigits` tells callers (the plan validator) that it happened.
 */
export function parseUnits(input: string | number): Units {
  return parseUnitsDetailed(input).units;
}

export function parseUnitsDetailed(input: string | number): { units: Units; excessDigits: boolean } {
  const text = typeof input === 'number' ? numberToDecimalText(input) : input.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new MoneyError(`not a decimal amount: ${JSON.stringify(input)}`);
  const [, sign, whole = '0', fraction = ''] = match;
  const kept = fraction.slice(0, SCALE_DIGITS).padEnd(SCALE_DIGITS, '0');
  const dropped = fraction.slice(SCALE_DIGITS);
  let magnitude = BigInt(whole) * BigInt(UNITS_PER_DOLLAR) + BigInt(kept);
  if (dropped.length > 0 && dropped.charCodeAt(0) >= '5'.charCodeAt(0)) magnitude += 1n;
  const units = Number(sign === '-' ? -magnitude : magnitude);
  return { units: assertSafe(units, `amount ${text}`), excessDigits: /[1-9]/.test(dropped) };
}

function numberToDecimalText(value: number): string {
  if (!Number.isFinite(value)) throw new MoneyError(`not a finite amount: ${value}`);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // Exponent forms (1e-7, 1e21) are expanded exactly: toFixed is exact for the digits JS already chose.
  return Math.abs(value) < 1 ? value.toFixed(20).replace(/0+$/, '') : BigInt(value).toString();
}

/** numerator / denominator rounded half away from zero; exact for any safe integers. */
export function divRound(numerator: number, denominator: number): Units {
  if (denominator === 0) throw new MoneyError('division by zero');
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an * 2n + ad) / (ad * 2n);
  return assertSafe(Number(negative ? -q : q), 'quotient');
}

/** Truncation toward zero, for costs the rules say are truncated (per-minute call cost). */
export function divTrunc(numerator: number, denominator: number): Units {
  if (denominator === 0) throw new MoneyError('division by zero');
  return assertSafe(Number(BigInt(numerator) / BigInt(denominator)), 'quotient');
}

/** a * b for integer operands, refusing results JS numbers cannot hold exactly. */
export function mul(a: number, b: number): Units {
  return assertSafe(a * b, `${a} x ${b}`);
}

export function sum(values: Iterable<Units>): Units {
  let total = 0;
  for (const v of values) total += v;
  return assertSafe(total, 'sum');
}

/** Card charges are whole cents: units rounded half away from zero to a multiple of 100. */
export function roundToCents(units: Units): Units {
  return divRound(units, UNITS_PER_CENT) * UNITS_PER_CENT;
}

/** Units as decimal text with a fixed number of decimals (2 for amounts, 4 where a rate needs it), rounding half away. */
export function formatUnits(units: Units, decimals: 2 | 4 = 2): string {
  const scaled = decimals === 4 ? units : divRound(units, 10 ** (SCALE_DIGITS - decimals));
  const negative = scaled < 0;
  const digits = String(Math.abs(scaled)).padStart(decimals + 1, '0');
  const text = `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${text}` : text;
}

/** Decimal text with no trailing zeros beyond 2 decimals: 149.95, 0.5 -> "0.50", 0.1234 -> "0.1234". */
export function formatRate(units: Units): string {
  return units % UNITS_PER_CENT === 0 ? formatUnits(units, 2) : formatUnits(units, 4);
}

/** Display form for people: "$1,234.50" / "-$3.00". */
export function formatMoney(units: Units, decimals: 2 | 4 = 2): string {
  const text = formatUnits(units, decimals);
  const negative = text.startsWith('-');
  const [whole = '0', fraction] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${grouped}.${fraction ?? ''}`;
}
