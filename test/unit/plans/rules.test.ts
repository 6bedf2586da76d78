import { parseUnits } from '../../../src/domain/money';
import { evaluate, mergePlans } from '../../../src/domain/plans';
import { documentOf, evaluateBody, lineOf, planOf, priceOne } from './helpers';

// One block per rule of "Service plans" in billing-semantics.md; each expectation fails if its rule is broken.

describe('rule 1: every (category, item) of the merged plan is a line', () => {
  it('lists _all and named items, zero quantities included, with total 0', () => {
    const evaluation = evaluateBody(
      { devices: { _all: { rate: 2 }, softphone: { rate: 1 } }, users: { admin: { rate: 3 } } },
      {},
    );
    expect(evaluation.items.map((line) => [line.category, line.item, line.quantity, line.total])).toEqual([
      ['devices', '_all', 0, 0],
      ['devices', 'softphone', 0, 0],
      ['users', 'admin', 0, 0],
    ]);
    expect(evaluation.recurring).toBe(0);
  });
});

describe('rule 2: quantities', () => {
  const layers = {
    account: { devices: { sip_device: 4, softphone: 2, landline: 1 } },
    manual: { devices: { softphone: 5 } },
    cascade: { devices: { sip_device: 10, softphone: 1, landline: 7 } },
  };

  it('an item takes manual over account, per key', () => {
    expect(priceOne({ rate: 1 }, 5).quantity).toBe(5);
    const evaluation = evaluateBody({ devices: { softphone: { rate: 1 }, sip_device: { rate: 1 } } }, layers);
    expect(lineOf(evaluation, 'devices', 'softphone').quantity).toBe(5); // manual 5 beats account 2
    expect(lineOf(evaluation, 'devices', 'sip_device').quantity).toBe(4); // no manual: account
  });

  it('a manual 0 still beats the account count (manual ?? account, not ||)', () => {
    const evaluation = evaluateBody({ devices: { sip_device: { rate: 1 } } }, { account: { devices: { sip_device: 4 } }, manual: { devices: { sip_device: 0 } } });
    expect(lineOf(evaluation, 'devices', 'sip_device').quantity).toBe(0);
  });

  it('adds the cascade only when the item cascades (boolean or "true")', () => {
    const body = (cascade: unknown) => ({ devices: { sip_device: { rate: 1, cascade } } });
    expect(lineOf(evaluateBody(body(true), layers), 'devices', 'sip_device').quantity).toBe(14);
    expect(lineOf(evaluateBody(body('true'), layers), 'devices', 'sip_device').quantity).toBe(14);
    expect(lineOf(evaluateBody(body('false'), layers), 'devices', 'sip_device').quantity).toBe(4);
    expect(lineOf(evaluateBody(body(false), layers), 'devices', 'sip_device').quantity).toBe(4);
  });

  it('_all sums the category (account merged with manual) minus exceptions, plus the cascade minus exceptions', () => {
    const all = (cascade: boolean) =>
      lineOf(evaluateBody({ devices: { _all: { rate: 1, cascade, exceptions: ['landline'] } } }, layers), 'devices', '_all').quantity;
    // own: sip_device 4 + softphone 5 (manual wins over 2); landline excepted. cascade: 10 + 1; landline 7 excepted.
    expect(all(false)).toBe(4 + 5);
    expect(all(true)).toBe(4 + 5 + 10 + 1);
  });

  it('_all does not exclude items the plan also lists by name: both are billed', () => {
    const evaluation = evaluateBody({ devices: { _all: { rate: 2 }, softphone: { rate: 1 } } }, { account: { devices: { softphone: 3, sip_device: 1 } } });
    expect(lineOf(evaluation, 'devices', '_all').total).toBe(4 * parseUnits(2));
    expect(lineOf(evaluation, 'devices', 'softphone').total).toBe(3 * parseUnits(1));
    expect(evaluation.recurring).toBe(parseUnits(8) + parseUnits(3));
  });
});

