import { parseUnits } from '../../../src/domain/money';
import { evaluate, evaluateScenario, parsePlanDocument, scenarioToJson } from '../../../src/domain/plans';
import type { Plan } from '../../../src/domain/plans';
import seed from '../../../src/demo/plans/kazoo-example.json';
import scenario from '../../fixtures/plans/seed-003-scenario.json';
import { lineOf } from './helpers';

// Seed 003's example plan, priced by hand. Units: 1 dollar = 10,000.

function seedPlan(): Plan {
  const parsed = parsePlanDocument(seed);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.plan;
}

const devices = (count: number) => lineOf(evaluate(seedPlan(), { account: { devices: { sip_device: count } } }), 'devices', 'sip_devices');

describe('seed 003: devices/_all with rates {5: 0, 20: 24.95, 50: 49.95, 100: 149.95}', () => {
  it.each([
    [0, 0, 0], // tier 5 covers 0: 0 x 0.00
    [5, 0, 0], // tier 5: 5 x 0.00
    [6, 249_500, 6 * 249_500], // tier 20: 6 x 24.95 = 149.70
    [14, 249_500, 3_493_000], // tier 20: 14 x 24.95 = 349.30
    [20, 249_500, 4_990_000], // tier 20: 20 x 24.95 = 499.00
    [21, 499_500, 10_489_500], // tier 50: 21 x 49.95 = 1,048.95
    [100, 1_499_500, 149_950_000], // tier 100: 100 x 149.95 = 14,995.00
    [101, 0, 0], // above the top tier, no rate: KAZOO bills it free (the validator warns)
  ])('%i devices: rate %i units, total %i units', (count, rate, total) => {
    const line = devices(count);
    expect([line.quantity, line.billable, line.rate, line.total]).toEqual([count, count, rate, total]);
  });

  it('is exact where binary floats are not: 100 x 149.95 is 14,995.00, not 14,994.999999999998', () => {
    expect(100 * 149.95).not.toBe(14995); // the float way
    expect(devices(100).total).toBe(149_950_000);
    expect(parseUnits('14995.00')).toBe(149_950_000);
  });
});

describe('seed 003: 9 US DIDs, 1 US tollfree, 14 SIP devices', () => {
  // Fixture layers, chosen to exercise the plan's cascade flags:
  //   devices/_all cascades:        4 own sip_device + 10 in sub-accounts = 14
  //   phone_numbers/did_us doesn't: 9 own; the 3 DIDs in sub-accounts are not billed here
  //   phone_numbers/tollfree_us does: 0 own + 1 in a sub-account = 1
  const result = evaluateScenario(scenario);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const { evaluation } = result;

  it('carries seed 003\'s plan unchanged', () => {
    expect(scenario.plans).toEqual([seed]);
  });

  it('prices every line', () => {
    // 14 SIP devices: tier 20 -> 14 x 24.95 = 349.30
    expect(lineOf(evaluation, 'devices', 'sip_devices')).toMatchObject({ quantity: 14, billable: 14, rate: 249_500, total: 3_493_000 });
    // 9 DIDs: 9 x 1.00 - cumulative min(2, 9) x 0.50 = 9.00 - 1.00 = 8.00
    expect(lineOf(evaluation, 'phone_numbers', 'did_us')).toMatchObject({
      quantity: 9,
      billable: 9,
      rate: 10_000,
      discounts: { single: 0, cumulative: { quantity: 2, rate: 5_000 } },
      total: 80_000,
    });
    // 1 tollfree: minimum 10 -> 10 x 5.00 = 50.00
    expect(lineOf(evaluation, 'phone_numbers', 'tollfree_us')).toMatchObject({ quantity: 1, billable: 10, rate: 50_000, total: 500_000 });
    // e911, trunks, cnam, port: nothing counted -> 0
    for (const [category, item] of [['limits', 'inbound_trunks'], ['limits', 'twoway_trunks'], ['number_services', 'e911'], ['number_services', 'cnam'], ['number_services', 'port']] as const) {
      expect(lineOf(evaluation, category, item).total).toBe(0);
    }
  });

  it('totals 349.30 + 8.00 + 50.00 = 407.30 a month, no activation', () => {
    expect(evaluation.recurring).toBe(4_073_000);
    expect(evaluation.activation).toBe(0);
    expect(scenarioToJson(evaluation)).toMatchObject({ recurring: '407.30', activation: '0.00' });
  });

  it('prices the other seed items by hand too', () => {
    const plan = seedPlan();
    const at = (category: string, item: string, count: number, previous?: number) =>
      lineOf(evaluate(plan, { account: { [category]: { [item]: count } } }, previous === undefined ? undefined : { account: { [category]: { [item]: previous } } }), category, item);
    expect(at('number_services', 'e911', 3).total).toBe(3 * 50_000 - 50_000); // 3 x 5.00 - single 5.00 = 10.00
    expect(at('number_services', 'e911', 1).total).toBe(0); // 1 x 5.00 - 5.00
    expect(at('limits', 'inbound_trunks', 2).total).toBe(2 * 199_900); // 39.98
    expect(at('limits', 'twoway_trunks', 3).total).toBe(3 * 299_900); // 89.97
    expect(at('number_services', 'port', 2, 0).activation).toBe(2 * 50_000); // 2 ports x 5.00 = 10.00
    expect(at('number_services', 'cnam', 3, 1).activation).toBe(2 * 20_000); // 2 more x 2.00 = 4.00
  });
});
