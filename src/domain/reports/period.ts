/**
 * The period a reseller report covers: two local dates of the reseller's zone, both included. Pure.
 */
import { daysInMonth, nextMonth, parseLocalDate } from '../calendar';
import type { LocalDate, LocalMonth } from '../calendar';

/** A request the platform refuses as asked; the message names the field and the value. */
export class ReportRequestError extends Error {}

/** A year and a day: a yearly report in a leap year fits, a longer one is a mistake or an attempt to load the store. */
export const MAX_REPORT_DAYS = 366;

export interface ReportPeriod {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly days: number;
}

const MS_PER_DAY = 86_400_000;

function dayNumber(field: string, text: string): number {
  try {
    const { year, month, day } = parseLocalDate(text);
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    return Math.round(date.getTime() / MS_PER_DAY);
  } catch {
    throw new ReportRequestError(`${field}: expected a date as YYYY-MM-DD (got ${JSON.stringify(text)})`);
  }
}

/**
 * `today` is the reseller's local date: a period may end today (a report of the month so far) but not later, since
 * calls not yet made would read as a quiet day.
 */
export function checkPeriod(from: string, to: string, today: LocalDate): ReportPeriod {
  const start = dayNumber('from', from);
  const end = dayNumber('to', to);
  if (end < start) throw new ReportRequestError(`to: ${to} is before from (${from})`);
  if (end > dayNumber('today', today)) throw new ReportRequestError(`to: ${to} is after today (${today} in the reseller's time zone)`);
  const days = end - start + 1;
  if (days > MAX_REPORT_DAYS) throw new ReportRequestError(`from/to: ${from} to ${to} is ${days} days; a report covers at most ${MAX_REPORT_DAYS}`);
  return { from, to, days };
}

/** The whole local month before `today`'s: what the monthly schedule reports. */
export function previousMonth(today: LocalDate): { month: LocalMonth; period: ReportPeriod } {
  parseLocalDate(today);
  const month = nextMonth(today.slice(0, 7), -1);
  const days = daysInMonth(month);
  return { month, period: { from: `${month}-01`, to: `${month}-${String(days).padStart(2, '0')}`, days } };
}
