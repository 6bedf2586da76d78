/**
 * Call usage totals: what the CDR report's summaries and the billing units add up. Each call's seconds are rounded up
 * to a whole minute on their own, so the minutes of a total are the sum of its calls' "Billing Minutes". Pure.
 */
import { sum } from './money';
import type { Units } from './money';

export interface Usage {
  readonly calls: number;
  readonly billingSeconds: number;
  /** Each call's seconds rounded up to a whole minute, summed: the CDR sheet's "Billing Minutes" add up to it. */
  readonly billingMinutes: number;
  /** What the account is charged. */
  readonly customerCost: Units;
  /** What the account's reseller is charged for the same calls. */
  readonly resellerCost: Units;
}

export const NO_USAGE: Usage = { calls: 0, billingSeconds: 0, billingMinutes: 0, customerCost: 0, resellerCost: 0 };

export function billingMinutes(billingSeconds: number): number {
  return Math.ceil(billingSeconds / 60);
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    calls: a.calls + b.calls,
    billingSeconds: a.billingSeconds + b.billingSeconds,
    billingMinutes: a.billingMinutes + b.billingMinutes,
    customerCost: sum([a.customerCost, b.customerCost]),
    resellerCost: sum([a.resellerCost, b.resellerCost]),
  };
}

/** The usage of one call. */
export function usageOfCall(call: Pick<Usage, 'billingSeconds' | 'customerCost' | 'resellerCost'>): Usage {
  return { calls: 1, billingSeconds: call.billingSeconds, billingMinutes: billingMinutes(call.billingSeconds), customerCost: call.customerCost, resellerCost: call.resellerCost };
}
