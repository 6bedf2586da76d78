/**
 * When an account's months are renewed. An account enters renewal when it gets its first plan; the month of that
 * assignment is billed by reconciliation (the plan's recurring total prorated from that day, see
 * src/domain/reconcile.ts), so renewal starts with the month after it, due at the first instant of that month in the
 * account's zone. The state keeps only the first month not yet renewed, so a month missed while the worker was down
 * is still the next one to renew, and each month is renewed once.
 */
import { localDate, localMonth, monthStart, monthsBetween, nextMonth } from '../calendar';
import type { LocalMonth } from '../calendar';

export interface RenewalState {
  /** The first local month not yet renewed. */
  nextMonth: LocalMonth;
  /** monthStart(nextMonth) in the account's zone: the index the sweep pages on. */
  dueAt: Date;
}

/** The state once `renewed` (and every month before it) is done. */
export function afterRenewing(renewed: LocalMonth, zone: string): RenewalState {
  const next = nextMonth(renewed);
  return { nextMonth: next, dueAt: monthStart(next, zone) };
}

/** The state of an account whose first plan was assigned at `assignedAt`: that month is reconciliation's. */
export function enrolment(assignedAt: Date, zone: string): RenewalState {
  return afterRenewing(localDate(assignedAt, zone).slice(0, 7), zone);
}

/**
 * The months to renew at `now`, oldest first: every month from the state's next one through the account's current
 * local month. Derived from the months, not from `dueAt`, so a changed time zone cannot skip or repeat a month.
 */
export function monthsDue(state: Pick<RenewalState, 'nextMonth'>, now: Date, zone: string): LocalMonth[] {
  return monthsBetween(state.nextMonth, localMonth(now, zone));
}

/** Whether `month` still waits for its renewal: reconciliation must not open that month before it is renewed. */
export function renewalPending(state: Pick<RenewalState, 'nextMonth'> | null | undefined, month: LocalMonth): boolean {
  return state !== null && state !== undefined && state.nextMonth <= month;
}
