/**
 * When an account's months are invoiced. An account enters renewal when it gets its first plan: the month it was
 * assigned in is its first month, billed from that local day (prorated) and due at once; every later month is due at
 * the first instant of the month in the account's zone. The state keeps only the first month not yet invoiced, so a
 * month missed while the worker was down is still the next one to invoice, and each is invoiced once.
 */
import { localDate, localMonth, monthStart, monthsBetween, nextMonth } from '../calendar';
import type { LocalDate, LocalMonth } from '../calendar';

export interface RenewalState {
  /** The first local month not yet invoiced. */
  nextMonth: LocalMonth;
  /** When the sweep should pick the account up: the index the sweep pages on. */
  dueAt: Date;
  /** Set while `nextMonth` is the account's first month: billing started on this local date (proration). */
  startDate: LocalDate | null;
}

/** The state of an account whose first plan was assigned at `assignedAt`. */
export function enrolment(assignedAt: Date, zone: string): RenewalState {
  const startDate = localDate(assignedAt, zone);
  return { nextMonth: startDate.slice(0, 7), dueAt: assignedAt, startDate };
}

/** The state once `invoiced` (and every month before it) has its invoice. */
export function afterInvoicing(invoiced: LocalMonth, zone: string): RenewalState {
  const next = nextMonth(invoiced);
  return { nextMonth: next, dueAt: monthStart(next, zone), startDate: null };
}

/**
 * The months to invoice at `now`, oldest first: every month from the state's next one through the account's current
 * local month. Derived from the months, not from `dueAt`, so a changed time zone cannot skip or repeat a month.
 */
export function monthsDue(state: Pick<RenewalState, 'nextMonth'>, now: Date, zone: string): LocalMonth[] {
  return monthsBetween(state.nextMonth, localMonth(now, zone));
}

/** The local date billing of `month` starts from: the start date in the first month, else the 1st. */
export function billedFrom(state: Pick<RenewalState, 'nextMonth' | 'startDate'>, month: LocalMonth): LocalDate {
  return month === state.nextMonth && state.startDate !== null ? state.startDate : `${month}-01`;
}
