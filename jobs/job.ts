import type { Deps } from '../src/runtime/deps';
import type { Logger } from '../src/runtime/logger';
import type { JobName, JobPayload } from '../src/queues/catalog';

export interface JobContext {
  deps: Deps;
  log: Logger;
  jobId: string;
  /** 0-100, shown by `enqueue --wait`, `status` and the dashboard. */
  progress: (percent: number) => Promise<void>;
}

export interface JobResult {
  /** What the run did, in numbers (accounts seen, charges posted, ...): kept in the job-run record. */
  counts: Record<string, number>;
}

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, ctx: JobContext) => Promise<JobResult>;
