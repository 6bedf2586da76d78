import type { Queue } from 'bullmq';

/** Polls `probe` until it returns something other than undefined, failing with `what` after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits for a BullMQ job to reach `state` (completed, failed, ...). */
export function untilJobState(queue: Queue, jobId: string, state: string, timeoutMs?: number): Promise<true> {
  return until(async () => ((await queue.getJobState(jobId)) === state ? true : undefined), `job ${jobId} to be ${state}`, timeoutMs);
}
