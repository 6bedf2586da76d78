import { QueueEvents } from 'bullmq';
import type { Command } from 'commander';
import { ReportRequestError } from '../../domain/reports/period';
import { JOBS } from '../../queues/catalog';
import { validatePayload } from '../../queues/producer';
import { requestReport } from '../../reports/request-report';
import type { ReportAsk } from '../../reports/request-report';
import { runReport } from '../../reports/run-report';
import type { App } from '../../runtime/app';
import { ValidationError } from '../../validation/format-issues';
import { UsageError, println } from '../io';
import type { CliIO } from '../io';
import { followProgress } from '../progress';
import { withApp } from '../session';

interface ReportOptions {
  reseller: string;
  accounts?: string;
  all?: boolean;
  from: string;
  to: string;
  email: string;
  requestId?: string;
  now?: boolean;
  wait?: boolean;
  timeout: string;
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** Mistakes in the request are the caller's to fix: exit code 2, with the message naming field and value. */
async function asUsage<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ReportRequestError || error instanceof ValidationError) throw new UsageError(error.message);
    throw error;
  }
}

function askFrom(opts: ReportOptions): ReportAsk {
  if (opts.all === true && opts.accounts !== undefined) throw new UsageError('--accounts and --all: give one of them, not both');
  if (opts.all !== true && opts.accounts === undefined) throw new UsageError('--accounts A,B or --all: which accounts to report on');
  const timeout = Number(opts.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout: expected seconds > 0, got "${opts.timeout}"`);
  const payload = {
    resellerId: opts.reseller,
    ...(opts.accounts !== undefined ? { accounts: list(opts.accounts) } : {}),
    all: opts.all === true,
    from: opts.from,
    to: opts.to,
    emails: list(opts.email),
    ...(opts.requestId !== undefined ? { requestId: opts.requestId } : {}),
  };
  try {
    return validatePayload('report', payload);
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(error.message);
    throw error;
  }
}

export function registerReport(program: Command, io: CliIO): void {
  program
    .command('report')
    .description(
      "Mail a reseller's usage report: a workbook per account (calls, summary, by country, by billing unit), and a summary of all " +
        'accounts as CSV and workbook. The same request (or the same --request-id) is mailed once.',
    )
    .requiredOption('--reseller <id>', 'the reseller (or the master) the report is for')
    .option('--accounts <ids>', "comma-separated accounts of the reseller's tree")
    .option('--all', 'every account beneath the reseller')
    .requiredOption('--from <date>', "first day, YYYY-MM-DD in the reseller's time zone")
    .requiredOption('--to <date>', 'last day (included), not after today')
    .requiredOption('--email <addresses>', 'comma-separated recipients')
    .option('--request-id <id>', 'a name for this request; a new one mails the same report again')
    .option('--now', 'build and mail in this process instead of enqueuing a job')
    .option('--wait', 'wait for the enqueued job to finish and print its result')
    .option('--timeout <seconds>', 'how long --wait waits', '3600')
    .action(async (opts: ReportOptions) => {
      const ask = askFrom(opts);
      await withApp(io, async (app) => {
        const request = await asUsage(() => requestReport(app.deps, ask));
        if (request.status === 'sent') {
          println(
            io.stdout,
            `Report ${request._id} was already sent to ${request.emails.join(', ')} on ${request.sentAt?.toISOString() ?? '?'}; ` +
              'nothing sent again. To send it again, pass a new --request-id.',
          );
          return;
        }
        if (opts.now) {
          const outcome = await asUsage(() => runReport(app.deps, ask, { progress: async () => {} }));
          println(io.stdout, `Report ${outcome.requestId} ${outcome.status} to ${request.emails.join(', ')}: ${outcome.accounts} accounts, ${outcome.calls} calls; attached ${outcome.attachments.join(', ')}`);
          return;
        }
        await enqueue(app, io, ask, request._id, opts.wait === true, Number(opts.timeout));
      });
    });
}

async function enqueue(app: App, io: CliIO, ask: ReportAsk, requestId: string, wait: boolean, timeoutSeconds: number): Promise<void> {
  const queue = app.producer.queue(JOBS.report.queue);
  // BullMQ leaves a connection it was handed open, so the duplicate is closed here.
  const connection = wait ? app.redis.duplicate() : undefined;
  const events = connection ? new QueueEvents(queue.name, { connection, prefix: app.producer.prefix }) : undefined;
  try {
    await events?.waitUntilReady();
    const job = await app.producer.enqueue('report', { ...ask, requestId }, { jobId: requestId });
    println(io.stdout, `report ${requestId} enqueued as job ${job.id ?? '?'} on queue ${queue.name}`);
    if (!events) return;
    const progress = followProgress(events, job.id ?? '', io.stdout, `report (job ${job.id ?? '?'})`);
    const result: unknown = await job.waitUntilFinished(events, timeoutSeconds * 1000).finally(() => progress.stop());
    println(io.stdout, JSON.stringify(result, null, 2));
  } finally {
    await events?.close();
    connection?.disconnect();
  }
}
