import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOBS, JOB_NAMES } from '../queues/catalog';

/**
 * The process's Prometheus metrics. Counters count what this process did since it started (Prometheus expects
 * exactly that from a scrape target and computes rates itself); the modules doing the counted work call `metrics`,
 * so this module knows nothing about the store, the gateway or mail.
 */
const registry = new Registry();

function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return new Counter({ name, help, labelNames, registers: [registry] });
}

const jobsCompleted = counter('tollkeeper_jobs_completed_total', 'Job attempts that completed, by queue and job name.', ['queue', 'job'] as const);

const jobsFailed = counter('tollkeeper_jobs_failed_total', 'Job attempts that failed (errors and rejected payloads; a retried job counts each failed attempt), by queue and job name.', ['queue', 'job'] as const);

const jobDuration = new Histogram({
  name: 'tollkeeper_job_duration_seconds',
  help: 'How long job attempts ran, by queue, job name and outcome (completed, failed, rejected).',
  labelNames: ['queue', 'job', 'outcome'] as const,
  // Jobs range from a housekeeping delete (milliseconds) to a reseller report over a month of calls (many minutes).
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
  registers: [registry],
});

const moneyPosted = counter('tollkeeper_money_posted_units_total', 'Money in new ledger entries (duplicates of a cause excluded), in units of 1/10000 currency unit, by ledger kind and direction.', ['kind', 'direction'] as const);

const cardCharges = counter('tollkeeper_card_charges_total', 'Card charge attempts settled, by outcome: paid, declined (by the card issuer) or failed (no answer, given up).', ['outcome'] as const);

const mailsSent = counter('tollkeeper_mails_sent_total', 'Mails handed to the SMTP server (transport "smtp") or written to the outbox folder (transport "outbox").', ['transport'] as const);

// Series that exist from the start read 0 instead of being absent, so rate() and alerts work before the first event.
for (const job of JOB_NAMES) {
  jobsCompleted.labels(JOBS[job].queue, job).inc(0);
  jobsFailed.labels(JOBS[job].queue, job).inc(0);
}
for (const outcome of ['paid', 'declined', 'failed']) cardCharges.labels(outcome).inc(0);
for (const transport of ['smtp', 'outbox']) mailsSent.labels(transport).inc(0);

export type JobOutcome = 'completed' | 'failed' | 'rejected';
export type ChargeOutcome = 'paid' | 'declined' | 'failed';

export const metrics = {
  jobFinished(queue: string, job: string, outcome: JobOutcome, seconds: number): void {
    (outcome === 'completed' ? jobsCompleted : jobsFailed).labels(queue, job).inc();
    jobDuration.labels(queue, job, outcome).observe(seconds);
  },
  /** `units` as posted: negative for a debit. A counter only grows, so the sign becomes the direction label. */
  moneyPosted(kind: string, units: number): void {
    moneyPosted.labels(kind, units < 0 ? 'debit' : 'credit').inc(Math.abs(units));
  },
  chargeSettled(outcome: ChargeOutcome): void {
    cardCharges.labels(outcome).inc();
  },
  mailSent(transport: 'smtp' | 'outbox'): void {
    mailsSent.labels(transport).inc();
  },
};

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;

let processMetricsStarted = false;

export interface Scrape {
  contentType: string;
  body: string;
}

/**
 * What a `/metrics` handler serves: the process's counters, the standard process metrics, and the depth of each
 * queue read from Redis (the queues' connection) at scrape time (a gauge kept up to date between scrapes would cost Redis calls nobody reads).
 */
export function metricsScraper(queues: readonly Queue[], redis: Pick<Redis, 'status'>): () => Promise<Scrape> {
  if (!processMetricsStarted) {
    // Once per process: only processes serving metrics pay for the event-loop monitor it starts.
    collectDefaultMetrics({ register: registry });
    processMetricsStarted = true;
  }
  const depth = new Registry();
  new Gauge({
    name: 'tollkeeper_queue_jobs',
    help: 'Jobs in each queue by state, read from Redis when scraped.',
    labelNames: ['queue', 'state'] as const,
    registers: [depth],
    async collect() {
      this.reset();
      // Commands wait for a reconnect, so without Redis the scrape would hang: the depth is left out instead.
      if (redis.status !== 'ready') return;
      for (const queue of queues) {
        const counts = await queue.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) this.labels(queue.name, state).set(counts[state] ?? 0);
      }
    },
  });
  const merged = Registry.merge([registry, depth]);
  return async () => ({ contentType: merged.contentType, body: await merged.metrics() });
}
