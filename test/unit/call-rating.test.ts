import fc from 'fast-check';
import { KAZOO_RATE_DEFAULTS, rateCall } from '../../src/domain/call-rating';
import type { CallRatingInput } from '../../src/domain/call-rating';
import { MoneyError, parseUnits } from '../../src/domain/money';

const CENT_A_MINUTE = parseUnits('0.01'); // 100 units per minute

/** Reference: the semantics file's formula, summed term by term as an exact fraction over 60. */
function exactSixtieths(input: Required<CallRatingInput>): bigint {
  const secs = BigInt(input.billingSeconds - input.offset);
  const [rate, minimum, increment] = [BigInt(input.rate), BigInt(input.minimum), BigInt(input.increment)];
  if (secs <= BigInt(input.noChargeTime) || secs <= 0n) return 0n;
  const base = BigInt(input.surcharge) * 60n + minimum * rate;
  if (secs <= minimum) return base;
  const slices = (secs - minimum + increment - 1n) / increment;
  return base + slices * increment * rate;
}

describe('rateCall', () => {
  it('uses the KAZOO rate defaults: 60 s increment, 60 s minimum, no surcharge, no no-charge time, no offset', () => {
    expect(KAZOO_RATE_DEFAULTS).toEqual({ increment: 60, minimum: 60, surcharge: 0, noChargeTime: 0, offset: 0 });
    const cost = (billingSeconds: number): number => rateCall({ billingSeconds, rate: CENT_A_MINUTE }).cost;
    expect(cost(0)).toBe(0);
    expect(cost(1)).toBe(100);
    expect(cost(60)).toBe(100);
    expect(cost(61)).toBe(200);
    expect(cost(120)).toBe(200);
    expect(cost(121)).toBe(300);
  });

  describe('at the no-charge time', () => {
    const call = (billingSeconds: number) => rateCall({ billingSeconds, rate: 600, noChargeTime: 6, minimum: 30, increment: 6 });

    it('is free up to and including it', () => {
      expect(call(5)).toMatchObject({ cost: 0, billedSeconds: 0 });
      expect(call(6)).toMatchObject({ cost: 0, billedSeconds: 0 });
    });

    it('charges the minimum one second past it', () => {
      expect(call(7)).toMatchObject({ cost: 300, billedSeconds: 30 });
    });

    it('frees a whole call shorter than a no-charge time longer than the minimum', () => {
      const long = { rate: 600, noChargeTime: 45, minimum: 30, increment: 6 };
      expect(rateCall({ ...long, billingSeconds: 45 }).cost).toBe(0);
      expect(rateCall({ ...long, billingSeconds: 46 })).toMatchObject({ cost: 480, billedSeconds: 48 });
    });
  });

  describe('at the minimum', () => {
    const call = (billingSeconds: number, surcharge = 0) =>
      rateCall({ billingSeconds, rate: 600, minimum: 30, increment: 6, surcharge });

    it('charges the minimum up to and including it', () => {
      expect(call(1)).toMatchObject({ cost: 300, billedSeconds: 30 });
      expect(call(30)).toMatchObject({ cost: 300, billedSeconds: 30 });
    });

    it('adds one increment one second past it', () => {
      expect(call(31)).toMatchObject({ cost: 360, billedSeconds: 36 });
    });

    it('adds whole increments, exactly at their ends and one second past them', () => {
      expect(call(36)).toMatchObject({ cost: 360, billedSeconds: 36 });
      expect(call(37)).toMatchObject({ cost: 420, billedSeconds: 42 });
      expect(call(42)).toMatchObject({ cost: 420, billedSeconds: 42 });
      expect(call(90)).toMatchObject({ cost: 900, billedSeconds: 90 });
    });

    it('adds the surcharge once, to every charged call', () => {
      expect(call(30, 500)).toMatchObject({ cost: 800, billedSeconds: 30 });
      expect(call(31, 500)).toMatchObject({ cost: 860, billedSeconds: 36 });
    });

    it('counts increments from the minimum, not from zero, when the minimum is not a multiple of them', () => {
      // 45 s minimum then 30 s slices: 46 s bills 75 s (KAZOO would report ceil(46/30)·30 = 60 s for the same cost).
      expect(rateCall({ billingSeconds: 46, rate: 600, minimum: 45, increment: 30 })).toMatchObject({
        cost: 750,
        billedSeconds: 75,
      });
    });
  });

  it('bills whole increments from the first second when the minimum is 0', () => {
    expect(rateCall({ billingSeconds: 1, rate: 600, minimum: 0, increment: 6 })).toMatchObject({ cost: 60, billedSeconds: 6 });
    expect(rateCall({ billingSeconds: 0, rate: 600, minimum: 0, increment: 6 })).toMatchObject({ cost: 0, billedSeconds: 0 });
  });

  it('treats a 0 increment as the 60 s default, as KAZOO does', () => {
    expect(rateCall({ billingSeconds: 61, rate: 600, increment: 0 })).toEqual(rateCall({ billingSeconds: 61, rate: 600 }));
  });

  describe('offset', () => {
    it('is taken off the billing seconds first', () => {
      expect(rateCall({ billingSeconds: 70, offset: 10, rate: 600 })).toMatchObject({ cost: 600, billedSeconds: 60 });
      expect(rateCall({ billingSeconds: 71, offset: 10, rate: 600 })).toMatchObject({ cost: 1200, billedSeconds: 120 });
    });

    it('frees a call it covers, even with no no-charge time and a surcharge', () => {
      expect(rateCall({ billingSeconds: 10, offset: 10, rate: 600, surcharge: 500 }).cost).toBe(0);
      expect(rateCall({ billingSeconds: 5, offset: 10, rate: 600, surcharge: 500 }).cost).toBe(0);
    });
  });

  it('charges nothing at rate 0 without a surcharge, and only the surcharge with one', () => {
    expect(rateCall({ billingSeconds: 3_600, rate: 0 })).toMatchObject({ cost: 0, billedSeconds: 3_600 });
    expect(rateCall({ billingSeconds: 3_600, rate: 0, surcharge: 250 }).cost).toBe(250);
  });

  describe('truncation', () => {
    it('truncates the exact total once, toward zero', () => {
      // 1 unit/min: 59 s is 59/60 of a unit -> 0; 61 s is 61/60 -> 1.
      const perSecond = { rate: 1, minimum: 1, increment: 1 };
      expect(rateCall({ ...perSecond, billingSeconds: 59 }).cost).toBe(0);
      expect(rateCall({ ...perSecond, billingSeconds: 61 }).cost).toBe(1);
      expect(rateCall({ ...perSecond, billingSeconds: 119 }).cost).toBe(1);
    });

    it('does not truncate the terms separately', () => {
      // 30/60 + 30/60 of a unit: one unit in total, although each half alone would truncate to 0.
      expect(rateCall({ billingSeconds: 31, rate: 1, minimum: 30, increment: 30 }).cost).toBe(1);
    });

    it('truncates a fractional total and keeps a whole one, surcharge included', () => {
      // 7 + 6·7/60 = 7.7 units -> 7.
      expect(rateCall({ billingSeconds: 66, rate: 7, minimum: 60, increment: 6, surcharge: 0 }).cost).toBe(7);
      // 3 + 60·7/60 = 10 units.
      expect(rateCall({ billingSeconds: 60, rate: 7, surcharge: 3 }).cost).toBe(10);
    });

    it('is not pulled below an exact whole unit by float error (KAZOO computes 74.999… and truncates to 74)', () => {
      expect(rateCall({ billingSeconds: 125, rate: 36, minimum: 6, increment: 1 }).cost).toBe(75);
    });
  });

  it('explains the computation', () => {
    expect(rateCall({ billingSeconds: 31, rate: 600, minimum: 30, increment: 6, surcharge: 500 }).explanation).toBe(
      '31s billed as 30s minimum + 1×6s = 36s at 0.0600/min + surcharge 0.0500: 51600/60 units truncated to 860 (0.0860)',
    );
    expect(rateCall({ billingSeconds: 4, rate: 600, noChargeTime: 6 }).explanation).toBe(
      '4s after offset is within the no-charge time (6s): free',
    );
  });

  it.each<[string, Partial<CallRatingInput>]>([
    ['billing seconds', { billingSeconds: -1 }],
    ['billing seconds', { billingSeconds: 1.5 }],
    ['billing seconds', { billingSeconds: Number.NaN }],
    ['increment', { increment: -6 }],
    ['minimum', { minimum: 0.5 }],
    ['no-charge time', { noChargeTime: -1 }],
    ['offset', { offset: -1 }],
  ])('refuses a bad %s', (what, bad) => {
    expect(() => rateCall({ billingSeconds: 60, rate: 600, ...bad })).toThrow(RangeError);
    expect(() => rateCall({ billingSeconds: 60, rate: 600, ...bad })).toThrow(what);
  });

  it.each<[string, Partial<CallRatingInput>]>([
    ['rate', { rate: -1 }],
    ['rate', { rate: 0.5 }],
    ['surcharge', { surcharge: -100 }],
    ['surcharge', { surcharge: 1.25 }],
  ])('refuses a bad %s as money', (what, bad) => {
    expect(() => rateCall({ billingSeconds: 60, rate: 600, ...bad })).toThrow(MoneyError);
    expect(() => rateCall({ billingSeconds: 60, rate: 600, ...bad })).toThrow(what);
  });

  describe('properties', () => {
    const tariffArb = fc.record({
      rate: fc.integer({ min: 0, max: 100_000_000 }),
      increment: fc.integer({ min: 1, max: 600 }),
      minimum: fc.integer({ min: 0, max: 600 }),
      surcharge: fc.integer({ min: 0, max: 10_000_000 }),
      noChargeTime: fc.integer({ min: 0, max: 120 }),
      offset: fc.integer({ min: 0, max: 300 }),
    });
    const secondsArb = fc.integer({ min: 0, max: 200_000 });

    it('never costs less for a longer call', () => {
      fc.assert(
        fc.property(tariffArb, secondsArb, fc.integer({ min: 1, max: 5_000 }), (tariff, seconds, more) => {
          const shorter = rateCall({ ...tariff, billingSeconds: seconds });
          const longer = rateCall({ ...tariff, billingSeconds: seconds + more });
          expect(longer.cost).toBeGreaterThanOrEqual(shorter.cost);
          expect(longer.billedSeconds).toBeGreaterThanOrEqual(shorter.billedSeconds);
        }),
      );
    });

    it('is the exact rational cost truncated: never above it, less than one unit below it', () => {
      fc.assert(
        fc.property(tariffArb, secondsArb, (tariff, billingSeconds) => {
          const input = { ...tariff, billingSeconds };
          const exact = exactSixtieths(input);
          const cost = BigInt(rateCall(input).cost);
          expect(cost * 60n <= exact).toBe(true);
          expect(exact - cost * 60n < 60n).toBe(true);
        }),
      );
    });

    it('bills every charged second, and less than one increment more than the minimum or the call', () => {
      fc.assert(
        fc.property(tariffArb, secondsArb, (tariff, billingSeconds) => {
          const { billedSeconds, cost } = rateCall({ ...tariff, billingSeconds });
          const secs = billingSeconds - tariff.offset;
          if (secs <= tariff.noChargeTime || secs <= 0) {
            expect({ billedSeconds, cost }).toEqual({ billedSeconds: 0, cost: 0 });
            return;
          }
          expect(billedSeconds).toBeGreaterThanOrEqual(Math.max(secs, tariff.minimum));
          expect(billedSeconds - Math.max(secs, tariff.minimum)).toBeLessThan(tariff.increment);
        }),
      );
    });

    it('is free at rate 0 without a surcharge', () => {
      fc.assert(
        fc.property(tariffArb, secondsArb, (tariff, billingSeconds) => {
          expect(rateCall({ ...tariff, rate: 0, surcharge: 0, billingSeconds }).cost).toBe(0);
        }),
      );
    });
  });
});
