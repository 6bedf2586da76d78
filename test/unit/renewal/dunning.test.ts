import fc from 'fast-check';
import { DEFAULT_RETRY_DAYS, DunningError, isFinalFailure, nextRetryAt, parseRetryDays } from '../../../src/domain/renewal/dunning';

describe('dunning schedule', () => {
  it('parses "1,3,7" and refuses anything else, naming the value', () => {
    expect(parseRetryDays('1,3,7')).toEqual([1, 3, 7]);
    expect(parseRetryDays(' 2 ')).toEqual([2]);
    for (const bad of ['', '1,,3', '3,1', '0', '1.5', 'x', '1,1', '400']) {
      expect(() => parseRetryDays(bad)).toThrow(DunningError);
      expect(() => parseRetryDays(bad)).toThrow(JSON.stringify(bad));
    }
  });

  it('retries 1, 3 and 7 days after the first failure, then the fourth failure is final', () => {
    const first = new Date('2026-04-01T04:00:00Z');
    const at = (n: number) => nextRetryAt(first, n, DEFAULT_RETRY_DAYS, 'UTC');
    expect([1, 2, 3].map((n) => at(n)?.toISOString())).toEqual(['2026-04-02T04:00:00.000Z', '2026-04-04T04:00:00.000Z', '2026-04-08T04:00:00.000Z']);
    expect(at(4)).toBeNull();
    expect([1, 2, 3, 4].map((n) => isFinalFailure(n, DEFAULT_RETRY_DAYS))).toEqual([false, false, false, true]);
  });

  it('keeps the local time of day across a DST change (New York, March 2026)', () => {
    // 00:30 EST on 7 March; 3 days later is 00:30 EDT, 23 hours after the naive 72 h.
    const retry = nextRetryAt(new Date('2026-03-07T05:30:00Z'), 2, [1, 3], 'America/New_York');
    expect(retry?.toISOString()).toBe('2026-03-10T04:30:00.000Z');
  });

  it('property: retries are anchored on the first failure and strictly later each time', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }), fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 6 }), (first, raw) => {
        const days = [...raw].sort((a, b) => a - b);
        const retries = days.map((_, i) => nextRetryAt(first, i + 1, days, 'Europe/Berlin')!.getTime());
        retries.forEach((t, i) => expect(t).toBeGreaterThan(i === 0 ? first.getTime() : retries[i - 1]!));
        expect(nextRetryAt(first, days.length + 1, days, 'Europe/Berlin')).toBeNull();
      }),
    );
  });
});