describe('rule 3: as and name', () => {
  it('as renames the reported item; the default name is category/(as or item)', () => {
    const evaluation = evaluateBody({ devices: { sip_device: { rate: 1, as: 'phones' }, softphone: { rate: 1 } } }, {});
    expect(lineOf(evaluation, 'devices', 'phones').name).toBe('devices/phones');
    expect(lineOf(evaluation, 'devices', 'softphone').name).toBe('devices/softphone');
  });

  it('_all is named after its category, even when renamed; name wins over both defaults', () => {
    const evaluation = evaluateBody({ devices: { _all: { rate: 1, as: 'sip_devices' } }, users: { user: { rate: 1, name: 'Seat' } } }, {});
    expect(lineOf(evaluation, 'devices', 'sip_devices').name).toBe('devices');
    expect(lineOf(evaluation, 'users', 'user').name).toBe('Seat');
  });
});

describe('rule 4: billable = ceil(q/step)*step, then the stepped minimum, else the stepped maximum', () => {
  it('rounds up to the step', () => {
    expect(priceOne({ rate: 1, step: 5 }, 7).billable).toBe(10);
    expect(priceOne({ rate: 1, step: 5 }, 10).billable).toBe(10);
    expect(priceOne({ rate: 1 }, 7).billable).toBe(7);
  });

  it('raises to the minimum, itself stepped', () => {
    expect(priceOne({ rate: 1, minimum: 12, step: 5 }, 7).billable).toBe(15);
    expect(priceOne({ rate: 1, minimum: 12 }, 0).billable).toBe(12);
    expect(priceOne({ rate: 1, minimum: 12 }, 13).billable).toBe(13);
  });

  it('caps at the maximum, itself stepped', () => {
    expect(priceOne({ rate: 1, maximum: 8, step: 5 }, 23).billable).toBe(10);
    expect(priceOne({ rate: 1, maximum: 8 }, 23).billable).toBe(8);
  });

  it('checks the minimum first: a minimum above the maximum is not capped again', () => {
    expect(priceOne({ rate: 1, minimum: 20, maximum: 10 }, 5).billable).toBe(20);
    expect(priceOne({ rate: 1, minimum: 20, maximum: 10 }, 30).billable).toBe(10);
  });
});

describe('rule 5: Tier(T, x) is the value at the smallest key >= x', () => {
  const rates = { '5': 3, '10': 2, '100': 1 };
  it('picks the tier by numeric key order, not text order', () => {
    expect(priceOne({ rates }, 5).rate).toBe(parseUnits(3));
    expect(priceOne({ rates }, 6).rate).toBe(parseUnits(2));
    expect(priceOne({ rates }, 10).rate).toBe(parseUnits(2));
    expect(priceOne({ rates }, 11).rate).toBe(parseUnits(1)); // "100" sorts before "11" as text
    expect(priceOne({ rates }, 0).rate).toBe(parseUnits(3));
  });

  it('has nothing above the highest key', () => {
    expect(priceOne({ rates }, 101).rate).toBe(0);
  });
});

describe('rule 6: rate precedence flat_rates, flat_rate, rates, rate, else 0', () => {
  const all = { flat_rates: { '3': 30 }, flat_rate: 50, rates: { '10': 2 }, rate: 1 };

  it('a flat_rates tier bills once (billable 1)', () => {
    const line = priceOne(all, 3);
    expect([line.billable, line.rate, line.total]).toEqual([1, parseUnits(30), parseUnits(30)]);
  });

  it('above the flat_rates tiers, a positive flat_rate bills once', () => {
    const line = priceOne(all, 4);
    expect([line.billable, line.rate, line.total]).toEqual([1, parseUnits(50), parseUnits(50)]);
  });

  it('a flat_rate of 0 is skipped; then rates; then rate; then 0', () => {
    expect(priceOne({ ...all, flat_rate: 0 }, 4).rate).toBe(parseUnits(2));
    expect(priceOne({ ...all, flat_rate: 0 }, 4).billable).toBe(4);
    expect(priceOne({ ...all, flat_rate: 0 }, 11).rate).toBe(parseUnits(1));
    expect(priceOne({ rates: { '10': 2 } }, 11).total).toBe(0); // above the top tier with no rate: free
    expect(priceOne({ name: 'free' }, 11).total).toBe(0);
  });
});

