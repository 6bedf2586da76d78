import { mul, MoneyError, sum } from '../money';
import type { Units } from '../money';
import { tier, topKey } from './tiers';
import type { PlanItem } from './types';

/*
 * KAZOO 4.3 item arithmetic for one quantity (rules 4-8): billable, rate, discounts and line total.
 * Everything is integers (quantities and units), so nothing is rounded; mul/sum refuse inexact results.
 */

export type RateSource =
  | { readonly kind: 'flat_rates'; readonly key: number }
  | { readonly kind: 'flat_rate' }
  | { readonly kind: 'rates'; readonly key: number }
  | { readonly kind: 'rate' }
  | { readonly kind: 'above_top_tier'; readonly top: number }
  | { readonly kind: 'none' };

/** Why a configured discount gave nothing. */
export type DiscountSkip = { readonly kind: 'no_plan_rate' } | { readonly kind: 'below_minimum'; readonly minimum: number };

export interface CumulativeOutcome {
  readonly quantity: number;
  readonly rate: Units;
  /** The discount's own `maximum` (default 0) capped the discounted quantity. */
  readonly capped: boolean;
  readonly tierKey?: number;
}

export interface Priced {
  readonly quantity: number;
  /** ceil(quantity / step) * step, before minimum and maximum. */
  readonly stepped: number;
  readonly limit?: { readonly kind: 'minimum' | 'maximum'; readonly value: number };
  readonly billable: number;
  readonly rate: Units;
  readonly rateSource: RateSource;
  readonly single: Units;
  readonly singleSkipped?: DiscountSkip;
  readonly cumulative: CumulativeOutcome;
  readonly cumulativeSkipped?: DiscountSkip;
  readonly total: Units;
}

/** Smallest multiple of `step` >= quantity, in integer arithmetic. */
function stepUp(quantity: number, step: number): number {
  const remainder = quantity % step;
  const result = remainder === 0 ? quantity : quantity + (step - remainder);
  if (!Number.isSafeInteger(result)) throw new MoneyError(`quantity ${quantity} stepped by ${step} is outside the exact integer range`);
  return result;
}

/** Rule 4. */
function billableOf(item: PlanItem, quantity: number): Pick<Priced, 'stepped' | 'limit' | 'billable'> {
  const stepped = stepUp(quantity, item.step);
  if (item.minimum !== undefined) {
    const minimum = stepUp(item.minimum, item.step);
    if (stepped < minimum) return { stepped, limit: { kind: 'minimum', value: minimum }, billable: minimum };
  }
  if (item.maximum !== undefined) {
    const maximum = stepUp(item.maximum, item.step);
    if (stepped > maximum) return { stepped, limit: { kind: 'maximum', value: maximum }, billable: maximum };
  }
  return { stepped, billable: stepped };
}

/** Rule 6: a flat rate bills the item once, so billable becomes 1. */
function rateOf(item: PlanItem, billable: number): { rate: Units; source: RateSource; billable: number } {
  const flat = tier(item.flatRates, billable);
  if (flat !== undefined) return { rate: flat.rate, source: { kind: 'flat_rates', key: flat.key }, billable: 1 };
  if (item.flatRate !== undefined && item.flatRate > 0) return { rate: item.flatRate, source: { kind: 'flat_rate' }, billable: 1 };
  const tiered = tier(item.rates, billable);
  if (tiered !== undefined) return { rate: tiered.rate, source: { kind: 'rates', key: tiered.key }, billable };
  if (item.rate !== undefined) return { rate: item.rate, source: { kind: 'rate' }, billable };
  const tops = [topKey(item.rates), topKey(item.flatRates)].filter((key) => key !== undefined);
  return { rate: 0, source: tops.length === 0 ? { kind: 'none' } : { kind: 'above_top_tier', top: Math.max(...tops) }, billable };
}

/** Rule 7: discounts need the plan's own `rate` > 0 and billable >= the discount's minimum (default 1). */
function discountSkip(item: PlanItem, billable: number, minimum: number | undefined): DiscountSkip | undefined {
  if (item.rate === undefined || item.rate <= 0) return { kind: 'no_plan_rate' };
  const needed = minimum ?? 1;
  return billable >= needed ? undefined : { kind: 'below_minimum', minimum: needed };
}

const NO_CUMULATIVE: CumulativeOutcome = { quantity: 0, rate: 0, capped: false };

export function priceItem(item: PlanItem, quantity: number): Priced {
  const limited = billableOf(item, quantity);
  const { rate, source, billable } = rateOf(item, limited.billable);

  const single = item.singleDiscount;
  const singleSkipped = single === undefined ? undefined : discountSkip(item, billable, single.minimum);
  const singleAmount = single === undefined || singleSkipped !== undefined ? 0 : (single.rate ?? item.rate ?? 0);

  const discount = item.cumulativeDiscount;
  const cumulativeSkipped = discount === undefined ? undefined : discountSkip(item, billable, discount.minimum);
  let cumulative = NO_CUMULATIVE;
  if (discount !== undefined && cumulativeSkipped === undefined) {
    const maximum = discount.maximum ?? 0;
    const discounted = maximum < billable ? maximum : billable;
    const tiered = tier(discount.rates, discounted);
    cumulative = {
      quantity: discounted,
      rate: tiered?.rate ?? discount.rate ?? item.rate ?? 0,
      capped: maximum < billable,
      ...(tiered === undefined ? {} : { tierKey: tiered.key }),
    };
  }

  const total = sum([mul(billable, rate), -singleAmount, -mul(cumulative.quantity, cumulative.rate)]);
  return {
    quantity,
    stepped: limited.stepped,
    ...(limited.limit === undefined ? {} : { limit: limited.limit }),
    billable,
    rate,
    rateSource: source,
    single: singleAmount,
    ...(singleSkipped === undefined ? {} : { singleSkipped }),
    cumulative,
    ...(cumulativeSkipped === undefined ? {} : { cumulativeSkipped }),
    total,
  };
}
