import fc from 'fast-check';
import { allocateToBillingUnits, roundedToCents, tallyCalls, unitReport } from '../../../src/domain/billing-units';
import type { UnitReport } from '../../../src/domain/billing-units';
import { roundToCents } from '../../../src/domain/money';
import { planOf } from '../plans/helpers';

const A = '+14155550101';
const B = '+14155550102';

function report(costs: readonly number[]): UnitReport {
  // Three numbers sharing a $1 line (a manual quantity of 1): 0.3334 + 0.3333 + 0.3333; usage per number as given.
  const inventory = [A, B, '+14155550103'].map((label, i) => ({ _id: `n/${i}`, kind: 'phone_number' as const, type: 'did_us', label }));
  const calls = costs.map((customerCost, i) => ({ direction: 'outbound' as const, callerId: inventory[i % 3]!.label, toNumber: '+1', billingSeconds: 30, customerCost, resellerCost: 0 }));
  return unitReport(
    allocateToBillingUnits({
      units: [
        { id: 'bu-1', name: 'Sales', numbers: [A], users: [] },
        { id: 'bu-2', name: 'Support', numbers: [B], users: [] },
      ],
      inventory,
      plan: planOf({ phone_numbers: { did_us: { rate: 1 } } }),
      quantities: { manual: { phone_numbers: { did_us: 1 } } },
      usage: tallyCalls(calls),
    }),
  );
}

describe('the by-unit report', () => {
  it('has a row per unit, then Unassigned, then the total, in exact units', () => {
    const r = report([15, 25, 35]);
    expect(r.rows.map((row) => [row.label, row.unitId, row.numbers, row.calls, row.usage, row.recurring, row.total])).toEqual([
      ['Sales', 'bu-1', 1, 1, 15, 3334, 3349],
      ['Support', 'bu-2', 1, 1, 25, 3333, 3358],
      ['Unassigned', '', 1, 1, 35, 3333, 3368],
    ]);
    expect(r.total).toMatchObject({ label: 'Total', numbers: 3, calls: 3, billingMinutes: 3, usage: 75, recurring: 10_000, total: 10_075 });
  });

  it('rounded to cents, still adds up down each column and across each row', () => {
    const r = roundedToCents(report([15, 25, 35]));
    expect(r.rows.map((row) => [row.usage, row.recurring, row.total])).toEqual([
      [0, 3400, 3400],
      [0, 3300, 3300],
      [100, 3300, 3400],
    ]);
    expect(r.total).toMatchObject({ usage: 100, recurring: 10_000, total: 10_100 });
  });

  it('rounded to cents, the columns foot and the rows cross-foot for any usage', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 12 }), (costs) => {
        const exact = report(costs);
        const r = roundedToCents(exact);
        for (const column of ['usage', 'recurring', 'total'] as const) {
          expect(r.rows.reduce((s, row) => s + row[column], 0)).toBe(r.total[column]);
        }
        r.rows.forEach((row) => expect(row.total).toBe(row.usage + row.recurring));
        expect(r.total.usage).toBe(roundToCents(exact.total.usage));
      }),
    );
  });
});
