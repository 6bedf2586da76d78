import fc from 'fast-check';
import {
  CalendarError,
  assertTimeZone,
  daysInMonth,
  localDate,
  localDayRange,
  localMonth,
  monthStart,
  monthsBetween,
  nextMonth,
  parseLocalDate,
  parseMonth,
} from '../../src/domain/calendar';

const at = (iso: string): Date => new Date(iso);
const hours = (range: { start: Date; end: Date }): number => (range.end.getTime() - range.start.getTime()) / 3_600_000;

// DST zones of both hemispheres, half-hour and 45-minute offsets, the extremes of the offset range, and zones whose
// clocks change at midnight.
const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'America/Santiago',
  'America/Havana',
  'America/Asuncion',
  'America/St_Johns',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Pacific/Apia',
  'Asia/Amman',
];
const zoneArb = fc.constantFrom(...ZONES);
const instantArb = fc.date({ min: at('1990-01-01T00:00:00Z'), max: at('2040-12-31T23:59:59Z'), noInvalidDate: true });
const monthArb = fc
  .record({ year: fc.integer({ min: 1, max: 9999 }), month: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, month }) => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`);

describe('assertTimeZone', () => {
  it.each(['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'America/Santiago'])('accepts %s', (zone) => {
    expect(assertTimeZone(zone)).toBe(zone);
  });

  it('names the unknown zone in the error', () => {
    expect(() => assertTimeZone('Mars/Olympus_Mons')).toThrow(CalendarError);
    expect(() => assertTimeZone('Mars/Olympus_Mons')).toThrow('unknown IANA time zone: "Mars/Olympus_Mons"');
  });

  it.each(['', 'UTC+3', 'local', 'system', 'America/New York'])('refuses %j, which is not an IANA zone', (zone) => {
    expect(() => assertTimeZone(zone)).toThrow(CalendarError);
  });

  it('refuses non-strings that reach it from untyped input', () => {
    expect(() => assertTimeZone(undefined as unknown as string)).toThrow('unknown IANA time zone: undefined');
  });

  it('is applied by every zone-taking function', () => {
    const instant = at('2026-03-01T00:00:00Z');
    for (const call of [
      () => localDate(instant, 'Nowhere/City'),
      () => localMonth(instant, 'Nowhere/City'),
      () => monthStart('2026-03', 'Nowhere/City'),
      () => localDayRange('2026-03-01', 'Nowhere/City'),
    ]) {
      expect(call).toThrow('"Nowhere/City"');
    }
  });
});

describe('parseMonth and parseLocalDate', () => {
  it('read valid text into numbers', () => {
    expect(parseMonth('2026-03')).toEqual({ year: 2026, month: 3 });
    expect(parseLocalDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseLocalDate('0001-01-01')).toEqual({ year: 1, month: 1, day: 1 });
  });

  it.each(['2026-13', '2026-00', '2026-3', '26-03', '2026-03-01', ' 2026-03', '0000-01', ''])(
    'refuses month %j, naming it',
    (text) => {
      expect(() => parseMonth(text)).toThrow(CalendarError);
      expect(() => parseMonth(text)).toThrow(JSON.stringify(text));
    },
  );

  it.each(['2027-02-29', '2026-04-31', '2026-02-30', '2026-01-00', '2026-01-32', '2026-1-01', '2026-01', '2100-02-29'])(
    'refuses date %j, naming it',
    (text) => {
      expect(() => parseLocalDate(text)).toThrow(CalendarError);
      expect(() => parseLocalDate(text)).toThrow(JSON.stringify(text));
    },
  );
});

describe('daysInMonth', () => {
  it.each([
    ['2026-01', 31],
    ['2026-04', 30],
    ['2027-02', 28],
    ['2028-02', 29],
    ['2000-02', 29],
    ['2100-02', 28],
    ['2026-12', 31],
  ])('%s has %i days', (month, days) => {
    expect(daysInMonth(month)).toBe(days);
  });
});

describe('localDate and localMonth', () => {
  it.each([
    ['2026-03-01T04:59:59.999Z', 'America/New_York', '2026-02-28'],
    ['2026-03-01T05:00:00.000Z', 'America/New_York', '2026-03-01'],
    ['2026-03-01T04:59:59.999Z', 'UTC', '2026-03-01'],
    ['2026-02-28T23:59:59.999Z', 'UTC', '2026-02-28'],
    ['2026-02-28T14:59:59.999Z', 'Asia/Tokyo', '2026-02-28'],
    ['2026-02-28T15:00:00.000Z', 'Asia/Tokyo', '2026-03-01'],
    ['2026-02-28T22:59:59.999Z', 'Europe/Berlin', '2026-02-28'],
    ['2026-02-28T23:00:00.000Z', 'Europe/Berlin', '2026-03-01'],
    ['2026-02-28T13:00:00.000Z', 'Australia/Sydney', '2026-03-01'],
    ['2026-02-28T12:59:59.999Z', 'Australia/Sydney', '2026-02-28'],
    ['2026-12-31T10:00:00.000Z', 'Pacific/Kiritimati', '2027-01-01'],
    ['2027-01-01T10:59:59.999Z', 'Pacific/Pago_Pago', '2026-12-31'],
  ])('%s is %s local date %s', (iso, zone, expected) => {
    expect(localDate(at(iso), zone)).toBe(expected);
    expect(localMonth(at(iso), zone)).toBe(expected.slice(0, 7));
  });

  it('refuses an invalid Date', () => {
    expect(() => localDate(new Date(Number.NaN), 'UTC')).toThrow(CalendarError);
  });
});

describe('monthStart', () => {
  it.each([
    ['2026-03', 'America/New_York', '2026-03-01T05:00:00.000Z'],
    ['2026-04', 'America/New_York', '2026-04-01T04:00:00.000Z'],
    ['2026-03', 'UTC', '2026-03-01T00:00:00.000Z'],
    ['2026-04', 'Europe/Berlin', '2026-03-31T22:00:00.000Z'],
    ['2026-11', 'Europe/Berlin', '2026-10-31T23:00:00.000Z'],
    ['2026-04', 'Australia/Sydney', '2026-03-31T13:00:00.000Z'],
    ['2026-10', 'Australia/Sydney', '2026-09-30T14:00:00.000Z'],
    ['2026-03', 'Asia/Kathmandu', '2026-02-28T18:15:00.000Z'],
  ])('%s in %s starts at %s', (month, zone, iso) => {
    expect(monthStart(month, zone).toISOString()).toBe(iso);
  });

  it('starts at the transition when local midnight on the 1st does not exist', () => {
    // America/Asuncion jumped from 00:00 (-04:00) to 01:00 (-03:00) on 2023-10-01.
    const start = monthStart('2023-10', 'America/Asuncion');
    expect(start.toISOString()).toBe('2023-10-01T04:00:00.000Z');
    expect(localDate(start, 'America/Asuncion')).toBe('2023-10-01');
    expect(localDate(new Date(start.getTime() - 1), 'America/Asuncion')).toBe('2023-09-30');
    // America/Havana did the same on 2012-04-01.
    expect(monthStart('2012-04', 'America/Havana').toISOString()).toBe('2012-04-01T05:00:00.000Z');
  });

  it('starts at the first of two local midnights when the clocks fall back onto midnight', () => {
    // America/Havana went from 01:00 (-04:00) back to 00:00 (-05:00) on 2026-11-01: 00:00-00:59 happens twice.
    const start = monthStart('2026-11', 'America/Havana');
    expect(start.toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(localMonth(start, 'America/Havana')).toBe('2026-11');
    expect(localMonth(new Date(start.getTime() - 1), 'America/Havana')).toBe('2026-10');
  });

  it('is the first instant of the local month (property)', () => {
    fc.assert(
      fc.property(instantArb, zoneArb, (instant, zone) => {
        const month = localMonth(instant, zone);
        const start = monthStart(month, zone);
        expect(start.getTime()).toBeLessThanOrEqual(instant.getTime());
        expect(localMonth(start, zone)).toBe(month);
        expect(localMonth(new Date(start.getTime() - 1), zone)).toBe(nextMonth(month, -1));
        expect(monthStart(nextMonth(month), zone).getTime()).toBeGreaterThan(instant.getTime());
      }),
    );
  });
});

describe('nextMonth', () => {
  it.each([
    ['2026-01', 1, '2026-02'],
    ['2026-12', 1, '2027-01'],
    ['2026-01', -1, '2025-12'],
    ['2026-05', 0, '2026-05'],
    ['2026-01', 25, '2028-02'],
    ['2026-03', -27, '2023-12'],
    ['0001-01', 0, '0001-01'],
  ])('%s + %i months is %s', (month, n, expected) => {
    expect(nextMonth(month, n)).toBe(expected);
  });

  it('defaults to one month', () => {
    expect(nextMonth('2026-02')).toBe('2026-03');
  });

  it('refuses a fractional offset and a result outside 0001-9999', () => {
    expect(() => nextMonth('2026-01', 1.5)).toThrow(CalendarError);
    expect(() => nextMonth('9999-12')).toThrow(CalendarError);
    expect(() => nextMonth('0001-01', -1)).toThrow(CalendarError);
    expect(() => nextMonth('2026-13')).toThrow('"2026-13"');
  });

  it('adds offsets (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: -500, max: 500 }), fc.integer({ min: -500, max: 500 }), (base, a, b) => {
        const anchor = nextMonth('2000-01', base);
        expect(nextMonth(nextMonth(anchor, a), b)).toBe(nextMonth(anchor, a + b));
        expect(nextMonth(nextMonth(anchor, a), -a)).toBe(anchor);
      }),
    );
  });
});

describe('monthsBetween', () => {
  it('lists both ends and every month between', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-04', '2026-04')).toEqual(['2026-04']);
  });

  it('is empty when the end comes first', () => {
    expect(monthsBetween('2026-04', '2026-03')).toEqual([]);
  });

  it('validates both months', () => {
    expect(() => monthsBetween('2026-4', '2026-05')).toThrow('"2026-4"');
    expect(() => monthsBetween('2026-04', 'May')).toThrow('"May"');
  });

  it('is consecutive months, sorted, from anchor to end (property)', () => {
    fc.assert(
      fc.property(monthArb, fc.integer({ min: -3, max: 40 }), (from, span) => {
        // Both ends must stay inside years 0001-9999, going back (span < 0) as well as forward.
        fc.pre(from <= '9990-12' && from >= '0001-04');
        const to = nextMonth(from, span);
        const months = monthsBetween(from, to);
        expect(months).toHaveLength(Math.max(0, span + 1));
        months.forEach((month, i) => expect(month).toBe(nextMonth(from, i)));
        expect([...months].sort()).toEqual(months);
      }),
    );
  });
});

describe('localDayRange', () => {
  it.each([
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z', 23],
    ['2026-11-01', 'America/New_York', '2026-11-01T04:00:00.000Z', 25],
    ['2026-03-29', 'Europe/Berlin', '2026-03-28T23:00:00.000Z', 23],
    ['2026-10-25', 'Europe/Berlin', '2026-10-24T22:00:00.000Z', 25],
    ['2026-04-05', 'Australia/Sydney', '2026-04-04T13:00:00.000Z', 25],
    ['2026-10-04', 'Australia/Sydney', '2026-10-03T14:00:00.000Z', 23],
    ['2026-03-09', 'America/New_York', '2026-03-09T04:00:00.000Z', 24],
    ['2026-03-01', 'UTC', '2026-03-01T00:00:00.000Z', 24],
  ])('%s in %s starts at %s and lasts %i hours', (date, zone, start, length) => {
    const range = localDayRange(date, zone);
    expect(range.start.toISOString()).toBe(start);
    expect(hours(range)).toBe(length);
  });

  it('starts a day whose midnight does not exist at the transition (01:00 local)', () => {
    // America/Santiago jumps from 00:00 (-04:00) to 01:00 (-03:00) on 2026-09-06.
    const santiago = localDayRange('2026-09-06', 'America/Santiago');
    expect(santiago.start.toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(hours(santiago)).toBe(23);
    // America/Havana jumps from 00:00 (-05:00) to 01:00 (-04:00) on 2026-03-08.
    const havana = localDayRange('2026-03-08', 'America/Havana');
    expect(havana.start.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(hours(havana)).toBe(23);
  });

  it('starts a day whose midnight happens twice at the first one', () => {
    const range = localDayRange('2026-11-01', 'America/Havana');
    expect(range.start.toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(hours(range)).toBe(25);
    expect(localDayRange('2026-10-31', 'America/Havana').end).toEqual(range.start);
    // East of UTC too: Asia/Amman went from 01:00 (+03:00) back to 00:00 (+02:00) on 2021-10-29.
    const amman = localDayRange('2021-10-29', 'Asia/Amman');
    expect(amman.start.toISOString()).toBe('2021-10-28T21:00:00.000Z');
    expect(hours(amman)).toBe(25);
  });

  it('is empty for a date the zone skipped', () => {
    // Samoa moved across the date line: 2011-12-29 was followed by 2011-12-31.
    const range = localDayRange('2011-12-30', 'Pacific/Apia');
    expect(range.end).toEqual(range.start);
    expect(localDate(range.start, 'Pacific/Apia')).toBe('2011-12-31');
    expect(localDate(new Date(range.start.getTime() - 1), 'Pacific/Apia')).toBe('2011-12-29');
  });

  it('refuses an invalid date', () => {
    expect(() => localDayRange('2026-02-29', 'UTC')).toThrow('"2026-02-29"');
  });

  it('holds exactly the instants of that local date (property)', () => {
    fc.assert(
      fc.property(instantArb, zoneArb, (instant, zone) => {
        const date = localDate(instant, zone);
        const { start, end } = localDayRange(date, zone);
        expect(start.getTime()).toBeLessThanOrEqual(instant.getTime());
        expect(end.getTime()).toBeGreaterThan(instant.getTime());
        expect(localDate(start, zone)).toBe(date);
        expect(localDate(new Date(start.getTime() - 1), zone) < date).toBe(true);
        expect(localDate(new Date(end.getTime() - 1), zone)).toBe(date);
        expect(localDate(end, zone) > date).toBe(true);
      }),
    );
  });
});
