import fc from 'fast-check';
import { allocateToBillingUnits } from '../../../src/domain/billing-units';
import type { AllocatedResource, AllocationInput, BillingUnitAllocation } from '../../../src/domain/billing-units';
import type { Usage } from '../../../src/domain/usage';
import { countInventory } from '../../../src/domain/inventory-count';
import { evaluate } from '../../../src/domain/plans';
import type { QuantityLayers } from '../../../src/domain/plans';
import { planOf } from '../plans/helpers';

// Generated accounts: inventory, units holding some of its numbers (and numbers it no longer has) and users, a plan
// over the categories units share and those they do not, quantities with cascade and manual layers, and usage.

const NUMBERS = ['+14155550101', '+14155550102', '+14155550103', '+14155550104', '+14155550105', '+14155550106'];
const USER_IDS = ['u/1', 'u/2', 'u/3', 'u/4', 'u/5'];
const CATEGORY_ITEMS: Record<string, string[]> = {
  phone_numbers: ['_all', 'did_us', 'tollfree_us'],
  number_services: ['_all', 'e911', 'inbound_cnam'],
  users: ['_all', 'user', 'admin'],
  devices: ['_all', 'sip_device'],
  limits: ['twoway_trunks'],
};

const amount = fc.integer({ min: 0, max: 500_000 }).map((u) => u / 10_000);
const count = fc.integer({ min: 0, max: 8 });

