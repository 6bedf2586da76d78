import fc from 'fast-check';
import { evaluate, mergePlans, parsePlanDocument, parsePlanOverrides } from '../../../src/domain/plans';
import type { Plan, PlanDocument, PlanItem, QuantityLayers } from '../../../src/domain/plans';

// Property tests over generated plans and quantities. Money is generated as whole units and written either as
// decimal text or as a JS number, the two ways plans arrive.

const CATEGORIES = ['devices', 'phone_numbers', 'users'];
const ITEMS = ['_all', 'sip_device', 'softphone', 'did_us', 'user'];

const units = fc.integer({ min: 0, max: 5_000_000 });
const money = fc.oneof(
  units.map((u) => `${Math.trunc(u / 10_000)}.${String(u % 10_000).padStart(4, '0')}`),
  units.map((u) => u / 10_000),
);
const count = fc.integer({ min: 0, max: 60 });
const table = fc.dictionary(fc.integer({ min: 0, max: 60 }).map(String), money, { maxKeys: 4 });

const item = fc.record(
  {
    rate: money,
    rates: table,
    flat_rate: money,
    flat_rates: table,
    activation_charge: money,
    minimum: count,
    maximum: count,
    step: fc.integer({ min: 1, max: 5 }),
    cascade: fc.constantFrom(true, false, 'true', 'false'),
    as: fc.constantFrom('renamed', 'other'),
    exceptions: fc.subarray(ITEMS.slice(1)),
    discounts: fc.record(
      {
        single: fc.record({ rate: money, minimum: count }, { requiredKeys: [] }),
        cumulative: fc.record({ rate: money, rates: table, maximum: count, minimum: count }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

const body = fc.dictionary(fc.constantFrom(...CATEGORIES), fc.dictionary(fc.constantFrom(...ITEMS), item, { maxKeys: 3 }), { maxKeys: 3 });

const document = fc.record(
  {
    plan: body,
    merge: fc.record({ strategy: fc.constantFrom('simple', 'recursive', 'cumulative'), priority: fc.integer({ min: 0, max: 3 }) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['plan'] },
);

const counts = fc.dictionary(fc.constantFrom(...CATEGORIES), fc.dictionary(fc.constantFrom(...ITEMS.slice(1)), count, { maxKeys: 4 }), { maxKeys: 3 });
const layers: fc.Arbitrary<QuantityLayers> = fc.record({ account: counts, cascade: counts, manual: counts }, { requiredKeys: [] });

function parsed(json: unknown): PlanDocument {
  const result = parsePlanDocument(json);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.document;
}

/** The same JSON with every object's keys inserted in an order drawn from `seed`. */
function reorderKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => reorderKeys(v, seed));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  let state = seed;
  for (let i = entries.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, reorderKeys(v, state + k.length)]));
}

describe('merging', () => {
  it('is deterministic and leaves its inputs alone', () => {
    fc.assert(
      fc.property(fc.array(document, { minLength: 1, maxLength: 4 }), body, (docs, json) => {
        const plans = docs.map(parsed);
        const overrides = parsePlanOverrides(json).overrides;
        const before = structuredClone(plans);
        const first = mergePlans(plans, overrides);
        expect(mergePlans(plans, overrides)).toEqual(first);
        expect(plans).toEqual(before);
      }),
    );
  });

  it('does not depend on the order keys were inserted in', () => {
    fc.assert(
      fc.property(fc.array(document, { minLength: 1, maxLength: 4 }), fc.nat(), (docs, seed) => {
        const plain = mergePlans(docs.map(parsed));
        const reordered = mergePlans(docs.map((doc) => parsed(reorderKeys(doc, seed))));
        expect(reordered).toEqual(plain);
      }),
    );
  });
});

describe('evaluation', () => {
  const mergedPlan = fc.array(document, { minLength: 1, maxLength: 3 }).map((docs) => mergePlans(docs.map(parsed)));

  it('totals equal the sum of the lines', () => {
    fc.assert(
      fc.property(mergedPlan, layers, layers, (plan, now, before) => {
        const evaluation = evaluate(plan, now, before);
        expect(evaluation.recurring).toBe(evaluation.items.reduce((sum, line) => sum + line.total, 0));
        expect(evaluation.activation).toBe(evaluation.items.reduce((sum, line) => sum + (line.activation ?? 0), 0));
      }),
    );
  });

  it('never loses precision: every amount is a safe integer matching a BigInt reference', () => {
    fc.assert(
      fc.property(mergedPlan, layers, (plan, quantities) => {
        const evaluation = evaluate(plan, quantities);
        plan.items.forEach((planItem, index) => {
          const line = evaluation.items[index]!;
          for (const amount of [line.rate, line.total, line.discounts.single, line.discounts.cumulative.rate]) expect(Number.isSafeInteger(amount)).toBe(true);
          expect(BigInt(line.total)).toBe(referenceTotal(planItem, BigInt(line.quantity)));
        });
        const reference = plan.items.reduce((sum, planItem, index) => sum + referenceTotal(planItem, BigInt(evaluation.items[index]!.quantity)), 0n);
        expect(BigInt(evaluation.recurring)).toBe(reference);
      }),
    );
  });

  it('against zero quantities charges only flat-rate and minimum items', () => {
    fc.assert(
      fc.property(mergedPlan, (plan: Plan) => {
        const evaluation = evaluate(plan, {});
        plan.items.forEach((planItem, index) => {
          const chargesAtZero = planItem.flatRates !== undefined || (planItem.flatRate ?? 0) > 0 || (planItem.minimum ?? 0) > 0;
          // A discount whose minimum is 0 applies at billable 0 and credits the line (KAZOO does the same; the validator warns).
          const creditsAtZero = planItem.singleDiscount?.minimum === 0 || planItem.cumulativeDiscount?.minimum === 0;
          const { total } = evaluation.items[index]!;
          if (!chargesAtZero) expect(total).toBeLessThanOrEqual(0);
          if (!chargesAtZero && !creditsAtZero) expect(total).toBe(0);
        });
      }),
      { numRuns: 500 },
    );
  });
});

/** Rules 4-8 written again, plainly, in BigInt: the oracle for the precision property. */
function referenceTotal(planItem: PlanItem, quantity: bigint): bigint {
  const big = (n: number | undefined) => (n === undefined ? undefined : BigInt(n));
  const tierOf = (t: PlanItem['rates'], x: bigint) => {
    if (t === undefined) return undefined;
    const index = t.keys.findIndex((key) => BigInt(key) >= x);
    return index < 0 ? undefined : BigInt(t.rates[index]!);
  };
  const step = BigInt(planItem.step);
  const up = (n: bigint) => ((n + step - 1n) / step) * step;
  let billable = up(quantity);
  const minimum = big(planItem.minimum);
  const maximum = big(planItem.maximum);
  if (minimum !== undefined && billable < up(minimum)) billable = up(minimum);
  else if (maximum !== undefined && billable > up(maximum)) billable = up(maximum);

  let rate = tierOf(planItem.flatRates, billable);
  if (rate !== undefined) billable = 1n;
  else if ((planItem.flatRate ?? 0) > 0) [rate, billable] = [BigInt(planItem.flatRate!), 1n];
  else rate = tierOf(planItem.rates, billable) ?? big(planItem.rate) ?? 0n;

  const planRate = big(planItem.rate) ?? 0n;
  let total = billable * rate;
  const single = planItem.singleDiscount;
  if (single !== undefined && planRate > 0n && billable >= BigInt(single.minimum ?? 1)) total -= big(single.rate) ?? planRate;
  const cumulative = planItem.cumulativeDiscount;
  if (cumulative !== undefined && planRate > 0n && billable >= BigInt(cumulative.minimum ?? 1)) {
    const cap = BigInt(cumulative.maximum ?? 0);
    const discounted = cap < billable ? cap : billable;
    total -= discounted * (tierOf(cumulative.rates, discounted) ?? big(cumulative.rate) ?? planRate);
  }
  return total;
}
