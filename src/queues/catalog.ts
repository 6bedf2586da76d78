import { z } from 'zod';

/**
 * The one place that names the queues, the jobs each carries with their payload schemas, and the schedules.
 * A schedule only starts a sweep; sweeps fan out per-account jobs whose ids come from the account and period,
 * so a second sweep adds nothing (BullMQ schedulers cannot carry a custom job id).
 */
export const QUEUES = ['maintenance', 'payments'] as const;
export type QueueName = (typeof QUEUES)[number];

interface JobKind<S extends z.ZodType> {
  queue: QueueName;
  summary: string;
  payload: S;
}

const kind = <S extends z.ZodType>(k: JobKind<S>): JobKind<S> => k;

export const JOBS = {
  housekeeping: kind({
    queue: 'maintenance',
    summary: 'Deletes job-run records older than the retention period.',
    payload: z.strictObject({
      olderThanDays: z.number().int('a whole number of days').min(1, 'at least 1 day').default(90),
    }),
  }),
  'ledger-rollover': kind({
    queue: 'payments',
    summary: "Writes the informational rollover entry (balance carried) of each account's new local month.",
    payload: z.strictObject({}),
  }),
  'charge-recovery': kind({
    queue: 'payments',
    summary: 'Completes card charges left pending by a crash or a time-out, asking the gateway again with the same key.',
    payload: z.strictObject({
      idleMinutes: z.number().int('a whole number of minutes').min(1, 'at least 1 minute').default(5),
      limit: z.number().int('a whole number').min(1, 'at least 1').max(10_000, 'at most 10000').default(500),
    }),
  }),
};

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.output<(typeof JOBS)[N]['payload']>;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}

export interface ScheduleDefinition {
  id: string;
  job: JobName;
  /** Default cron, in SCHEDULE_TIMEZONE; overridden (or turned "off") by the environment variable. */
  cron: string;
  envVar: string;
  payload: Record<string, unknown>;
}

export const SCHEDULES: readonly ScheduleDefinition[] = [
  { id: 'housekeeping-daily', job: 'housekeeping', cron: '30 3 * * *', envVar: 'SCHEDULE_HOUSEKEEPING', payload: {} },
  // Hourly: accounts enter a new month at the midnight of their own zone.
  { id: 'ledger-rollover', job: 'ledger-rollover', cron: '5 * * * *', envVar: 'SCHEDULE_LEDGER_ROLLOVER', payload: {} },
  { id: 'charge-recovery', job: 'charge-recovery', cron: '*/5 * * * *', envVar: 'SCHEDULE_CHARGE_RECOVERY', payload: {} },
];
