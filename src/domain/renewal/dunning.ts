/**
 * Retries of a failed renewal payment. The schedule is days after the first failure (default 1, 3 and 7), each
 * counted from that anchor in the account's zone (same local time of day), never from the previous retry, so a
 * late retry does not push the later ones back. After as many failures as the schedule has retries plus one, the
 * last failure is final: the billing contact is told so and automatic retries stop.
 */
import { DateTime } from 'luxon';
import { assertTimeZone } from '../calendar';

export const DEFAULT_RETRY_DAYS: readonly number[] = [1, 3, 7];

export class DunningError extends Error {}

/** `"1,3,7"`: whole days, each after the one before. */
export function parseRetryDays(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const days = parts.map(Number);
  const valid = parts.every((p) => /^\d+$/.test(p)) && days.every((d, i) => d >= 1 && d <= 365 && (i === 0 || d > days[i - 1]!));
  if (!valid) throw new DunningError(`retry days must be whole days 1-365 in increasing order, comma-separated, e.g. "1,3,7" (got ${JSON.stringify(text)})`);
  return days;
}

/**
 * After the `failures`-th failure of an invoice whose first failure was at `firstFailureAt`: when to try again, or
 * null when that failure was the final one.
 */
export function nextRetryAt(firstFailureAt: Date, failures: number, retryDays: readonly number[], zone: string): Date | null {
  if (!Number.isSafeInteger(failures) || failures < 1) throw new DunningError(`failures must be a whole number >= 1 (got ${failures})`);
  const days = retryDays[failures - 1];
  if (days === undefined) return null;
  return DateTime.fromJSDate(firstFailureAt, { zone: assertTimeZone(zone) }).plus({ days }).toJSDate();
}

export function isFinalFailure(failures: number, retryDays: readonly number[]): boolean {
  return failures > retryDays.length;
}
