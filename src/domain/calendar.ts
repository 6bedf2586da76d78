/**
 * Billing days and months are the account's local ones (its IANA time zone). Local dates and months travel as
 * ISO text ('YYYY-MM-DD', 'YYYY-MM'), which sorts and compares correctly as plain strings for years 0001-9999.
 */
import { DateTime, IANAZone } from 'luxon';

export type LocalDate = string;
export type LocalMonth = string;

export interface MonthParts {
  year: number;
  month: number;
}

export interface DateParts extends MonthParts {
  day: number;
}

export class CalendarError extends Error {}

const MONTH_TEXT = /^(\d{4})-(\d{2})$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;

/**
 * The zone itself when luxon knows it as an IANA name. Fixed offsets ('UTC+3') and luxon's 'local'/'system' are
 * refused: they would make an account's billing day depend on the host or ignore the zone's DST rules.
 */
// luxon's zone check builds an Intl formatter each call: a profile of CDR import spent most of its CPU there.
const knownZones = new Set<string>();

export function assertTimeZone(zone: string): string {
  if (knownZones.has(zone)) return zone;
  if (typeof zone !== 'string' || !IANAZone.isValidZone(zone)) {
    throw new CalendarError(`unknown IANA time zone: ${JSON.stringify(zone)}`);
  }
  knownZones.add(zone);
  return zone;
}

export function parseMonth(text: string): MonthParts {
  const match = typeof text === 'string' ? MONTH_TEXT.exec(text) : null;
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  if (!match || year < 1 || month < 1 || month > 12) {
    throw new CalendarError(`not a month (YYYY-MM, year 0001-9999): ${JSON.stringify(text)}`);
  }
  return { year, month };
}

export function parseLocalDate(text: string): DateParts {
  const match = typeof text === 'string' ? DATE_TEXT.exec(text) : null;
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  if (!match || year < 1 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month)) {
    throw new CalendarError(`not a calendar date (YYYY-MM-DD, year 0001-9999): ${JSON.stringify(text)}`);
  }
  return { year, month, day };
}

export function daysInMonth(month: LocalMonth): number {
  const { year, month: m } = parseMonth(month);
  return monthLength(year, m);
}

function monthLength(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function localDate(instant: Date, zone: string): LocalDate {
  const text = DateTime.fromJSDate(assertInstant(instant), { zone: assertTimeZone(zone) }).toISODate();
  if (text === null) throw new CalendarError(`instant outside luxon's range: ${instant.toISOString()}`);
  return text;
}

export function localMonth(instant: Date, zone: string): LocalMonth {
  return localDate(instant, zone).slice(0, 7);
}

/**
 * The first instant of the month in the zone. Where local midnight on the 1st does not exist (America/Asuncion
 * 2023-10-01 jumps from 00:00 to 01:00) this is the transition instant, i.e. 01:00 local, as luxon would give;
 * where it happens twice (America/Havana 2026-11-01 falls back from 01:00 to 00:00) it is the earlier one,
 * which luxon would not give.
 */
export function monthStart(month: LocalMonth, zone: string): Date {
  const { year, month: m } = parseMonth(month);
  return new Date(startOfLocalDay({ year, month: m, day: 1 }, assertTimeZone(zone)));
}

/** The month `n` months after `month` (n may be 0 or negative), computed from the anchor, not step by step. */
export function nextMonth(month: LocalMonth, n = 1): LocalMonth {
  if (!Number.isSafeInteger(n)) throw new CalendarError(`month offset must be an integer: ${n}`);
  return monthFromIndex(monthIndex(month) + n);
}

/** Every month from `fromMonth` to `toMonth`, both included; empty when `toMonth` comes first. */
export function monthsBetween(fromMonth: LocalMonth, toMonth: LocalMonth): LocalMonth[] {
  const from = monthIndex(fromMonth);
  const count = monthIndex(toMonth) - from + 1;
  return Array.from({ length: Math.max(0, count) }, (_, i) => monthFromIndex(from + i));
}

function monthIndex(month: LocalMonth): number {
  const { year, month: m } = parseMonth(month);
  return year * 12 + (m - 1);
}

function monthFromIndex(index: number): LocalMonth {
  const year = Math.floor(index / 12);
  if (year < 1 || year > 9999) throw new CalendarError(`month outside years 0001-9999 (index ${index})`);
  return `${pad(year, 4)}-${pad((index % 12) + 1, 2)}`;
}

/**
 * The local day as a half-open range [start, end) of instants: 23 or 25 hours long on DST days, and empty for a
 * date the zone skipped entirely (Pacific/Apia 2011-12-30). Boundaries follow the same rules as monthStart.
 */
export function localDayRange(date: LocalDate, zone: string): { start: Date; end: Date } {
  const parts = parseLocalDate(date);
  const tz = assertTimeZone(zone);
  const following = new Date(wallClockMs(parts) + 24 * MS_PER_HOUR);
  const next = { year: following.getUTCFullYear(), month: following.getUTCMonth() + 1, day: following.getUTCDate() };
  return { start: new Date(startOfLocalDay(parts, tz)), end: new Date(startOfLocalDay(next, tz)) };
}

/** Local midnight of the date read as if it were UTC: the value local wall-clock time must reach for the day to begin. */
function wallClockMs({ year, month, day }: DateParts): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/**
 * The earliest instant whose local wall-clock time is at or past the date's midnight. Not luxon's midnight: luxon
 * resolves an ambiguous midnight to its later occurrence. An instant is the start when it has reached midnight and
 * the millisecond before has not; the usual single-offset midnight is found by two offset look-ups, anything else
 * (transitions near midnight, gaps not starting exactly at it) by bisection. Offsets lie within -12h..+14h, so the
 * start lies within [wall - 15h, wall + 13h].
 */
function startOfLocalDay(parts: DateParts, zone: string): number {
  const tz = IANAZone.create(zone);
  const wall = wallClockMs(parts);
  const reached = (instant: number): boolean => instant + tz.offset(instant) * MS_PER_MINUTE >= wall;
  const firstGuess = Math.round(wall - tz.offset(wall) * MS_PER_MINUTE);
  const secondGuess = Math.round(wall - tz.offset(firstGuess) * MS_PER_MINUTE);
  for (const guess of [firstGuess, secondGuess]) {
    if (reached(guess) && !reached(guess - 1)) return guess;
  }
  let before = wall - 15 * MS_PER_HOUR;
  let after = wall + 13 * MS_PER_HOUR;
  while (after - before > 1) {
    const mid = Math.floor((before + after) / 2);
    if (reached(mid)) after = mid;
    else before = mid;
  }
  return after;
}

function assertInstant(instant: Date): Date {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new CalendarError(`not a valid instant: ${String(instant)}`);
  }
  return instant;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
