import { UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { HANDLERS } from '../../jobs';
import type { JobResult } from '../../jobs/job';
import { QUEUES, isJobName } from '../queues/catalog';
import type { JobName, QueueName } from '../queues/catalog';
import { validatePayload } from '../queues/producer';
import { metrics } from '../ops/metrics';
import type { JobOutcome } from '../ops/metrics';
import type { Deps } from '../runtime/deps';
import { recordRunEnd, recordRunStart } from '../store/job-runs';
import { ValidationError } from '../validation/format-issues';

export interface WorkerHost {
  workers: Worker[];
  /** Lets running jobs finish for up to `drainMs`; jobs still running then are returned to the queue by stall recovery. */
  close(drainMs: number): Promise<{ drained: boolean }>;
}

/** The account a job is about, when its payload names one, so that every log line of the job can carry it. */
function accountOf(data: unknown): { account?: string } {
  const account = (data as { accountId?: unknown } | null)?.accountId;
  return typeof account === 'string' ? { account } : {};
}

async function runJob(deps: Deps, job: Job): Promise<JobResult> {
  const name = job.name;
  const started = performance.now();
  const identity = { queue: job.queueName, job: name, jobId: job.id ?? '?', createdAt: job.timestamp, attempt: job.attemptsMade + 1 };
  const run = await recordRunStart(deps.store, identity, job.data, deps.now());
  const log = deps.logger.child({ queue: job.queueName, job: name, jobId: job.id, run, ...accountOf(job.data) });
  const finish = async (outcome: JobOutcome, details: { counts?: Record<string, number>; error?: string }) => {
    metrics.jobFinished(job.queueName, name, outcome, (performance.now() - started) / 1000);
    await recordRunEnd(deps.store, run, outcome, deps.now(), details);
  };
  let payload: unknown;
  try {
    if (!isJobName(name)) throw new ValidationError(`unknown job "${name}" on queue ${job.queueName}`, []);
    payload = validatePayload(name, job.data);
  } catch (error) {
    const message = (error as Error).message;
    log.error({ err: message }, 'payload rejected');
    await finish('rejected', { error: message });
    throw new UnrecoverableError(message);
  }
  try {
    const handler = HANDLERS[name] as (p: unknown, ctx: Parameters<(typeof HANDLERS)[JobName]>[1]) => Promise<JobResult>;
    // The job's own deps log with the same bindings, so lines from the store, the gateway or mail name the job too.
    const result = await handler(payload, { deps: { ...deps, logger: log }, log, jobId: identity.jobId, progress: (p) => job.updateProgress(p) });
    await finish('completed', { counts: result.counts });
    log.info({ counts: result.counts }, 'job completed');
    return result;
  } catch (error) {
    const message = (error as Error).message;
    await finish(error instanceof ValidationError || error instanceof UnrecoverableError ? 'rejected' : 'failed', { error: message });
    log.error({ err: error }, 'job failed');
    throw error instanceof ValidationError ? new UnrecoverableError(message) : error;
  }
}

export function startWorkers(
  deps: Deps,
  connection: Redis,
  options: { queues?: readonly QueueName[]; concurrency: number },
): WorkerHost {
  const queues = options.queues ?? QUEUES;
  const workers = queues.map(
    (queue) =>
      new Worker(queue, (job) => runJob(deps, job), {
        connection,
        prefix: deps.config.queuePrefix,
        concurrency: options.concurrency,
        // Jobs of a queue whose worker died are handed back after this, not lost.
        stalledInterval: 30_000,
      }),
  );
  for (const worker of workers) worker.on('error', (err) => deps.logger.error({ err }, 'worker error'));
  return {
    workers,
    async close(drainMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), drainMs)));
      const outcome = await Promise.race([Promise.all(workers.map((w) => w.close())).then(() => 'drained' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') await Promise.all(workers.map((w) => w.close(true)));
      return { drained: outcome === 'drained' };
    },
  };
}

