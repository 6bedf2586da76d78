/**
 * Usage by phone number, the form in which calls reach billing units. A call belongs to the account's number it
 * used: an outbound call to the number it was made from (`fromNumber`, else its caller id), an inbound call to the
 * number that was called (`toNumber`). Pure.
 */
import type { Units } from '../money';
import { addUsage, NO_USAGE, usageOfCall } from '../usage';
import type { Usage } from '../usage';
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

/** Usage per canonical phone number (see canonicalNumber). */
export type UsageByNumber = Map<string, Usage>;

export function attributedNumber(call: Pick<CallForUnits, 'direction' | 'callerId' | 'fromNumber' | 'toNumber'>): string {
  if (call.direction === 'inbound') return canonicalNumber(call.toNumber);
  const from = call.fromNumber?.trim();
  return canonicalNumber(from ? from : call.callerId);
}

/** Adds one call; for streams too long to hold (a cursor), one call at a time. */
export function addCall(tally: UsageByNumber, call: CallForUnits): void {
  const number = attributedNumber(call);
  tally.set(number, addUsage(tally.get(number) ?? NO_USAGE, usageOfCall(call)));
}

export function tallyCalls(calls: Iterable<CallForUnits>): UsageByNumber {
  const tally: UsageByNumber = new Map();
  for (const call of calls) addCall(tally, call);
  return tally;
}
