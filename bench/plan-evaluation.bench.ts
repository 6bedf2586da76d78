import { evaluate, mergePlans, parsePlanDocument, parsePlanOverrides } from '../src/domain/plans';
import type { Evaluation, PlanBody, PlanDocument, Quantities, QuantityLayers } from '../src/domain/plans';
import type { BenchSuite } from './harness';
import { SeededRandom } from '../src/demo/random';

/*
 * 10,000 accounts, each priced against the same three plans (a simple base plan, a recursive add-on, a cumulative
 * promotion: 20 items after merging, with tiers, minimums, steps, flat rates and both kinds of discount) under one of
 * four account-wide overrides, as accounts under four resellers would be.
 * Baseline: merge the plans for every account, as a straight port of KAZOO's per-account service fetch does.
 * Candidate: merge once per distinct plan set (four here) inside the same run, then evaluate every account.
 * A second candidate adds the activation comparison against last-billed quantities, to show what that costs.
 */

const ACCOUNTS = 10_000;
const ITEMS_PER_ACCOUNT = 20;

const BASE = {
  plan: {
    devices: {
      _all: { as: 'sip_devices', cascade: 'true', rates: { '5': 0, '20': 24.95, '50': 49.95, '100': 149.95 }, rate: 199.95, exceptions: ['softphone'] },
      softphone: { rate: 4.99 },
      cellphone: { rate: 2.5, activation_charge: 1 },
      landline: { rate: 2.5 },
    },
    phone_numbers: {
      did_us: { rate: 1, discounts: { cumulative: { maximum: 2, rate: 0.5 } } },
      tollfree_us: { cascade: 'true', minimum: 10, rate: 5 },
      toll_us: { rate: 1.5 },
      international: { rates: { '10': 3, '50': 2.5 }, rate: 2 },
    },
    number_services: {
      e911: { rate: 5, discounts: { single: { rate: 5 } } },
      inbound_cnam: { rate: 1.25, step: 5 },
      outbound_cnam: { rate: 0.75 },
      port: { activation_charge: 5 },
      local: { rate: 0.1 },
    },
    limits: {
      inbound_trunks: { rate: 19.99 },
      outbound_trunks: { rate: 19.99 },
      twoway_trunks: { rate: 29.99, discounts: { cumulative: { maximum: 10, rates: { '5': 2, '10': 4 } } } },
    },
    users: { user: { rate: 9.99, minimum: 3 }, admin: { rate: 14.99 } },
  },
  merge: { strategy: 'simple', priority: 1 },
};

const ADD_ON = {
  plan: {
    ips: { dedicated: { rate: 25, activation_charge: 50 } },
    branding: { whitelabel: { flat_rates: { '1': 49 }, flat_rate: 99 } },
    limits: { twoway_trunks: { rate: 27.99 } },
  },
  merge: { strategy: 'recursive' },
};

const PROMOTION = {
  plan: { devices: { _all: { minimum: 5 } }, limits: { twoway_trunks: { discounts: { cumulative: { maximum: 5 } } } } },
  merge: { strategy: 'cumulative' },
};

const RESELLER_OVERRIDES = [
  {},
  { devices: { softphone: { rate: 3.99 } } },
  { limits: { inbound_trunks: { rate: 17.5 }, outbound_trunks: { rate: 17.5 } } },
  { users: { user: { minimum: 5, discounts: { single: { rate: 10 } } } }, phone_numbers: { did_us: { rate: 0.9 } } },
];

interface Account {
  readonly reseller: number;
  readonly quantities: QuantityLayers;
  readonly lastBilled: QuantityLayers;
}

function accounts(): Account[] {
  const seeded = new SeededRandom(2600);
  const next = () => seeded.next();
  const upTo = (n: number) => Math.floor(next() * (n + 1));
  return Array.from({ length: ACCOUNTS }, () => {
    const account = {
      devices: { sip_device: upTo(120), softphone: upTo(20), cellphone: upTo(10), landline: upTo(5) },
      phone_numbers: { did_us: upTo(60), tollfree_us: upTo(3), toll_us: upTo(10), international: upTo(60) },
      number_services: { e911: upTo(60), inbound_cnam: upTo(30), outbound_cnam: upTo(30), port: upTo(4), local: upTo(50) },
      limits: { inbound_trunks: upTo(8), outbound_trunks: upTo(8), twoway_trunks: upTo(15) },
      users: { user: upTo(100), admin: upTo(5) },
      ips: { dedicated: upTo(1) },
      branding: { whitelabel: upTo(1) },
    };
    const cascade = { devices: { sip_device: upTo(40) }, phone_numbers: { tollfree_us: upTo(2) } };
    const manual: Quantities = next() < 0.1 ? { limits: { twoway_trunks: upTo(20) } } : {};
    const lastBilled = { account: { ...account, devices: { ...account.devices, sip_device: upTo(120) } }, cascade };
    return { reseller: upTo(RESELLER_OVERRIDES.length - 1), quantities: { account, cascade, manual }, lastBilled };
  });
}

function parsed(json: unknown): PlanDocument {
  const result = parsePlanDocument(json);
  if (!result.ok) throw new Error(`bench plan is invalid: ${JSON.stringify(result.errors)}`);
  return result.document;
}

function overrides(json: unknown): PlanBody {
  const result = parsePlanOverrides(json);
  if (!result.ok) throw new Error(`bench overrides are invalid: ${JSON.stringify(result.errors)}`);
  return result.overrides;
}

const checksum = (evaluations: readonly Evaluation[]) => evaluations.reduce((total, e) => total + e.recurring + e.activation, 0);

export const planEvaluation: BenchSuite = {
  name: 'plan-evaluation',
  description: `price ${ACCOUNTS.toLocaleString('en-US')} accounts x ${ITEMS_PER_ACCOUNT} merged plan items (3 plans, 4 override sets)`,
  iterations: 5,
  warmup: 1,
  prepare() {
    const plans = [BASE, ADD_ON, PROMOTION].map(parsed);
    const overrideSets = RESELLER_OVERRIDES.map(overrides);
    const population = accounts();

    const perAccountMerge = () => population.map((a) => evaluate(mergePlans(plans, overrideSets[a.reseller]), a.quantities));
    const mergeOncePerSet = (withActivation: boolean) => () => {
      const merged = overrideSets.map((set) => mergePlans(plans, set));
      return population.map((a) => evaluate(merged[a.reseller]!, a.quantities, withActivation ? a.lastBilled : undefined));
    };

    const itemCount = mergePlans(plans, overrideSets[0]).items.length;
    if (itemCount !== ITEMS_PER_ACCOUNT) throw new Error(`bench plan merges to ${itemCount} items, expected ${ITEMS_PER_ACCOUNT}`);
    // The cases must price identically, or the comparison means nothing.
    if (checksum(perAccountMerge()) !== checksum(mergeOncePerSet(false)())) throw new Error('bench cases disagree on totals');

    return {
      units: [
        { label: 'accounts', perRun: ACCOUNTS },
        { label: 'items', perRun: ACCOUNTS * ITEMS_PER_ACCOUNT },
      ],
      baseline: { name: 'merge per account + evaluate', run: perAccountMerge },
      candidates: [
        { name: 'merge once per plan set + evaluate', run: mergeOncePerSet(false) },
        { name: 'merge once per plan set + evaluate with activation', run: mergeOncePerSet(true) },
      ],
    };
  },
};