describe('rule 7: discounts', () => {
  it('apply only when the plan has its own rate > 0', () => {
    const discounts = { single: { rate: 1 }, cumulative: { maximum: 5, rate: 1 } };
    const tiered = priceOne({ rates: { '100': 10 }, discounts }, 3);
    expect([tiered.discounts.single, tiered.discounts.cumulative.quantity, tiered.total]).toEqual([0, 0, parseUnits(30)]);
    const zero = priceOne({ rate: 0, rates: { '100': 10 }, discounts }, 3);
    expect(zero.total).toBe(parseUnits(30));
    const rated = priceOne({ rate: 10, discounts }, 3);
    expect(rated.total).toBe(parseUnits(30) - parseUnits(1) - 3 * parseUnits(1));
  });

  it('apply only when billable >= the discount minimum (default 1)', () => {
    const single = (q: number) => priceOne({ rate: 10, discounts: { single: { rate: 1, minimum: 3 } } }, q).discounts.single;
    expect(single(2)).toBe(0);
    expect(single(3)).toBe(parseUnits(1));
    expect(priceOne({ rate: 10, discounts: { single: { rate: 1 } } }, 0).discounts.single).toBe(0);
    expect(priceOne({ rate: 10, discounts: { single: { rate: 1 } } }, 1).discounts.single).toBe(parseUnits(1));
  });

  it('single defaults to the plan rate', () => {
    expect(priceOne({ rate: 10, discounts: { single: { minimum: 1 } } }, 2).discounts.single).toBe(parseUnits(10));
  });

  it('cumulative quantity is the maximum (default 0) when it is below billable, else billable', () => {
    const cumulative = (q: number, maximum?: number) =>
      priceOne({ rate: 10, discounts: { cumulative: { rate: 1, ...(maximum === undefined ? {} : { maximum }) } } }, q).discounts.cumulative.quantity;
    expect(cumulative(3, 5)).toBe(3);
    expect(cumulative(8, 5)).toBe(5);
    expect(cumulative(8)).toBe(0);
  });

  it('cumulative rate is Tier(cumulative.rates, that quantity), else cumulative.rate, else the plan rate', () => {
    const discount = { maximum: 10, rates: { '2': 0.1, '10': 0.2 }, rate: 0.5 };
    const rate = (q: number, d: object) => priceOne({ rate: 10, discounts: { cumulative: d } }, q).discounts.cumulative.rate;
    expect(rate(2, discount)).toBe(parseUnits(0.1));
    expect(rate(8, discount)).toBe(parseUnits(0.2));
    expect(rate(8, { ...discount, maximum: 1 })).toBe(parseUnits(0.1)); // looked up at the capped quantity 1, not at 8
    expect(rate(8, { maximum: 10, rates: { '5': 0.1 }, rate: 0.5 })).toBe(parseUnits(0.5));
    expect(rate(8, { maximum: 10 })).toBe(parseUnits(10));
  });
});

describe('rule 8: line total = b*rate - single - cumQty*cumRate; recurring = sum of totals', () => {
  it('subtracts both discounts', () => {
    const line = priceOne({ rate: 3, discounts: { single: { rate: 2 }, cumulative: { maximum: 4, rate: 0.25 } } }, 6);
    expect(line.total).toBe(6 * parseUnits(3) - parseUnits(2) - 4 * parseUnits(0.25)); // 18 - 2 - 1 = 15.00
  });

  it('may go negative', () => {
    expect(priceOne({ rate: 1, discounts: { single: { rate: 5 } } }, 2).total).toBe(parseUnits(-3));
  });

  it('recurring is the sum of the line totals', () => {
    const evaluation = evaluateBody({ devices: { sip_device: { rate: 2 }, softphone: { rate: 1, discounts: { single: { rate: 4 } } } } }, { account: { devices: { sip_device: 3, softphone: 1 } } });
    expect(evaluation.recurring).toBe(parseUnits(6) + parseUnits(-3));
  });
});

