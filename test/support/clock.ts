import { DateTime } from 'luxon';

/**
 * Tests that drive the CLI run on the real clock, and the CLI derives keys from the local day (and month). Waits, when
 * the next local midnight in `zone` is less than `marginMs` away, until it has passed, so a test never straddles it.
 */
export async function clearOfLocalMidnight(zone: string, marginMs = 30_000): Promise<void> {
  const now = DateTime.now().setZone(zone);
  const left = now.plus({ days: 1 }).startOf('day').diff(now).toMillis();
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 1_000));
}
