import { evaluateScenario, renderEvaluationTable, scenarioToJson } from '../../../src/domain/plans';
import type { Evaluation } from '../../../src/domain/plans';
import scenario from '../../fixtures/plans/seed-003-scenario.json';
import seed from '../../../src/demo/plans/kazoo-example.json';

function evaluated(json: unknown): Evaluation {
  const result = evaluateScenario(json);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.evaluation;
}

describe('evaluateScenario', () => {
  it('with proposed quantities prices them and charges activation for the step up', () => {
    const evaluation = evaluated({
      plans: [seed],
      quantities: { account: { number_services: { port: 1, cnam: 2 } } },
      proposed: { account: { number_services: { port: 4, cnam: 1 } } },
    });
    // port 1 -> 4: 3 x 5.00 = 15.00; cnam 2 -> 1: a decrease, nothing
    expect(evaluation.items.find((l) => l.item === 'port')).toMatchObject({ quantity: 4, activation: 150_000 });
    expect(evaluation.items.find((l) => l.item === 'cnam')).toMatchObject({ quantity: 1, activation: 0 });
    expect(evaluation.activation).toBe(150_000);
  });

  it('without proposed quantities treats the plan as newly assigned (activation from 0)', () => {
    const evaluation = evaluated({ plans: [seed], quantities: { manual: { number_services: { port: 2 } } } });
    expect(evaluation.activation).toBe(2 * 50_000);
  });

  it('merges several plans with account-wide and per-plan overrides', () => {
    const extra = { plan: { devices: { softphone: { rate: 3 } } }, merge: { strategy: 'recursive' } };
    const evaluation = evaluated({
      plans: [seed, { document: extra, overrides: { devices: { softphone: { rate: 2 } } } }],
      overrides: { limits: { inbound_trunks: { rate: 15 } } },
      quantities: { account: { devices: { softphone: 2 }, limits: { inbound_trunks: 1 } } },
    });
    expect(evaluation.items.find((l) => l.item === 'softphone')?.total).toBe(2 * 20_000);
    expect(evaluation.items.find((l) => l.item === 'inbound_trunks')?.total).toBe(150_000);
  });

  it('reports every problem with its path in the scenario, and the plans\' warnings', () => {
    const result = evaluateScenario({
      plans: [{ plan: { devices: { _all: { rates: { x: 1 } } } } }, { document: { plan: {} }, overrides: { devices: 3 } }],
      overrides: { limits: { inbound_trunks: { rate: 'free' } } },
      quantities: { account: { devices: { sip_device: -1 } } },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual([
      'quantities.account.devices.sip_device',
      'plans[0].plan.devices._all.rates["x"]',
      'plans[1].overrides.devices',
      'overrides.limits.inbound_trunks.rate',
    ]);
    const warned = evaluateScenario(scenario);
    expect(warned.warnings.map((w) => w.path)).toEqual(['plans[0].plan.devices._all.rates']);
  });

  it('rejects unknown top-level keys rather than ignoring a misspelt layer', () => {
    const result = evaluateScenario({ ...scenario, quantity: {} });
    expect(result.ok).toBe(false);
  });
});

describe('scenarioToJson', () => {
  it('writes money as decimal text: 2 decimals, 4 when an amount has sub-cent digits', () => {
    const json = scenarioToJson(
      evaluated({ plans: [{ plan: { users: { user: { rate: '0.3333', name: 'Seat' } } } }], quantities: { account: { users: { user: 3 } } } }),
    );
    expect(json).toEqual({
      items: [
        {
          category: 'users',
          item: 'user',
          name: 'Seat',
          quantity: 3,
          billable: 3,
          rate: '0.3333',
          discounts: { single: '0.00', cumulative: { quantity: 0, rate: '0.00' } },
          total: '0.9999',
          explanation: 'quantity 3; billable 3; rate 0.3333; total 3 x 0.3333 = 0.9999',
        },
      ],
      recurring: '0.9999',
      activation: '0.00',
    });
  });

  it('keeps seed 003\'s explanations readable for support', () => {
    const lines = scenarioToJson(evaluated(scenario)).items;
    expect(lines.find((l) => l.item === 'sip_devices')?.explanation).toBe(
      'devices/_all reported as sip_devices: quantity 14 (all devices) = 4 in this account + 10 in sub-accounts; billable 14; rate 24.95 (rates tier up to 20); total 14 x 24.95 = 349.30',
    );
    expect(lines.find((l) => l.item === 'did_us')?.explanation).toBe(
      'quantity 9; billable 9; rate 1.00; cumulative discount 2 x 0.50 (capped at its maximum 2); total 9 x 1.00 - 2 x 0.50 = 8.00',
    );
    expect(lines.find((l) => l.item === 'tollfree_us')?.explanation).toBe(
      'quantity 1 = 0 in this account + 1 in sub-accounts; billable 10 (raised to the minimum 10); rate 5.00; total 10 x 5.00 = 50.00',
    );
  });
});

describe('renderEvaluationTable', () => {
  it('shows a row per line, the totals and the explanations', () => {
    const text = renderEvaluationTable(evaluated(scenario));
    expect(text).toMatch(/│ devices\s+│ sip_devices\s+│ SIP Device\s+│\s+14 │\s+14 │\s+24\.95 │/);
    expect(text).toMatch(/Recurring total\s+│\s+407\.30 │\s+0\.00 │/);
    expect(text).toContain('7. US DID: quantity 9; billable 9; rate 1.00;');
    expect(text.includes('\u001b[')).toBe(false); // no colour codes
  });
});
