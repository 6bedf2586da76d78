/**
 * A manual credit as an operator types it. Pure.
 *
 * A manual credit needs an idempotency handle: without one, running the same command twice by accident credits twice,
 * and a key made from the content alone would silently swallow a second credit that was meant. The operator may give
 * the request id (a ticket number); without one it is derived from the account, the amount, the reason and the
 * local date, so a repeated command on the same day is refused loudly (nothing credited, told why), never merged
 * silently, and a meant second credit only needs a new --request-id.
 */
import { createHash } from 'node:crypto';
import type { LocalDate } from './calendar';
import { creditKey } from './cause-keys';
import { parseUnitsDetailed, UNITS_PER_CENT, UNITS_PER_DOLLAR } from './money';
import type { Units } from './money';

export const MINIMUM_CREDIT: Units = 5 * UNITS_PER_DOLLAR;

export class CreditRequestError extends Error {}

/** Exactly from the decimal text: whole cents, at least $5. */
export function parseCreditAmount(text: string): Units {
  const fail = (expected: string): never => {
    throw new CreditRequestError(`AMOUNT: expected ${expected} (got ${JSON.stringify(text)})`);
  };
  let parsed: { units: Units; excessDigits: boolean } | undefined;
  try {
    parsed = parseUnitsDetailed(text.replace(/^\$/, ''));
  } catch {
    return fail('a decimal amount such as 25 or 25.50');
  }
  if (parsed.excessDigits || parsed.units % UNITS_PER_CENT !== 0) fail('whole cents (at most 2 decimals)');
  if (parsed.units < MINIMUM_CREDIT) fail('at least 5.00');
  return parsed.units;
}

export function derivedRequestId(account: string, amount: Units, reason: string, today: LocalDate): string {
  const digest = createHash('sha256').update(JSON.stringify([account, amount, reason.trim(), today])).digest('hex').slice(0, 12);
  return `${today}-${digest}`;
}

export function creditCauseKey(account: string, amount: Units, reason: string, today: LocalDate, requestId?: string): { requestId: string; key: string } {
  if (reason.trim() === '') throw new CreditRequestError('--reason: expected some text (got "")');
  const id = requestId ?? derivedRequestId(account, amount, reason, today);
  return { requestId: id, key: creditKey(account, id) };
}
