import { Queue } from 'bullmq';
import type { DefaultJobOptions, Job, JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOBS, QUEUES } from './catalog';
import type { JobName, JobPayload, QueueName } from './catalog';
import { parseOrThrow } from '../validation/format-issues';

const DAY_SECONDS = 24 * 3600;

/** Finished jobs are kept for inspection but removed by age and count, so Redis does not grow without bound. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: { age: 7 * DAY_SECONDS, count: 5_000 },
  removeOnFail: { age: 30 * DAY_SECONDS, count: 20_000 },
};

export interface EnqueueOptions {
  /** Derived from the job's cause (account and period) so that enqueuing the same cause twice adds one job. */
  jobId?: string;
  delayMs?: number;
}

export interface Enqueuer {
  enqueue<N extends JobName>(name: N, payload: unknown, options?: EnqueueOptions): Promise<Job>;
  /** Many jobs of one kind in one round trip (a sweep's page): each payload is checked before any is added. */
  enqueueMany<N extends JobName>(name: N, jobs: readonly { payload: unknown; options?: EnqueueOptions }[]): Promise<Job[]>;
}

export function validatePayload<N extends JobName>(name: N, payload: unknown): JobPayload<N> {
  return parseOrThrow(JOBS[name].payload, payload, `Invalid payload for job "${name}"`, 'payload') as JobPayload<N>;
}

function jobOptions(name: JobName, options: EnqueueOptions): JobsOptions {
  if (options.jobId?.includes(':')) throw new Error(`job id must not contain ":": ${options.jobId}`);
  return {
    ...JOBS[name].options,
    ...(options.jobId ? { jobId: options.jobId } : {}),
    ...(options.delayMs ? { delay: options.delayMs } : {}),
  };
}

export class Producer implements Enqueuer {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly connection: Redis,
    readonly prefix: string,
  ) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      this.queues.set(name, queue);
    }
    return queue;
  }

  allQueues(): Queue[] {
    return QUEUES.map((q) => this.queue(q));
  }

  async enqueue<N extends JobName>(name: N, payload: unknown, options: EnqueueOptions = {}): Promise<Job> {
    const data = validatePayload(name, payload);
    return this.queue(JOBS[name].queue).add(name, data, jobOptions(name, options));
  }

  async enqueueMany<N extends JobName>(name: N, jobs: readonly { payload: unknown; options?: EnqueueOptions }[]): Promise<Job[]> {
    if (jobs.length === 0) return [];
    const checked = jobs.map((j) => ({ name, data: validatePayload(name, j.payload), opts: jobOptions(name, j.options ?? {}) }));
    return this.queue(JOBS[name].queue).addBulk(checked);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
