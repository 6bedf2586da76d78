import { QueueEvents } from 'bullmq';
import { runCli } from '../src/cli/program';
import { followProgress } from '../src/cli/progress';
import { renderTable } from '../src/cli/table';
import { loadConfig } from '../src/config/config';
import type { Config } from '../src/config/config';
import { formatMoney } from '../src/domain/money';
import { demoDataset } from '../src/demo/dataset';
import { JOBS, SCHEDULES } from '../src/queues/catalog';
import { openApp } from '../src/runtime/app';
import type { App } from '../src/runtime/app';
import { createLogger } from '../src/runtime/logger';
import { startWorkers } from '../src/worker/worker-host';
import { startLocalServices } from './services';

/**
 * `npm run demo`: local services, migrate, seed, then one pass of every scheduled job through real queues and
 * workers, and a table of what happened. Data persists in .data/ (H2), mail lands in .data/outbox as .eml files.
 */
function section(title: string): void {
  process.stdout.write(`\n== ${title}\n`);
}

async function cli(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const code = await runCli(argv, { stdout: process.stdout, stderr: process.stderr, env });
  if (code !== 0) throw new Error(`tollkeeper ${argv.join(' ')} exited ${code}`);
}

async function queuesIdle(app: App): Promise<boolean> {
  for (const queue of app.producer.allQueues()) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    if (Object.values(counts).some((n) => n > 0)) return false;
  }
  return true;
}

async function runEveryJobOnce(app: App): Promise<void> {
  const started = app.deps.now();
  for (const schedule of SCHEDULES) {
    const queue = app.producer.queue(JOBS[schedule.job].queue);
    const connection = app.redis.duplicate();
    const events = new QueueEvents(queue.name, { connection, prefix: app.producer.prefix });
    try {
      await events.waitUntilReady();
      const job = await app.producer.enqueue(schedule.job, schedule.payload);
      const label = `  ${schedule.job} (job ${job.id ?? '?'})`;
      const progress = followProgress(events, job.id ?? '', process.stdout, label);
      await job.waitUntilFinished(events, 120_000).finally(() => progress.stop());
      process.stdout.write(`${label} ... done\n`);
    } finally {
      await events.close();
      connection.disconnect();
    }
  }
  // Sweeps fan out per-account jobs; the pass is over when every queue is idle.
  while (!(await queuesIdle(app))) await new Promise((r) => setTimeout(r, 200));
  const runs = await app.store.jobRuns.find({ startedAt: { $gte: started } }).sort({ startedAt: 1 }).toArray();
  const byJob = new Map<string, { runs: number; outcomes: Map<string, number>; counts: Map<string, number> }>();
  for (const run of runs) {
    const entry = byJob.get(run.job) ?? { runs: 0, outcomes: new Map(), counts: new Map() };
    entry.runs += 1;
    entry.outcomes.set(run.outcome, (entry.outcomes.get(run.outcome) ?? 0) + 1);
    for (const [k, v] of Object.entries(run.counts ?? {})) entry.counts.set(k, (entry.counts.get(k) ?? 0) + v);
    byJob.set(run.job, entry);
  }
  const rows = [...byJob].map(([job, e]) => [
    job,
    e.runs,
    [...e.outcomes].map(([o, n]) => `${o} ${n}`).join(', '),
    [...e.counts].map(([k, v]) => `${k}=${v}`).join(' '),
  ]);
  section('What the pass did');
  process.stdout.write(`${renderTable(['job', 'runs', 'outcomes', 'counts'], rows)}\n`);
}

/**
 * Renewal bills from the month after a plan's first month (that month is reconciliation's, prorated), so the demo
 * moves its clock to 14:00 UTC on the next 1st, past local midnight in every zone, and runs the renewal sweep.
 */
async function renewNextMonth(config: Config): Promise<void> {
  const today = new Date();
  const nextFirst = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1, 14));
  const app = await openApp(config, createLogger(config.logLevel), { now: () => nextFirst });
  const host = startWorkers(app.deps, app.redis, { queues: ['renewals'], concurrency: config.workerConcurrency });
  try {
    await app.producer.enqueue('renewal-sweep', {});
    const queue = app.producer.queue('renewals');
    const busy = async () => Object.values(await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).some((n) => n > 0);
    do await new Promise((r) => setTimeout(r, 200));
    while (await busy());
    const invoices = await app.store.invoices.find({}).sort({ _id: 1 }).toArray();
    const rows = invoices.map((i) => [i._id, i.status, formatMoney(i.total), i.attempts.map((a) => a.outcome).join(', '), i.billedBy ?? '']);
    process.stdout.write(`${renderTable(['invoice', 'status', 'total', 'attempts', 'billed by'], rows)}\n`);
  } finally {
    await host.close(config.drainTimeoutMs);
    await app.close();
  }
}

async function main(): Promise<void> {
  section('Local services');
  const services = await startLocalServices({ persistent: true });
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      REDIS_URL: services.redisUrl,
      MONGODB_URI: services.mongoUrl,
      MONGODB_DB: process.env.MONGODB_DB ?? 'tollkeeper_demo',
      QUEUE_PREFIX: process.env.QUEUE_PREFIX ?? 'tollkeeper-demo',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // The seed has just dirtied every account: the pass's scan must not wait for their changes to settle.
      RECONCILE_SETTLE_SECONDS: process.env.RECONCILE_SETTLE_SECONDS ?? '0',
    };
    process.stdout.write(`Redis ${services.redisUrl}, MongoDB ${services.mongoUrl}\n`);
    section('tollkeeper migrate');
    await cli(['migrate'], env);
    section('tollkeeper seed --demo');
    await cli(['seed', '--demo'], env);

    const config = loadConfig(env);
    const app = await openApp(config, createLogger(config.logLevel));
    const host = startWorkers(app.deps, app.redis, { concurrency: config.workerConcurrency });
    try {
      section('One pass of every job');
      await runEveryJobOnce(app);
      section('Reseller reports: the monthly-reports sweep mailed last month of every reseller with a billing contact');
      for (const r of await app.store.reportRequests.find({ status: 'sent' }).sort({ resellerId: 1 }).toArray()) {
        const files = (r.attachments ?? []).map((a) => a.filename).join(', ');
        process.stdout.write(`  ${r.resellerId} ${r.from} to ${r.to}: ${r.accountIds.length} accounts, to ${r.emails.join(', ')}: ${files}\n`);
      }
    } finally {
      await host.close(config.drainTimeoutMs);
      await app.close();
    }
    section('The 1st of next month: the renewal sweep invoices every reconciled account, charges the resellers and mails the invoices');
    await renewNextMonth(config);
    const customer = demoDataset().accounts.find((a) => a.parentId === 'acme-voice' && !a.isReseller);
    if (customer) {
      section(`What reconciliation billed: tollkeeper accounts show ${customer.id}`);
      await cli(['accounts', 'show', customer.id], env);
    }
    section('tollkeeper status');
    await cli(['status', '--runs', '10'], env);
    process.stdout.write(`\nMail written by the demo is in ${config.mailOutboxDir}/ (open the .eml files with any mail client).\n`);
  } finally {
    await services.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
