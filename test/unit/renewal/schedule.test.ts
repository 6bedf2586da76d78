import fc from 'fast-check';
import { localMonth, monthStart, nextMonth } from '../../../src/domain/calendar';
import { afterInvoicing, billedFrom, enrolment, monthsDue } from '../../../src/domain/renewal/schedule';

const ZONES = ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Pacific/Auckland', 'UTC'];

describe('renewal schedule', () => {
  it('an account enrolled mid-month is due at once for that month, billed from its local day', () => {
    // 02:30 UTC on the 15th is still the 14th in New York.
    const state = enrolment(new Date('2026-03-15T02:30:00Z'), 'America/New_York');
    expect(state).toEqual({ nextMonth: '2026-03', dueAt: new Date('2026-03-15T02:30:00Z'), startDate: '2026-03-14' });
    expect(billedFrom(state, '2026-03')).toBe('2026-03-14');
    expect(monthsDue(state, new Date('2026-03-15T02:30:00Z'), 'America/New_York')).toEqual(['2026-03']);
  });

  it('after a month is invoiced the next one is due at local midnight on the 1st, billed in full', () => {
    const state = afterInvoicing('2026-03', 'Europe/Berlin');
    expect(state).toEqual({ nextMonth: '2026-04', dueAt: new Date('2026-03-31T22:00:00Z'), startDate: null });
    expect(billedFrom(state, '2026-04')).toBe('2026-04-01');
    expect(monthsDue(state, new Date('2026-03-31T21:59:59Z'), 'Europe/Berlin')).toEqual([]);
    expect(monthsDue(state, new Date('2026-03-31T22:00:00Z'), 'Europe/Berlin')).toEqual(['2026-04']);
  });

  it('months missed while the worker was down are all due, oldest first, and the first stays prorated', () => {
    const state = enrolment(new Date('2026-01-20T12:00:00Z'), 'UTC');
    expect(monthsDue(state, new Date('2026-04-02T00:00:00Z'), 'UTC')).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    expect(billedFrom(state, '2026-01')).toBe('2026-01-20');
    expect(billedFrom(state, '2026-02')).toBe('2026-02-01');
  });

  it('property: dueAt is the first instant of the next month in the zone, and nothing is due before it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000 * 12, max: 2100 * 12 }), fc.constantFrom(...ZONES), (index, zone) => {
        const month = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
        const state = afterInvoicing(month, zone);
        expect(state.nextMonth).toBe(nextMonth(month));
        expect(state.dueAt).toEqual(monthStart(nextMonth(month), zone));
        expect(localMonth(state.dueAt, zone)).toBe(nextMonth(month));
        expect(monthsDue(state, new Date(state.dueAt.getTime() - 1), zone)).toEqual([]);
        expect(monthsDue(state, state.dueAt, zone)).toEqual([nextMonth(month)]);
      }),
    );
  });
});
