import fc from 'fast-check';
import { localMonth, monthStart, nextMonth } from '../../../src/domain/calendar';
import { afterRenewing, enrolment, monthsDue, renewalPending } from '../../../src/domain/renewal/schedule';

const ZONES = ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Pacific/Auckland', 'UTC'];

describe('renewal schedule', () => {
  it('an account whose first plan comes mid-month renews from the next month, at its local midnight', () => {
    // 02:30 UTC on 1 April is still 31 March in New York: March is the assignment month, April the first renewal.
    const state = enrolment(new Date('2026-04-01T02:30:00Z'), 'America/New_York');
    expect(state).toEqual({ nextMonth: '2026-04', dueAt: new Date('2026-04-01T04:00:00Z') });
    expect(monthsDue(state, new Date('2026-04-01T03:59:59Z'), 'America/New_York')).toEqual([]);
    expect(monthsDue(state, new Date('2026-04-01T04:00:00Z'), 'America/New_York')).toEqual(['2026-04']);
  });

  it('renews each account at its own midnight: Berlin, Kolkata and Auckland', () => {
    expect(afterRenewing('2026-03', 'Europe/Berlin').dueAt).toEqual(new Date('2026-03-31T22:00:00Z'));
    expect(afterRenewing('2026-03', 'Asia/Kolkata').dueAt).toEqual(new Date('2026-03-31T18:30:00Z'));
    expect(afterRenewing('2026-03', 'Pacific/Auckland').dueAt).toEqual(new Date('2026-03-31T11:00:00Z'));
  });

  it('months missed while the worker was down are all due, oldest first', () => {
    const state = afterRenewing('2026-01', 'UTC');
    expect(monthsDue(state, new Date('2026-04-02T00:00:00Z'), 'UTC')).toEqual(['2026-02', '2026-03', '2026-04']);
  });

  it('tells reconciliation whether a month still waits for its renewal', () => {
    const state = afterRenewing('2026-03', 'UTC');
    expect(renewalPending(state, '2026-03')).toBe(false);
    expect(renewalPending(state, '2026-04')).toBe(true);
    expect(renewalPending(null, '2026-04')).toBe(false);
  });

  it('property: dueAt is the first instant of the next month in the zone, and nothing is due before it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000 * 12, max: 2100 * 12 }), fc.constantFrom(...ZONES), (index, zone) => {
        const month = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
        const state = afterRenewing(month, zone);
        expect(state.nextMonth).toBe(nextMonth(month));
        expect(state.dueAt).toEqual(monthStart(nextMonth(month), zone));
        expect(localMonth(state.dueAt, zone)).toBe(nextMonth(month));
        expect(monthsDue(state, new Date(state.dueAt.getTime() - 1), zone)).toEqual([]);
        expect(monthsDue(state, state.dueAt, zone)).toEqual([nextMonth(month)]);
      }),
    );
  });
});