const item = fc.record(
  {
    rate: amount,
    rates: fc.dictionary(fc.integer({ min: 1, max: 8 }).map(String), amount, { maxKeys: 2 }),
    flat_rate: amount,
    minimum: count,
    maximum: count,
    step: fc.integer({ min: 1, max: 3 }),
    cascade: fc.boolean(),
    exceptions: fc.subarray(['did_us', 'e911', 'admin']),
    discounts: fc.record({ single: fc.record({ rate: amount }), cumulative: fc.record({ rate: amount, maximum: count }) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const body = fc
  .subarray(Object.keys(CATEGORY_ITEMS), { minLength: 1 })
  .chain((categories) =>
    fc.tuple(...categories.map((c) => fc.dictionary(fc.constantFrom(...CATEGORY_ITEMS[c]!), item, { minKeys: 1, maxKeys: 2 }).map((items) => [c, items] as const))),
  )
  .map((entries) => Object.fromEntries(entries));

const numberResource = (label: string, i: number) =>
  fc
    .record({ type: fc.constantFrom('did_us', 'tollfree_us'), features: fc.subarray(['e911', 'inbound_cnam']) })
    .map((r): AllocatedResource => ({ _id: `n/${i}`, kind: 'phone_number', label, ...r }));

const inventory: fc.Arbitrary<AllocatedResource[]> = fc
  .tuple(
    fc.tuple(...NUMBERS.map(numberResource)).chain((all) => fc.subarray(all)),
    fc.subarray(USER_IDS).chain((ids) => fc.tuple(...ids.map((id) => fc.constantFrom('user', 'admin').map((type): AllocatedResource => ({ _id: id, kind: 'user', type }))))),
    fc.integer({ min: 0, max: 3 }).map((n) => Array.from({ length: n }, (_, i): AllocatedResource => ({ _id: `d/${i}`, kind: 'device', type: 'sip_device' }))),
    fc.option(count.map((n): AllocatedResource => ({ _id: 'limits', kind: 'limits', type: 'trunks', counts: { twoway_trunks: n } })), { nil: undefined }),
  )
  .map(([numbers, users, devices, limits]) => [...numbers, ...users, ...devices, ...(limits ? [limits] : [])]);

/** Each number goes to one unit or none (index -1); users go to any units. */
const units = fc.integer({ min: 0, max: 4 }).chain((n) =>
  fc
    .tuple(
      fc.tuple(...NUMBERS.map(() => fc.integer({ min: -1, max: n - 1 }))),
      fc.array(fc.subarray(USER_IDS), { minLength: n, maxLength: n }),
    )
    .map(([holders, users]) =>
      users.map((members, u) => ({ id: `unit-${u}`, name: `Unit ${u}`, numbers: NUMBERS.filter((_, i) => holders[i] === u), users: members })),
    ),
);

const counts = fc.dictionary(fc.constantFrom('phone_numbers', 'users', 'devices'), fc.dictionary(fc.constantFrom('did_us', 'user', 'sip_device'), count, { maxKeys: 2 }), { maxKeys: 2 });

const usageTotals: fc.Arbitrary<Usage> = fc.record({
  calls: fc.integer({ min: 1, max: 100 }),
  billingSeconds: fc.integer({ min: 0, max: 10_000 }),
  billingMinutes: fc.integer({ min: 0, max: 200 }),
  customerCost: fc.integer({ min: 0, max: 10_000_000 }),
  resellerCost: fc.integer({ min: 0, max: 10_000_000 }),
});

const usage = fc.dictionary(fc.constantFrom(...NUMBERS, '+442071234567', 'anonymous'), usageTotals).map((byNumber) => new Map(Object.entries(byNumber)));

const input: fc.Arbitrary<AllocationInput> = fc
  .record({ inventory, units, body, cascade: counts, manual: counts, usage })
  .map(({ inventory: items, units: held, body: planBody, cascade, manual, usage: byNumber }) => ({
    units: held,
    inventory: items,
    plan: planOf(planBody),
    quantities: { account: countInventory(items), cascade, manual } satisfies QuantityLayers,
    usage: byNumber,
  }));

const rows = (a: BillingUnitAllocation) => [...a.units, a.unassigned];
const total = (values: number[]) => values.reduce((s, v) => s + v, 0);
const USAGE_FIELDS = ['calls', 'billingSeconds', 'billingMinutes', 'customerCost', 'resellerCost'] as const;

describe('allocation properties', () => {
  it('the units and "Unassigned" add up to the account exactly: line by line, recurring, usage and total', () => {
    fc.assert(
      fc.property(input, (given) => {
        const a = allocateToBillingUnits(given);
        const evaluation = evaluate(given.plan, given.quantities);
        expect(a.account.recurring).toBe(evaluation.recurring);
        a.lines.forEach((line, i) => expect(total(rows(a).map((r) => r.recurringByLine[i]!))).toBe(line.total));
        expect(total(rows(a).map((r) => r.recurring))).toBe(a.account.recurring);
        expect(total(rows(a).map((r) => r.total))).toBe(a.account.total);
        for (const field of USAGE_FIELDS) {
          expect(total(rows(a).map((r) => r.usage[field]))).toBe(total([...given.usage.values()].map((u) => u[field])));
        }
        rows(a).forEach((r) => expect(r.total).toBe(r.recurring + r.usage.customerCost));
      }),
      { numRuns: 300 },
    );
  });

  it('gives a unit with no numbers and no users nothing', () => {
    fc.assert(
      fc.property(input, (given) => {
        const a = allocateToBillingUnits({ ...given, units: [...given.units, { id: 'empty', name: 'Empty', numbers: [], users: [] }] });
        const empty = a.units.at(-1)!;
        expect(empty.recurring).toBe(0);
        expect(empty.recurringByLine.every((v) => v === 0)).toBe(true);
        expect(empty.usage.calls).toBe(0);
      }),
    );
  });

  it('gives the same result whatever order the inventory and the usage come in', () => {
    fc.assert(
      fc.property(input, (given) => {
        const reordered = { ...given, inventory: [...given.inventory].reverse(), usage: new Map([...given.usage].reverse()) };
        expect(allocateToBillingUnits(reordered)).toEqual(allocateToBillingUnits(given));
      }),
    );
  });

  it('with no units, leaves everything unassigned', () => {
    fc.assert(
      fc.property(input, (given) => {
        const a = allocateToBillingUnits({ ...given, units: [] });
        expect(a.unassigned.total).toBe(a.account.total);
        expect(a.unassigned.recurringByLine).toEqual(a.account.recurringByLine);
      }),
    );
  });
});