describe('rule 9: activation = max(0, delta billable) * activation_charge', () => {
  it('charges the billable increase since the previous quantities', () => {
    expect(priceOne({ activation_charge: 5 }, 3, 1).activation).toBe(2 * parseUnits(5));
  });

  it('charges nothing for a decrease', () => {
    expect(priceOne({ activation_charge: 5 }, 1, 3).activation).toBe(0);
  });

  it('compares billable, so a minimum absorbs increases below it', () => {
    expect(priceOne({ activation_charge: 5, minimum: 10 }, 12, 1).activation).toBe(2 * parseUnits(5)); // 10 -> 12
    expect(priceOne({ activation_charge: 5, minimum: 10 }, 9, 1).activation).toBe(0); // 10 -> 10
  });

  it('compares a newly assigned plan against zero', () => {
    expect(priceOne({ activation_charge: 5, minimum: 10 }, 1).activation).toBe(10 * parseUnits(5));
    const evaluation = evaluateBody({ number_services: { port: { activation_charge: 5 }, cnam: { activation_charge: 2 } } }, { account: { number_services: { port: 3 } } });
    expect(evaluation.activation).toBe(3 * parseUnits(5));
  });

  it('leaves activation off lines without an activation_charge', () => {
    expect(priceOne({ rate: 1 }, 3, 1).activation).toBeUndefined();
  });
});

describe('rule 10: overrides, account-wide then per plan, merged recursively into each plan before merging', () => {
  const base = documentOf({ plan: { devices: { sip_device: { rate: 10, name: 'Phone', discounts: { single: { rate: 1 } } } } } });
  const line = (evaluation: ReturnType<typeof evaluate>) => lineOf(evaluation, 'devices', 'sip_device');
  const quantities = { account: { devices: { sip_device: 2 } } };

  it('per-plan overrides win over account-wide ones, which win over the plan', () => {
    expect(line(evaluate(mergePlans([base], { devices: { sip_device: { rate: 8 } } }), quantities)).rate).toBe(parseUnits(8));
    const both = mergePlans([{ document: base, overrides: { devices: { sip_device: { rate: 7 } } } }], { devices: { sip_device: { rate: 8 } } });
    expect(line(evaluate(both, quantities)).rate).toBe(parseUnits(7));
  });

  it('merges recursively: fields the override does not name are kept', () => {
    const plan = mergePlans([base], { devices: { sip_device: { discounts: { single: { minimum: 2 } } } } });
    const priced = line(evaluate(plan, quantities));
    expect([priced.name, priced.discounts.single]).toEqual(['Phone', parseUnits(1)]);
  });

  it('applies to each plan before the plans are merged', () => {
    const weak = documentOf({ plan: { devices: { sip_device: { rate: 10 } } }, merge: { priority: 1 } });
    const strong = documentOf({ plan: { devices: { sip_device: { rate: 20 } } }, merge: { priority: 2 } });
    // Account-wide reaches both plans, so the winner carries it.
    expect(line(evaluate(mergePlans([weak, strong], { devices: { sip_device: { rate: 5 } } }), quantities)).rate).toBe(parseUnits(5));
    // A per-plan override on the weaker plan loses to the stronger plan.
    const perPlan = mergePlans([{ document: weak, overrides: { devices: { sip_device: { rate: 1 } } } }, strong]);
    expect(line(evaluate(perPlan, quantities)).rate).toBe(parseUnits(20));
  });
});

