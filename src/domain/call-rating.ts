/**
 * Per-minute call cost, as KAZOO computes it (kapps_call_util:calculate_call/1,5 in core/kazoo_call):
 *   secs = billing seconds − offset
 *   secs <= no-charge time  -> 0
 *   secs <= minimum         -> surcharge + minimum/60·R
 *   otherwise               -> surcharge + minimum/60·R + ceil((secs − minimum)/increment)·increment/60·R
 * truncated toward zero to the unit. KAZOO evaluates it in floats and truncates once at the end; here the whole
 * sum is put over 60 as one integer numerator and divided once, so the result is the exact value truncated.
 */
import { MoneyError, divTrunc, formatUnits, mul, sum } from './money';
import type { Units } from './money';

export interface CallRatingInput {
  billingSeconds: number;
  /** Units per minute. */
  rate: Units;
  /** Seconds per billed slice after the minimum; 0 means the default, as in KAZOO. */
  increment?: number;
  /** Seconds billed at least, once the call is charged at all. */
  minimum?: number;
  /** Units charged once per charged call. */
  surcharge?: Units;
  /** Calls of this many seconds or fewer are free. */
  noChargeTime?: number;
  /** Seconds already paid some other way (KAZOO's Billing-Seconds-Offset, e.g. a per-minute allotment). */
  offset?: number;
}

export interface CallCost {
  cost: Units;
  /** Seconds the cost pays for: 0 when free, else the minimum plus whole increments. */
  billedSeconds: number;
  explanation: string;
}

/**
 * The defaults hotornot puts on a rated call when the rate document leaves a field out (hotornot_config:
 * default_rate_increment / default_rate_minimum / default_rate_nocharge_time / default_rate_surcharge; the same
 * values as the defaults of the crossbar `rates` schema).
 */
export const KAZOO_RATE_DEFAULTS = {
  increment: 60,
  minimum: 60,
  surcharge: 0,
  noChargeTime: 0,
  offset: 0,
} as const satisfies Required<Omit<CallRatingInput, 'billingSeconds' | 'rate'>>;

const SECONDS_PER_MINUTE = 60;

export function rateCall(input: CallRatingInput): CallCost {
  const billingSeconds = count(input.billingSeconds, 'billing seconds');
  const rate = units(input.rate, 'rate');
  const increment = count(input.increment ?? KAZOO_RATE_DEFAULTS.increment, 'increment') || KAZOO_RATE_DEFAULTS.increment;
  const minimum = count(input.minimum ?? KAZOO_RATE_DEFAULTS.minimum, 'minimum');
  const surcharge = units(input.surcharge ?? KAZOO_RATE_DEFAULTS.surcharge, 'surcharge');
  const noChargeTime = count(input.noChargeTime ?? KAZOO_RATE_DEFAULTS.noChargeTime, 'no-charge time');
  const offset = count(input.offset ?? KAZOO_RATE_DEFAULTS.offset, 'offset');

  const secs = billingSeconds - offset;
  // The no-charge time is never negative, so a call the offset covers entirely is free as well, as in KAZOO.
  if (secs <= noChargeTime) {
    return { cost: 0, billedSeconds: 0, explanation: `${secs}s after offset is within the no-charge time (${noChargeTime}s): free` };
  }
  const increments = secs <= minimum ? 0 : Math.ceil((secs - minimum) / increment);
  const billedSeconds = minimum + increments * increment;
  const numerator = sum([mul(surcharge, SECONDS_PER_MINUTE), mul(billedSeconds, rate)]);
  const cost = divTrunc(numerator, SECONDS_PER_MINUTE);
  const explanation =
    `${secs}s billed as ${minimum}s minimum + ${increments}×${increment}s = ${billedSeconds}s ` +
    `at ${formatUnits(rate, 4)}/min + surcharge ${formatUnits(surcharge, 4)}: ` +
    `${numerator}/60 units truncated to ${cost} (${formatUnits(cost, 4)})`;
  return { cost, billedSeconds, explanation };
}

function count(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a whole number of seconds >= 0: ${value}`);
  return value;
}

function units(value: Units, what: string): Units {
  if (!Number.isSafeInteger(value) || value < 0) throw new MoneyError(`${what} must be integer units >= 0: ${value}`);
  return value;
}
