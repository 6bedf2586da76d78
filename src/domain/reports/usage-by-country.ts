/**
 * Usage totals of a report, per country and split flat-rate vs per-minute, built one call at a time so that a
 * cursor of any length feeds them in constant memory (a map entry per country, and there are a few hundred). Pure.
 *
 * The split follows the reseller call type: how the platform bills the reseller for the call. The customer's cost of
 * the call is counted on the same side, so each side's reseller and customer costs describe the same calls.
 */
import { sum } from '../money';
import type { Units } from '../money';
import type { CdrDoc } from '../../store/documents';

export type ReportedCall = Pick<CdrDoc, 'country' | 'billingSeconds' | 'resellerCallType' | 'resellerCost' | 'customerCost'>;

export interface Usage {
  readonly calls: number;
  readonly billingSeconds: number;
  /** Each call's seconds rounded up to a whole minute, summed: the CDR sheet's "Billing Minutes" add up to it. */
  readonly billingMinutes: number;
  readonly resellerCost: Units;
  readonly customerCost: Units;
}

export interface SplitUsage {
  readonly total: Usage;
  readonly flatRate: Usage;
  readonly perMinute: Usage;
}

export interface CountryUsage extends SplitUsage {
  readonly country: string;
}

export const NO_USAGE: Usage = { calls: 0, billingSeconds: 0, billingMinutes: 0, resellerCost: 0, customerCost: 0 };
export const NO_SPLIT_USAGE: SplitUsage = { total: NO_USAGE, flatRate: NO_USAGE, perMinute: NO_USAGE };

export function billingMinutes(billingSeconds: number): number {
  return Math.ceil(billingSeconds / 60);
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    calls: a.calls + b.calls,
    billingSeconds: a.billingSeconds + b.billingSeconds,
    billingMinutes: a.billingMinutes + b.billingMinutes,
    resellerCost: sum([a.resellerCost, b.resellerCost]),
    customerCost: sum([a.customerCost, b.customerCost]),
  };
}

export function addSplitUsage(a: SplitUsage, b: SplitUsage): SplitUsage {
  return { total: addUsage(a.total, b.total), flatRate: addUsage(a.flatRate, b.flatRate), perMinute: addUsage(a.perMinute, b.perMinute) };
}

function callUsage(call: ReportedCall): SplitUsage {
  const usage: Usage = {
    calls: 1,
    billingSeconds: call.billingSeconds,
    billingMinutes: billingMinutes(call.billingSeconds),
    resellerCost: call.resellerCost,
    customerCost: call.customerCost,
  };
  return call.resellerCallType === 'flat_rate'
    ? { total: usage, flatRate: usage, perMinute: NO_USAGE }
    : { total: usage, flatRate: NO_USAGE, perMinute: usage };
}

/** Usage per country, summed as calls (or whole tallies) are added. */
export class UsageByCountry {
  private readonly countries = new Map<string, SplitUsage>();
  private sum: SplitUsage = NO_SPLIT_USAGE;

  /** A tally again from its rows (as stored once an account's workbook is complete). */
  static fromCountries(rows: readonly CountryUsage[]): UsageByCountry {
    const tally = new UsageByCountry();
    for (const row of rows) tally.addCountry(row.country, row);
    return tally;
  }

  addCall(call: ReportedCall): void {
    this.addCountry(call.country, callUsage(call));
  }

  /** Another tally's countries (an account's, into the report's), so the summary's per-country rows are sums too. */
  addAll(other: UsageByCountry): void {
    for (const row of other.byCountry()) this.addCountry(row.country, row);
  }

  get total(): SplitUsage {
    return this.sum;
  }

  /** Sorted by country, so a report reads the same whatever order its calls came in. */
  byCountry(): CountryUsage[] {
    return [...this.countries]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([country, usage]) => ({ country, ...usage }));
  }

  private addCountry(country: string, usage: SplitUsage): void {
    this.countries.set(country, addSplitUsage(this.countries.get(country) ?? NO_SPLIT_USAGE, usage));
    this.sum = addSplitUsage(this.sum, usage);
  }
}
