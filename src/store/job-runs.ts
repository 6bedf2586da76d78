import type { JobOutcome, JobRunDoc } from './documents';
import type { Store } from './store';

export interface RunIdentity {
  queue: string;
  job: string;
  jobId: string;
  /** When the job was created: BullMQ's numeric ids start again on a new Redis, so the id alone is not unique. */
  createdAt: number;
  attempt: number;
}

export function runId(r: RunIdentity): string {
  return `${r.queue}/${r.jobId}/${r.createdAt}/${r.attempt}`;
}

/** A redelivered attempt (after a crash) reuses its record; it keeps its first start time. */
export async function recordRunStart(store: Store, r: RunIdentity, payload: unknown, now: Date): Promise<string> {
  const _id = runId(r);
  await store.jobRuns.updateOne(
    { _id },
    {
      $setOnInsert: { queue: r.queue, job: r.job, jobId: r.jobId, attempt: r.attempt, payload, startedAt: now },
      $set: { outcome: 'running', finishedAt: null, error: null },
    },
    { upsert: true },
  );
  return _id;
}

export async function recordRunEnd(
  store: Store,
  id: string,
  outcome: Exclude<JobOutcome, 'running'>,
  now: Date,
  details: { counts?: Record<string, number>; error?: string },
): Promise<void> {
  await store.jobRuns.updateOne({ _id: id }, { $set: { outcome, finishedAt: now, counts: details.counts ?? null, error: details.error ?? null } });
}

export function recentRuns(store: Store, limit: number): Promise<JobRunDoc[]> {
  return store.jobRuns.find({}).sort({ startedAt: -1 }).limit(limit).toArray();
}

export function runsOfJob(store: Store, jobId: string): Promise<JobRunDoc[]> {
  return store.jobRuns.find({ jobId }).sort({ attempt: 1 }).toArray();
}

export async function deleteRunsBefore(store: Store, cutoff: Date): Promise<number> {
  const result = await store.jobRuns.deleteMany({ startedAt: { $lt: cutoff }, outcome: { $ne: 'running' } });
  return result.deletedCount;
}
