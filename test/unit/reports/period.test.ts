import fc from 'fast-check';
import { MAX_REPORT_DAYS, ReportRequestError, checkPeriod, previousMonth } from '../../../src/domain/reports/period';

describe('checkPeriod', () => {
  it('counts both ends', () => {
    expect(checkPeriod('2026-03-01', '2026-03-31', '2026-04-02')).toEqual({ from: '2026-03-01', to: '2026-03-31', days: 31 });
    expect(checkPeriod('2026-03-05', '2026-03-05', '2026-03-05').days).toBe(1);
    expect(checkPeriod('2028-01-01', '2028-12-31', '2029-01-01').days).toBe(366);
  });

  it.each([
    ['2026-3-01', '2026-03-31', '2026-04-01', 'from: expected a date as YYYY-MM-DD (got "2026-3-01")'],
    ['2026-03-01', '2026-02-30', '2026-04-01', 'to: expected a date as YYYY-MM-DD (got "2026-02-30")'],
    ['2026-03-31', '2026-03-01', '2026-04-01', 'to: 2026-03-01 is before from (2026-03-31)'],
    ['2026-03-01', '2026-04-02', '2026-04-01', "to: 2026-04-02 is after today (2026-04-01 in the reseller's time zone)"],
    ['2025-01-01', '2026-01-02', '2026-04-01', 'from/to: 2025-01-01 to 2026-01-02 is 367 days; a report covers at most 366'],
  ])('refuses %s..%s (today %s)', (from, to, today, message) => {
    expect(() => checkPeriod(from, to, today)).toThrow(new ReportRequestError(message));
  });

  it('accepts exactly the periods of 1..MAX days ending by today', () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, day, (from, to, today) => {
        const length = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
        const ok = length >= 1 && length <= MAX_REPORT_DAYS && to <= today;
        if (ok) expect(checkPeriod(from, to, today).days).toBe(length);
        else expect(() => checkPeriod(from, to, today)).toThrow(ReportRequestError);
      }),
    );
  });
});

describe('previousMonth', () => {
  it.each([
    ['2026-03-01', '2026-02', '2026-02-01', '2026-02-28', 28],
    ['2028-03-31', '2028-02', '2028-02-01', '2028-02-29', 29],
    ['2026-01-15', '2025-12', '2025-12-01', '2025-12-31', 31],
  ])('on %s reports %s', (today, month, from, to, days) => {
    expect(previousMonth(today)).toEqual({ month, period: { from, to, days } });
  });
});
