import fc from 'fast-check';
import { CalendarError, daysInMonth, localDate } from '../../src/domain/calendar';
import { MoneyError, parseUnits } from '../../src/domain/money';
import { prorate, prorateAt } from '../../src/domain/proration';

const PLAN = parseUnits('24.99');

describe('prorate', () => {
  it.each([
    // [date, days left, days in month]
    ['2026-03-01', 31, 31],
    ['2026-03-14', 18, 31],
    ['2026-03-31', 1, 31],
    ['2026-04-01', 30, 30],
    ['2026-04-16', 15, 30],
    ['2026-04-30', 1, 30],
    ['2028-02-01', 29, 29],
    ['2028-02-15', 15, 29],
    ['2028-02-29', 1, 29],
    ['2027-02-01', 28, 28],
    ['2027-02-15', 14, 28],
    ['2027-02-28', 1, 28],
  ])('on %s counts %i of %i days', (today, daysLeft, days) => {
    const result = prorate(PLAN, today);
    expect(result.daysLeft).toBe(daysLeft);
    expect(result.daysInMonth).toBe(days);
  });

  it('charges the full amount on the 1st', () => {
    for (const today of ['2026-01-01', '2026-04-01', '2027-02-01', '2028-02-01']) {
      expect(prorate(PLAN, today).amount).toBe(PLAN);
    }
  });

  it('charges one day of the month on its last day', () => {
    expect(prorate(PLAN, '2026-03-31').amount).toBe(8061); // 249,900 / 31 = 8,061.29
    expect(prorate(PLAN, '2026-04-30').amount).toBe(8330); // 249,900 / 30 = 8,330
    expect(prorate(PLAN, '2028-02-29').amount).toBe(8617); // 249,900 / 29 = 8,617.24
    expect(prorate(PLAN, '2027-02-28').amount).toBe(8925); // 249,900 / 28 = 8,925
  });

  it('computes mid-month amounts exactly', () => {
    expect(prorate(PLAN, '2026-03-14').amount).toBe(145103); // 249,900 × 18 / 31 = 145,103.23
    expect(prorate(PLAN, '2026-04-16').amount).toBe(124950); // exactly half
    expect(prorate(PLAN, '2028-02-15').amount).toBe(129259); // 249,900 × 15 / 29 = 129,258.62
    expect(prorate(parseUnits('149.95'), '2026-03-20').amount).toBe(580452); // 1,499,500 × 12 / 31 = 580,451.61
  });

  it('rounds a half unit away from zero', () => {
    expect(prorate(3, '2026-04-16').amount).toBe(2); // 1.5
    expect(prorate(-3, '2026-04-16').amount).toBe(-2); // -1.5
    expect(prorate(1, '2027-02-15').amount).toBe(1); // 0.5
    expect(prorate(5, '2026-04-25').amount).toBe(1); // 5 × 6 / 30 = 1
    expect(prorate(7, '2026-04-25').amount).toBe(1); // 1.4
  });

  it('prorates zero to zero', () => {
    expect(prorate(0, '2026-03-14').amount).toBe(0);
  });

  it('explains the computation', () => {
    expect(prorate(PLAN, '2026-03-14').explanation).toBe(
      '24.9900 × 18/31 days (2026-03-14 to 2026-03-31 inclusive) = 14.5103',
    );
  });

  it('refuses amounts that are not integer units', () => {
    expect(() => prorate(24.99, '2026-03-14')).toThrow(MoneyError);
    expect(() => prorate(Number.NaN, '2026-03-14')).toThrow(MoneyError);
    expect(() => prorate(Number.MAX_SAFE_INTEGER, '2026-03-14')).toThrow(MoneyError);
  });

  it('refuses a date that is not a calendar date, naming it', () => {
    expect(() => prorate(PLAN, '2027-02-29')).toThrow(CalendarError);
    expect(() => prorate(PLAN, '2026-3-14')).toThrow('"2026-3-14"');
  });
});

