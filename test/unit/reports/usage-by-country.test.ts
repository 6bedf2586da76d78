import fc from 'fast-check';
import { UsageByCountry } from '../../../src/domain/reports/usage-by-country';
import type { ReportedCall } from '../../../src/domain/reports/usage-by-country';
import { NO_USAGE, addUsage } from '../../../src/domain/usage';
import type { Usage } from '../../../src/domain/usage';

const call = (country: string, billingSeconds: number, type: 'flat_rate' | 'per_minute', resellerCost: number, customerCost: number): ReportedCall => ({
  country,
  billingSeconds,
  resellerCallType: type,
  resellerCost,
  customerCost,
});

const arbCall = fc.record({
  country: fc.constantFrom('US', 'DE', 'GB', 'MX', 'Other'),
  billingSeconds: fc.integer({ min: 0, max: 20_000 }),
  resellerCallType: fc.constantFrom('flat_rate' as const, 'per_minute' as const),
  resellerCost: fc.integer({ min: 0, max: 10_000_000 }),
  customerCost: fc.integer({ min: 0, max: 10_000_000 }),
});

const sumOf = (usages: Usage[]) => usages.reduce(addUsage, NO_USAGE);

describe('UsageByCountry', () => {
  it('splits by the reseller call type and rounds minutes per call', () => {
    const tally = new UsageByCountry();
    tally.addCall(call('US', 61, 'per_minute', 250, 400));
    tally.addCall(call('US', 60, 'flat_rate', 0, 100));
    tally.addCall(call('DE', 1, 'per_minute', 125, 200));
    expect(tally.byCountry()).toEqual([
      {
        country: 'DE',
        total: { calls: 1, billingSeconds: 1, billingMinutes: 1, resellerCost: 125, customerCost: 200 },
        flatRate: NO_USAGE,
        perMinute: { calls: 1, billingSeconds: 1, billingMinutes: 1, resellerCost: 125, customerCost: 200 },
      },
      {
        country: 'US',
        total: { calls: 2, billingSeconds: 121, billingMinutes: 3, resellerCost: 250, customerCost: 500 },
        flatRate: { calls: 1, billingSeconds: 60, billingMinutes: 1, resellerCost: 0, customerCost: 100 },
        perMinute: { calls: 1, billingSeconds: 61, billingMinutes: 2, resellerCost: 250, customerCost: 400 },
      },
    ]);
    expect(tally.total.total).toEqual({ calls: 3, billingSeconds: 122, billingMinutes: 4, resellerCost: 375, customerCost: 700 });
  });

  it('adds up: countries sum to the total, flat-rate plus per-minute is the total, order does not matter', () => {
    fc.assert(
      fc.property(fc.array(arbCall, { maxLength: 60 }), (calls) => {
        const tally = new UsageByCountry();
        for (const c of calls) tally.addCall(c);
        const rows = tally.byCountry();
        expect(sumOf(rows.map((r) => r.total))).toEqual(tally.total.total);
        for (const row of [...rows, tally.total]) expect(addUsage(row.flatRate, row.perMinute)).toEqual(row.total);
        expect(tally.total.total.calls).toBe(calls.length);
        expect(tally.total.total.resellerCost).toBe(calls.reduce((s, c) => s + c.resellerCost, 0));

        const reversed = new UsageByCountry();
        for (const c of [...calls].reverse()) reversed.addCall(c);
        expect(reversed.byCountry()).toEqual(rows);
      }),
    );
  });

  it('merges tallies as if their calls had been added to one', () => {
    fc.assert(
      fc.property(fc.array(fc.array(arbCall, { maxLength: 20 }), { maxLength: 5 }), (groups) => {
        const merged = new UsageByCountry();
        const flat = new UsageByCountry();
        for (const group of groups) {
          const tally = new UsageByCountry();
          for (const c of group) {
            tally.addCall(c);
            flat.addCall(c);
          }
          merged.addAll(tally);
        }
        expect(merged.byCountry()).toEqual(flat.byCountry());
        expect(merged.total).toEqual(flat.total);
        const restored = UsageByCountry.fromCountries(flat.byCountry());
        expect(restored.byCountry()).toEqual(flat.byCountry());
        expect(restored.total).toEqual(flat.total);
      }),
    );
  });
});
