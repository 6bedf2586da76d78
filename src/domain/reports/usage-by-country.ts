/**
 * Usage totals of a report, per country and split flat-rate vs per-minute, built one call at a time so that a
 * cursor of any length feeds them in constant memory (a map entry per country, and there are a few hundred). Pure.
 *
 * The split follows the reseller call type: how the platform bills the reseller for the call. The customer's cost of
 * the call is counted on the same side, so each side's reseller and customer costs describe the same calls.
 */
import type { CdrDoc } from '../../store/documents';
import { addUsage, NO_USAGE, usageOfCall } from '../usage';
import type { Usage } from '../usage';

export type ReportedCall = Pick<CdrDoc, 'country' | 'billingSeconds' | 'resellerCallType' | 'resellerCost' | 'customerCost'>;

export interface SplitUsage {
  readonly total: Usage;
  readonly flatRate: Usage;
  readonly perMinute: Usage;
}

export interface CountryUsage extends SplitUsage {
  readonly country: string;
}

export const NO_SPLIT_USAGE: SplitUsage = { total: NO_USAGE, flatRate: NO_USAGE, perMinute: NO_USAGE };

export function addSplitUsage(a: SplitUsage, b: SplitUsage): SplitUsage {
  return { total: addUsage(a.total, b.total), flatRate: addUsage(a.flatRate, b.flatRate), perMinute: addUsage(a.perMinute, b.perMinute) };
}

function callUsage(call: ReportedCall): SplitUsage {
  const usage = usageOfCall(call);
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