describe('rule 11: merging several plans', () => {
  const quantities = { account: { devices: { sip_device: 4 } } };
  const merged = (...docs: unknown[]) => lineOf(evaluate(mergePlans(docs.map(documentOf)), quantities), 'devices', 'sip_device');
  const doc = (item: object, merge?: object) => ({ plan: { devices: { sip_device: item } }, ...(merge === undefined ? {} : { merge }) });

  it('ranks strategies cumulative > recursive > simple, leaf by leaf', () => {
    const simple = doc({ rate: 1, name: 'From simple' });
    const recursive = doc({ rate: 2, minimum: 6 }, { strategy: 'recursive' });
    const cumulative = doc({ rate: 3 }, { strategy: 'cumulative' });
    const line = merged(simple, recursive, cumulative);
    expect([line.rate, line.name, line.billable]).toEqual([parseUnits(3), 'From simple', 6]);
    expect(merged(cumulative, recursive, simple).rate).toBe(parseUnits(3));
    expect(merged(simple, recursive).rate).toBe(parseUnits(2));
  });

  it('the higher priority wins within a strategy; a plan without priority beats any number', () => {
    expect(merged(doc({ rate: 1 }, { priority: 5 }), doc({ rate: 2 }, { priority: 1 })).rate).toBe(parseUnits(1));
    expect(merged(doc({ rate: 2 }, { priority: 1 }), doc({ rate: 1 }, { priority: 5 })).rate).toBe(parseUnits(1));
    expect(merged(doc({ rate: 1 }, { priority: 1000 }), doc({ rate: 2 })).rate).toBe(parseUnits(2));
  });

  it('between equal or no priorities, the plan listed first wins', () => {
    expect(merged(doc({ rate: 1 }, { priority: 3 }), doc({ rate: 2 }, { priority: 3 })).rate).toBe(parseUnits(1));
    expect(merged(doc({ rate: 2 }), doc({ rate: 1 })).rate).toBe(parseUnits(2));
    expect(merged(doc({ rate: 2 }, { strategy: 'recursive' }), doc({ rate: 1 }, { strategy: 'recursive' })).rate).toBe(parseUnits(2));
  });

  it('simple: the winner\'s {} replaces and its null deletes', () => {
    const weak = doc({ rate: 10, minimum: 6, discounts: { single: { rate: 1 } } }, { priority: 1 });
    const replaced = merged(weak, doc({ discounts: {} }, { priority: 2 }));
    expect([replaced.discounts.single, replaced.billable]).toEqual([0, 6]);
    const deleted = merged(weak, doc({ minimum: null }, { priority: 2 }));
    expect([deleted.billable, deleted.discounts.single]).toEqual([4, parseUnits(1)]);
  });

  it('recursive keeps: the winner\'s {} and null leave the other plan\'s values', () => {
    const weak = doc({ rate: 10, minimum: 6, discounts: { single: { rate: 1 } } }, { strategy: 'recursive', priority: 1 });
    const line = merged(weak, doc({ minimum: null, discounts: {} }, { strategy: 'recursive', priority: 2 }));
    expect([line.billable, line.discounts.single]).toEqual([6, parseUnits(1)]);
  });

  it('cumulative: first defined wins for scalars; minimum and cumulative.maximum add; tables and exceptions unite; cascade ORs', () => {
    const cumulative = (item: object, priority: number) => ({ plan: { devices: item }, merge: { strategy: 'cumulative', priority } });
    const strong = cumulative({ _all: { rate: 2, minimum: 3, rates: { '10': 1 }, exceptions: ['fax'], discounts: { cumulative: { maximum: 1, rate: 0.5 } } } }, 2);
    const weak = cumulative({ _all: { rate: 9, step: 2, minimum: 4, rates: { '10': 7, '20': 0.5 }, exceptions: ['softphone'], cascade: 'true', discounts: { cumulative: { maximum: 2, rate: 9 } } } }, 1);
    const plan = mergePlans([documentOf(weak), documentOf(strong)]);
    const [item] = plan.items;
    expect(item).toMatchObject({
      rate: parseUnits(2), // first defined (strongest) wins
      step: 2, // only the weaker plan defines it
      minimum: 7, // 3 + 4
      rates: { keys: [10, 20], rates: [parseUnits(1), parseUnits(0.5)] }, // united, the stronger plan wins tier 10
      exceptions: ['fax', 'softphone'],
      cascade: true,
      cumulativeDiscount: { maximum: 3, rate: parseUnits(0.5) },
    });
  });

  it('drops empty objects at the end: "single": {} means no single discount', () => {
    expect(priceOne({ rate: 10, discounts: { single: {} } }, 2).discounts.single).toBe(0);
    expect(planOf({ devices: { sip_device: { discounts: { single: {} } } } }).items).toEqual([]);
  });
});
