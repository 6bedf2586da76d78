import fc from 'fast-check';
import { ALL_ACCOUNTS, ALL_COUNTRIES, SUMMARY_QUANTITIES, SUMMARY_TABLE_COLUMNS, USAGE_COLUMNS, accountSummary, countryTable, summaryQuantities, summaryTable } from '../../../src/domain/reports/summary';
import { UsageByCountry } from '../../../src/domain/reports/usage-by-country';
import type { AccountFacts } from '../../../src/domain/reports/summary';

const facts = (accountId: string, quantities: number[]): AccountFacts => ({ accountId, name: `Name of ${accountId}`, timezone: 'UTC', quantities, quantitiesAt: null });

function tally(calls: [string, number, 'flat_rate' | 'per_minute', number, number][]): UsageByCountry {
  const usage = new UsageByCountry();
  for (const [country, billingSeconds, resellerCallType, resellerCost, customerCost] of calls) usage.addCall({ country, billingSeconds, resellerCallType, resellerCost, customerCost });
  return usage;
}

describe('summaryQuantities', () => {
  it("lists the seed's items, manual quantities winning over counted ones, zero when absent", () => {
    expect(SUMMARY_QUANTITIES).toHaveLength(19);
    const values = summaryQuantities({ account: { devices: { sip_device: 4, softphone: 2 }, users: { user: 7 } }, manual: { devices: { softphone: 0 }, ips: { dedicated: 1 } } });
    const at = (label: string) => values[SUMMARY_QUANTITIES.findIndex((q) => q.label === label)];
    expect(at('SIP Devices')).toBe(4);
    expect(at('Softphone Devices')).toBe(0);
    expect(at('Dedicated IPs')).toBe(1);
    expect(at('Users')).toBe(7);
    expect(at('US DIDs')).toBe(0);
    expect(summaryQuantities(null)).toEqual(SUMMARY_QUANTITIES.map(() => 0));
  });
});

describe('account sheets', () => {
  const usage = tally([
    ['US', 30, 'per_minute', 100, 150],
    ['DE', 90, 'flat_rate', 0, 300],
  ]);

  it('By country: a row per country and the total', () => {
    const table = countryTable(usage);
    expect(table.columns.map((c) => c.header)).toEqual(['Country', ...USAGE_COLUMNS.map((c) => c.header)]);
    expect(table.rows).toEqual([
      ['DE', 1, 2, 0, 300, 1, 2, 0, 300, 0, 0, 0, 0],
      ['US', 1, 1, 100, 150, 0, 0, 0, 0, 1, 1, 100, 150],
      [ALL_COUNTRIES, 2, 3, 100, 450, 1, 2, 0, 300, 1, 1, 100, 150],
    ]);
  });

  it('Summary: the seed list, the period, the usage totals', () => {
    const items = accountSummary(facts('a1', SUMMARY_QUANTITIES.map((_, i) => i)), { from: '2026-03-01', to: '2026-03-31' }, usage);
    expect(items.slice(0, 3).map((i) => [i.label, i.value])).toEqual([
      ['Account ID', 'a1'],
      ['Name', 'Name of a1'],
      ['Branding White Label', 0],
    ]);
    expect(items.find((i) => i.label === 'Ledgers Per Minute')?.value).toBe(18);
    expect(items.find((i) => i.label === 'Customer Cost')).toEqual({ label: 'Customer Cost', kind: 'money', value: 450 });
    expect(items.find((i) => i.label === 'Period To')?.value).toBe('2026-03-31');
  });
});

describe('summaryTable', () => {
  const arbCall = fc.tuple(fc.constantFrom('US', 'DE', 'FR'), fc.nat(5000), fc.constantFrom('flat_rate' as const, 'per_minute' as const), fc.nat(100_000), fc.nat(100_000));
  const arbAccounts = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.array(fc.nat(50), { minLength: 19, maxLength: 19 }), fc.array(arbCall, { maxLength: 15 })), {
    maxLength: 5,
    selector: ([id]) => id,
  });

  it('adds up: account rows sum to the all-accounts row, country rows to their account row', () => {
    fc.assert(
      fc.property(arbAccounts, (specs) => {
        const accounts = specs.map(([id, quantities, calls]) => ({ facts: facts(id, quantities), usage: tally(calls) }));
        const { columns, rows } = summaryTable(accounts);
        expect(columns).toBe(SUMMARY_TABLE_COLUMNS);
        for (const row of rows) expect(row).toHaveLength(columns.length);
        const numeric = (row: readonly unknown[]) => row.slice(3).map((v) => (v === null ? 0 : (v as number)));
        const add = (a: number[], b: number[]) => a.map((v, i) => v + (b[i] ?? 0));
        const accountRows = rows.filter((r) => r[0] !== ALL_ACCOUNTS && r[2] === ALL_COUNTRIES);
        expect(accountRows.map((r) => r[0])).toEqual(specs.map(([id]) => id));
        const total = rows.find((r) => r[0] === ALL_ACCOUNTS && r[2] === ALL_COUNTRIES)!;
        expect(numeric(total)).toEqual(accountRows.map(numeric).reduce(add, numeric(total).map(() => 0)));
        for (const id of [...specs.map(([i]) => i), ALL_ACCOUNTS]) {
          const own = rows.filter((r) => r[0] === id);
          const countries = own.filter((r) => r[2] !== ALL_COUNTRIES);
          const usageOnly = (r: readonly unknown[]) => numeric(r).slice(SUMMARY_QUANTITIES.length);
          expect(countries.map(usageOnly).reduce(add, usageOnly(own[0]!).map(() => 0))).toEqual(usageOnly(own[0]!));
          for (const c of countries) expect(c.slice(3, 3 + SUMMARY_QUANTITIES.length).every((v) => v === null)).toBe(true);
        }
      }),
    );
  });
});