describe('prorateAt', () => {
  it.each([
    // Just before / after local midnight: the same instant is a different day in different zones.
    ['2026-03-01T04:59:59Z', 'America/New_York', 1, 28],
    ['2026-03-01T04:59:59Z', 'UTC', 31, 31],
    ['2026-03-01T05:00:00Z', 'America/New_York', 31, 31],
    ['2026-02-28T23:00:00Z', 'Europe/Berlin', 31, 31],
    ['2026-02-28T22:59:59Z', 'Europe/Berlin', 1, 28],
    // New York, March 2026 (clocks forward on the 8th) and November 2026 (back on the 1st).
    ['2026-03-08T04:59:59Z', 'America/New_York', 25, 31],
    ['2026-03-08T05:00:00Z', 'America/New_York', 24, 31],
    ['2026-03-09T03:59:59Z', 'America/New_York', 24, 31],
    ['2026-03-09T04:00:00Z', 'America/New_York', 23, 31],
    ['2026-03-31T03:59:59Z', 'America/New_York', 2, 31],
    ['2026-11-01T03:59:59Z', 'America/New_York', 1, 31],
    ['2026-11-01T04:00:00Z', 'America/New_York', 30, 30],
    ['2026-11-02T04:59:59Z', 'America/New_York', 30, 30],
    ['2026-11-02T05:00:00Z', 'America/New_York', 29, 30],
    // Berlin, March 2026 (forward on the 29th) and October 2026 (back on the 25th).
    ['2026-03-28T23:00:00Z', 'Europe/Berlin', 3, 31],
    ['2026-03-29T21:59:59Z', 'Europe/Berlin', 3, 31],
    ['2026-03-29T22:00:00Z', 'Europe/Berlin', 2, 31],
    ['2026-03-31T21:59:59Z', 'Europe/Berlin', 1, 31],
    ['2026-03-31T22:00:00Z', 'Europe/Berlin', 30, 30],
    ['2026-10-25T22:59:59Z', 'Europe/Berlin', 7, 31],
    ['2026-10-25T23:00:00Z', 'Europe/Berlin', 6, 31],
    ['2026-10-31T22:59:59Z', 'Europe/Berlin', 1, 31],
    ['2026-10-31T23:00:00Z', 'Europe/Berlin', 30, 30],
    // Sydney, April 2026 (clocks back on the 5th) and October 2026 (forward on the 4th).
    ['2026-03-31T12:59:59Z', 'Australia/Sydney', 1, 31],
    ['2026-03-31T13:00:00Z', 'Australia/Sydney', 30, 30],
    ['2026-04-04T12:59:59Z', 'Australia/Sydney', 27, 30],
    ['2026-04-04T13:00:00Z', 'Australia/Sydney', 26, 30],
    ['2026-04-05T13:59:59Z', 'Australia/Sydney', 26, 30],
    ['2026-04-05T14:00:00Z', 'Australia/Sydney', 25, 30],
    ['2026-09-30T13:59:59Z', 'Australia/Sydney', 1, 30],
    ['2026-09-30T14:00:00Z', 'Australia/Sydney', 31, 31],
    ['2026-10-03T13:59:59Z', 'Australia/Sydney', 29, 31],
    ['2026-10-03T14:00:00Z', 'Australia/Sydney', 28, 31],
    ['2026-10-04T12:59:59Z', 'Australia/Sydney', 28, 31],
    ['2026-10-04T13:00:00Z', 'Australia/Sydney', 27, 31],
  ])('at %s in %s counts %i of %i days', (iso, zone, daysLeft, days) => {
    const result = prorateAt(PLAN, new Date(iso), zone);
    expect(result.daysLeft).toBe(daysLeft);
    expect(result.daysInMonth).toBe(days);
  });

  it('refuses an unknown zone, naming it', () => {
    expect(() => prorateAt(PLAN, new Date('2026-03-14T12:00:00Z'), 'Europe/Atlantis')).toThrow(CalendarError);
    expect(() => prorateAt(PLAN, new Date('2026-03-14T12:00:00Z'), 'Europe/Atlantis')).toThrow('"Europe/Atlantis"');
  });

  it('is prorate on the local date (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom('UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'America/Havana', 'Asia/Kathmandu'),
        (amount, instant, zone) => {
          expect(prorateAt(amount, instant, zone)).toEqual(prorate(amount, localDate(instant, zone)));
        },
      ),
    );
  });
});

describe('prorate (properties)', () => {
  const monthArb = fc
    .record({ year: fc.integer({ min: 1900, max: 2200 }), month: fc.integer({ min: 1, max: 12 }) })
    .map(({ year, month }) => `${year}-${String(month).padStart(2, '0')}`);
  const amountArb = fc.integer({ min: -10_000_000_000, max: 10_000_000_000 });
  const dayOf = (month: string, day: number): string => `${month}-${String(day).padStart(2, '0')}`;

  it('lies between 0 and the amount, and counts days left + days elapsed = days in month', () => {
    fc.assert(
      fc.property(amountArb, monthArb, fc.integer({ min: 1, max: 31 }), (amount, month, rawDay) => {
        const days = daysInMonth(month);
        const day = Math.min(rawDay, days);
        const result = prorate(amount, dayOf(month, day));
        expect(Math.abs(result.amount)).toBeLessThanOrEqual(Math.abs(amount));
        expect(result.amount === 0 || Math.sign(result.amount) === Math.sign(amount)).toBe(true);
        expect(result.daysLeft + (day - 1)).toBe(result.daysInMonth);
        expect(result.daysInMonth).toBe(days);
      }),
    );
  });

  it('is the exact value rounded to the nearest unit, half away from zero', () => {
    fc.assert(
      fc.property(amountArb, monthArb, fc.integer({ min: 1, max: 28 }), (amount, month, day) => {
        const { amount: prorated, daysLeft, daysInMonth: days } = prorate(amount, dayOf(month, day));
        const error = BigInt(prorated) * BigInt(days) - BigInt(amount) * BigInt(daysLeft);
        const twiceError = 2n * (error < 0n ? -error : error);
        expect(twiceError <= BigInt(days)).toBe(true);
        if (twiceError === BigInt(days)) expect(Math.abs(prorated) * days).toBeGreaterThan(Math.abs(amount) * daysLeft);
      }),
    );
  });

  it('never grows as the start day moves later in the month, from the full amount down to 1/n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), monthArb, (amount, month) => {
        const days = daysInMonth(month);
        const amounts = Array.from({ length: days }, (_, i) => prorate(amount, dayOf(month, i + 1)).amount);
        amounts.slice(1).forEach((value, i) => expect(value).toBeLessThanOrEqual(amounts[i]!));
        expect(amounts[0]).toBe(amount);
        expect(amounts[days - 1]).toBe(prorate(amount, dayOf(month, days)).amount);
        expect(Math.abs(amounts[days - 1]! * days - amount)).toBeLessThanOrEqual(days / 2);
      }),
    );
  });
});
