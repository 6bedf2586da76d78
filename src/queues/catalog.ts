import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

/**
 * The one place that names the queues, the jobs each carries with their payload schemas, and the schedules.
 * A schedule only starts a sweep; sweeps fan out per-account jobs whose ids come from the account and period,
 * so a second sweep adds nothing (BullMQ schedulers cannot carry a custom job id).
 */
export const QUEUES = ['maintenance', 'payments', 'renewals', 'reconcile', 'reports'] as const;
export type QueueName = (typeof QUEUES)[number];

interface JobKind<S extends z.ZodType> {
  queue: QueueName;
  summary: string;
  payload: S;
  /** BullMQ options of this job kind, over the defaults (src/queues/producer.ts). */
  options?: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'>;
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
  'renewal-sweep': kind({
    queue: 'renewals',
    summary: "Issues the invoices of every account whose next month has begun in its zone (missed months included, once each), in batches, and fans out one renewal job per invoice.",
    payload: z.strictObject({
      batchSize: z.number().int('a whole number').min(1, 'at least 1').max(10_000, 'at most 10000').default(1_000),
    }),
  }),
  renewal: kind({
    queue: 'renewals',
    summary: "One account's month: issues its invoice if the sweep has not, makes the first payment attempt per its payment mode and mails the invoice.",
    payload: z.strictObject({
      accountId: z.string().min(1, 'an account id'),
      month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "the account's local month, YYYY-MM"),
    }),
  }),
  'dunning-sweep': kind({
    queue: 'renewals',
    summary: 'Enqueues the payment retries that have fallen due (DUNNING_RETRY_DAYS after the first failure) and any renewal job that was lost.',
    payload: z.strictObject({
      limit: z.number().int('a whole number').min(1, 'at least 1').max(100_000, 'at most 100000').default(10_000),
    }),
  }),
  'payment-retry': kind({
    queue: 'renewals',
    summary: 'Retries the payment of one open renewal invoice (attempt n) and mails the billing contact if it fails again.',
    payload: z.strictObject({
      invoiceId: z.string().regex(/^[^/]+\/\d{4}-(0[1-9]|1[0-2])$/, 'an invoice id, <account>/<YYYY-MM>'),
      attempt: z.number().int('a whole number').min(2, 'at least 2 (attempt 1 is the renewal job)'),
    }),
  }),
  'recharge-sweep': kind({
    queue: 'payments',
    summary: 'Finds the accounts under their auto-recharge or alert threshold by index and fans out one job per account and local day.',
    payload: z.strictObject({
      batchSize: z.number().int('a whole number').min(1, 'at least 1').max(10_000, 'at most 10000').default(500),
      repairLimit: z.number().int('a whole number').min(0, 'at least 0').max(100_000, 'at most 100000').default(1_000),
    }),
  }),
  'recharge-account': kind({
    queue: 'payments',
    summary: "Charges one account's auto-recharge for its local day if its balance is still under the threshold (at most once a day) and mails the outcome.",
    payload: z.strictObject({
      accountId: z.string().min(1, 'an account id'),
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "the account's local date, YYYY-MM-DD"),
    }),
  }),
  'low-balance-alert': kind({
    queue: 'payments',
    summary: "Mails one account's low-balance alert once per crossing, or re-arms it once the balance has recovered.",
    payload: z.strictObject({ accountId: z.string().min(1, 'an account id') }),
  }),
  'reconcile-scan': kind({
    queue: 'reconcile',
    summary: 'Finds the dirty accounts whose last change is older than the settle time, page by page, and fans out one reconcile-account job per account and dirty version.',
    payload: z.strictObject({
      settleSeconds: z.number().int('a whole number of seconds').min(0, 'at least 0').optional(),
      pageSize: z.number().int('a whole number').min(1, 'at least 1').max(10_000, 'at most 10000').default(500),
    }),
  }),
  'reconcile-account': kind({
    queue: 'reconcile',
    summary: "Reconciles one dirty account: recounts, prices, posts activation and prorated increases once, hands the items to the bookkeeper, dirties its reseller.",
    payload: z.strictObject({
      accountId: z.string().min(1, 'an account id'),
      version: z.number().int('a whole number').min(0, 'at least 0'),
    }),
    // The id (account and version) must be free again once the job is over: an account left dirty at the same
    // version (a bookkeeper that kept failing, a change that raced the run) is enqueued again by the next scan.
    // The job-run records keep the history.
    options: { removeOnComplete: true, removeOnFail: true },
  }),
  report: kind({
    queue: 'reports',
    summary: "Builds a reseller's report (a workbook per account, a summary as CSV and workbook) and mails it once per request id.",
    payload: z
      .strictObject({
        resellerId: z.string().min(1, 'an account id'),
        accounts: z.array(z.string().min(1, 'an account id')).min(1, 'at least one account').max(10_000, 'at most 10000 accounts').optional(),
        all: z.boolean().default(false),
        from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD, in the reseller's time zone"),
        to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD, in the reseller's time zone"),
        emails: z.array(z.email('an e-mail address')).min(1, 'at least one address').max(20, 'at most 20 addresses'),
        requestId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "letters, digits, '.', '_' and '-', at most 128").optional(),
      })
      .refine((p) => p.all !== (p.accounts !== undefined), { path: ['accounts'], message: 'either a list of accounts or all: true (not both, not neither)' }),
  }),
  'monthly-reports': kind({
    queue: 'reports',
    summary: "Enqueues last month's report of all accounts for every reseller with a billing contact, once per reseller and month.",
    payload: z.strictObject({}),
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
  // Hourly: each account renews at the first sweep after midnight on the 1st of its own zone.
  { id: 'renewal-sweep', job: 'renewal-sweep', cron: '0 * * * *', envVar: 'SCHEDULE_RENEWAL_SWEEP', payload: {} },
  { id: 'dunning-sweep', job: 'dunning-sweep', cron: '20 * * * *', envVar: 'SCHEDULE_DUNNING_SWEEP', payload: {} },
  // Hourly: each account's local day starts at its own midnight, and the sweep adds nothing twice in one day.
  { id: 'recharge-sweep', job: 'recharge-sweep', cron: '15 * * * *', envVar: 'SCHEDULE_RECHARGE_SWEEP', payload: {} },
  // Every 2 minutes: a changed account is billed within minutes of settling (RECONCILE_SETTLE_SECONDS).
  { id: 'reconcile-scan', job: 'reconcile-scan', cron: '*/2 * * * *', envVar: 'SCHEDULE_RECONCILE_SCAN', payload: {} },
  // Hourly on the 1st to the 3rd: each reseller's month ends at its own midnight, and a worker down on the 1st
  // catches up; the job id (reseller and month) makes every run after the first add nothing.
  { id: 'monthly-reports', job: 'monthly-reports', cron: '25 * 1-3 * *', envVar: 'SCHEDULE_MONTHLY_REPORTS', payload: {} },
];
