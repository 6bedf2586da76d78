/**
 * Usage by phone number, the form in which calls reach billing units. A call belongs to the account's number it
 * used: an outbound call to the number it was made from (`fromNumber`, else its caller id), an inbound call to the
 * number that was called (`toNumber`). Pure.
 */
import { sum } from '../money';
import type { Units } from '../money';
import { canonicalNumber } from './identifiers';

export interface CallForUnits {
  readonly direction: 'inbound' | 'outbound';
  readonly callerId: string;
  readonly fromNumber?: string | null;
  readonly toNumber: string;
  readonly billingSeconds: number;
  readonly customerCost: Units;
  readonly resellerCost: Units;
}

export interface UsageTotals {
  readonly calls: number;
  readonly billingSeconds: number;
  /** Each call's seconds rounded up to a minute, summed, as the CDR report's "Billing Minutes". */
  readonly billingMinutes: number;
  /** What the account is charged. */
  readonly customerCost: Units;
  /** What the account's reseller is charged for the same calls. */
  readonly resellerCost: Units;
}

/** Usage per canonical phone number (see canonicalNumber). */
export type UsageByNumber = Map<string, UsageTotals>;

export const NO_USAGE: UsageTotals = { calls: 0, billingSeconds: 0, billingMinutes: 0, customerCost: 0, resellerCost: 0 };

export function attributedNumber(call: Pick<CallForUnits, 'direction' | 'callerId' | 'fromNumber' | 'toNumber'>): string {
  if (call.direction === 'inbound') return canonicalNumber(call.toNumber);
  const from = call.fromNumber?.trim();
  return canonicalNumber(from ? from : call.callerId);
}

export function addUsage(a: UsageTotals, b: UsageTotals): UsageTotals {
  return {
    calls: a.calls + b.calls,
    billingSeconds: a.billingSeconds + b.billingSeconds,
    billingMinutes: a.billingMinutes + b.billingMinutes,
    customerCost: sum([a.customerCost, b.customerCost]),
    resellerCost: sum([a.resellerCost, b.resellerCost]),
  };
}

function usageOf(call: CallForUnits): UsageTotals {
  return {
    calls: 1,
    billingSeconds: call.billingSeconds,
    billingMinutes: Math.ceil(call.billingSeconds / 60),
    customerCost: call.customerCost,
    resellerCost: call.resellerCost,
  };
}

/** Adds one call; for streams too long to hold (a cursor), one call at a time. */
export function addCall(tally: UsageByNumber, call: CallForUnits): void {
  const number = attributedNumber(call);
  tally.set(number, addUsage(tally.get(number) ?? NO_USAGE, usageOf(call)));
}

export function tallyCalls(calls: Iterable<CallForUnits>): UsageByNumber {
  const tally: UsageByNumber = new Map();
  for (const call of calls) addCall(tally, call);
  return tally;
}
