import fc from 'fast-check';
import { validatePlanDocument } from '../../../src/domain/plans';
import seed from '../../../src/demo/plans/kazoo-example.json';

const item = (fields: object) => ({ plan: { devices: { _all: fields } } });
const warningsOf = (json: unknown) => validatePlanDocument(json).warnings;

describe('validatePlanDocument: errors', () => {
  it('names the path and the value', () => {
    const { errors } = validatePlanDocument(item({ rates: { abc: 1, '20': 'lots' }, step: 0, cascade: 'yes', exceptions: 'fax' }));
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'plan.devices._all.rates["abc"]', message: 'tier key must be a whole number', value: 'abc' },
        { path: 'plan.devices._all.rates["20"]', message: 'must be a decimal amount (number or decimal text)', value: 'lots' },
        { path: 'plan.devices._all.step', message: 'must be at least 1', value: 0 },
        { path: 'plan.devices._all.cascade', message: 'must be true or false (or the text "true"/"false")', value: 'yes' },
        { path: 'plan.devices._all.exceptions', message: 'must be a list of item names', value: 'fax' },
      ]),
    );
  });

  it('rejects negative money and counts, fractional counts, repeated tiers, an unknown strategy and a missing plan', () => {
    const { errors } = validatePlanDocument({ ...item({ rate: -1, minimum: 1.5, rates: { '5': 1, '05': 2 } }), merge: { strategy: 'first' } });
    expect(errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['plan.devices._all.rate', 'plan.devices._all.minimum', 'plan.devices._all.rates["05"]', 'merge.strategy']),
    );
    expect(validatePlanDocument({}).errors).toEqual([{ path: 'plan', message: 'is required' }]);
  });

  it('accepts seed 003 as it is', () => {
    expect(validatePlanDocument(seed).errors).toEqual([]);
  });

  it('never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        const report = validatePlanDocument(json);
        expect(Array.isArray(report.errors) && Array.isArray(report.warnings)).toBe(true);
      }),
    );
    fc.assert(fc.property(fc.jsonValue(), (json) => void validatePlanDocument({ plan: { devices: { _all: json } } })));
  });
});

describe('validatePlanDocument: warnings for what KAZOO silently gets wrong', () => {
  it('free quantities above the top tier when there is no rate', () => {
    expect(warningsOf(seed)).toEqual([
      { path: 'plan.devices._all.rates', message: 'any quantity above the highest tier key 100 is billed free: there is no "rate" for it' },
    ]);
    expect(warningsOf(item({ rates: { '10': 1 }, rate: 2 }))).toEqual([]);
    expect(warningsOf(item({ rates: { '10': 1 }, maximum: 10 }))).toEqual([]); // billable never passes 10
    expect(warningsOf(item({ flat_rates: { '10': 1 } })).map((w) => w.path)).toEqual(['plan.devices._all.flat_rates']);
  });

  it('unknown keys, with the path and a guess', () => {
    const warnings = warningsOf({
      ...item({ rate: 1, discount: { single: { rate: 1 } }, rate_s: { '5': 1 }, discounts: { singel: {}, cumulative: { maximun: 2 } } }),
      merge: { priorty: 2 },
      _id: 'plan-1',
      pvt_type: 'service_plan',
      name: 'Gold',
    });
    expect(warnings).toEqual(
      expect.arrayContaining([
        { path: 'plan.devices._all.discount', message: 'unknown key "discount" is ignored (did you mean "discounts"?)', value: { single: { rate: 1 } } },
        { path: 'plan.devices._all.rate_s', message: 'unknown key "rate_s" is ignored (did you mean "rates"?)', value: { '5': 1 } },
        { path: 'plan.devices._all.discounts.singel', message: 'unknown key "singel" is ignored (did you mean "single"?)', value: {} },
        { path: 'plan.devices._all.discounts.cumulative.maximun', message: 'unknown key "maximun" is ignored (did you mean "maximum"?)', value: 2 },
        { path: 'merge.priorty', message: 'unknown key "priorty" is ignored (did you mean "priority"?)', value: 2 },
      ]),
    );
    expect(warnings).toHaveLength(5); // document metadata (_id, pvt_*, name) is not reported
    expect(validatePlanDocument(item({ rate: 1, discount: {} })).errors).toEqual([]);
  });

  it('categories the platform does not count', () => {
    expect(warningsOf({ plan: { device: { _all: { rate: 1 } } } })).toEqual([
      { path: 'plan.device', message: '"device" is not a category the platform counts; its items only get manual quantities' },
    ]);
  });

  it('exceptions naming an item that is neither in the plan\'s category nor counted by the platform', () => {
    const warnings = warningsOf({ plan: { devices: { _all: { rate: 1, exceptions: ['softphone', 'deskphone', 'sip_devce'] }, deskphone: { rate: 2 } } } });
    expect(warnings).toEqual([
      {
        path: 'plan.devices._all.exceptions[2]',
        message: '"sip_devce" is neither an item of devices in this plan nor one the platform counts, so it excludes nothing',
        value: 'sip_devce',
      },
    ]);
    expect(warningsOf({ plan: { devices: { softphone: { rate: 1, exceptions: ['fax'] } } } })).toEqual([
      { path: 'plan.devices.softphone.exceptions', message: 'exceptions only apply to _all; they are ignored here', value: ['fax'] },
    ]);
  });

  it('a discount that can drive the line negative, with an example quantity', () => {
    expect(warningsOf(item({ rate: 1, discounts: { single: { rate: 5 } } }))).toEqual([
      { path: 'plan.devices._all.discounts', message: 'discounts can make this line negative: at quantity 1 the total is -4.00' },
    ]);
    // cumulative rate 3.00 above the plan rate 2.00: every discounted unit loses 1.00
    expect(warningsOf(item({ rate: 2, discounts: { cumulative: { maximum: 3, rate: 3 } } }))[0]?.message).toMatch(/at quantity 1 the total is -1\.00/);
    expect(warningsOf(item({ rate: 2, minimum: 10, discounts: { single: { rate: 5 }, cumulative: { maximum: 3, rate: 1 } } }))).toEqual([]);
    expect(warningsOf(item({ rate: 10, discounts: { single: { minimum: 0 } } }))[0]?.message).toMatch(/at quantity 0 the total is -10\.00/);
    expect(warningsOf(seed).some((w) => w.path.endsWith('discounts'))).toBe(false); // e911: 1 x 5.00 - 5.00 = 0, not negative
  });

  it('rates with more than 4 decimals, which money rounds', () => {
    expect(warningsOf(item({ rate: 0.12345, rates: { '10': '1.00001' }, discounts: { cumulative: { maximum: 1, rate: 0.000049 } } }))).toEqual(
      expect.arrayContaining([
        { path: 'plan.devices._all.rate', message: 'has more than 4 decimals; money keeps 4, so it is rounded to 0.1235', value: 0.12345 },
        { path: 'plan.devices._all.rates["10"]', message: 'has more than 4 decimals; money keeps 4, so it is rounded to 1.00', value: '1.00001' },
        { path: 'plan.devices._all.discounts.cumulative.rate', message: 'has more than 4 decimals; money keeps 4, so it is rounded to 0.00', value: 0.000049 },
      ]),
    );
  });
});
