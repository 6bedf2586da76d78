import fc from 'fast-check';
import { apportion, roundToCentsKeepingSum } from '../../src/domain/apportion';
import { MoneyError, roundToCents } from '../../src/domain/money';

describe('apportion', () => {
  it('gives the units left over to the largest remainders, the earlier part on a tie', () => {
    expect(apportion(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(apportion(5, [3, 1])).toEqual([4, 1]);
    expect(apportion(7, [1, 2, 1])).toEqual([2, 3, 2]);
    expect(apportion(2, [1, 1, 1])).toEqual([1, 1, 0]);
  });

  it('splits a negative amount as the mirror image of its magnitude, without negative zeros', () => {
    expect(apportion(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(Object.is(apportion(-1, [1, 1])[1], 0)).toBe(true);
  });

  it('gives nothing to a zero weight and everything to the only weight', () => {
    expect(apportion(10, [0, 1, 0])).toEqual([0, 10, 0]);
    expect(apportion(0, [2, 3])).toEqual([0, 0]);
  });

  it('stays exact where amount x weight passes 2^53', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(apportion(max, [max, 1])).toEqual([max - 1, 1]);
  });

  it('refuses weights that are all 0, negative or fractional, and a fractional amount', () => {
    expect(() => apportion(10, [0, 0])).toThrow(MoneyError);
    expect(() => apportion(10, [])).toThrow(/all 0/);
    expect(() => apportion(10, [1, -1])).toThrow(/-1/);
    expect(() => apportion(10, [0.5])).toThrow(/0.5/);
    expect(() => apportion(1.5, [1])).toThrow(/1.5/);
  });

  it('always adds up, and every part is within one unit of its exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 30 }).filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = apportion(total, weights);
          expect(parts).toHaveLength(weights.length);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const sumOfWeights = BigInt(weights.reduce((a, b) => a + b, 0));
          parts.forEach((part, i) => {
            // |part - total*w/W| < 1, in integers: |part*W - total*w| < W.
            const error = BigInt(part) * sumOfWeights - BigInt(total) * BigInt(weights[i]!);
            expect(error < sumOfWeights && -error < sumOfWeights).toBe(true);
            if (weights[i] === 0) expect(part).toBe(0);
            if (part !== 0) expect(Math.sign(part)).toBe(Math.sign(total));
          });
        },
      ),
    );
  });

  it('gives equal weights parts that differ by at most one unit, larger first', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 12 }), (total, n) => {
        const parts = apportion(total, new Array<number>(n).fill(1));
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
        const magnitudes = parts.map(Math.abs);
        expect([...magnitudes].sort((a, b) => b - a)).toEqual(magnitudes);
      }),
    );
  });
});

describe('roundToCentsKeepingSum', () => {
  it('rounds rows so that they add up to the total rounded', () => {
    // 0.3333 + 0.3333 + 0.3334 = 1.0000: shown as 0.33 + 0.33 + 0.34.
    expect(roundToCentsKeepingSum([3333, 3333, 3334])).toEqual([3300, 3300, 3400]);
    expect(roundToCentsKeepingSum([-3333, -3333, -3334])).toEqual([-3300, -3300, -3400]);
    // 0.0050 + 0.0050 = 0.0100: one of them shows a cent.
    expect(roundToCentsKeepingSum([50, 50])).toEqual([100, 0]);
    expect(roundToCentsKeepingSum([])).toEqual([]);
  });

  it('adds up to the total rounded half away from zero, moves each amount by less than a cent, and leaves whole cents alone', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e10, max: 1e10 }), { maxLength: 40 }), (amounts) => {
        const rounded = roundToCentsKeepingSum(amounts);
        expect(rounded.reduce((a, b) => a + b, 0)).toBe(roundToCents(amounts.reduce((a, b) => a + b, 0)));
        rounded.forEach((r, i) => {
          expect(r % 100 === 0).toBe(true);
          expect(Math.abs(r - amounts[i]!)).toBeLessThan(100);
          if (amounts[i]! % 100 === 0) expect(r).toBe(amounts[i]);
        });
      }),
    );
  });
});
