import { createBookkeeper } from '../../src/bookkeeper';
import { localMonth } from '../../src/domain/calendar';
import { reconcileJobId, scanDirty } from '../../src/reconciliation/scan';
import type { App } from '../../src/runtime/app';
import { getAccount } from '../../src/store/accounts';
import { runsOfJob } from '../../src/store/job-runs';
import { startWorkers } from '../../src/worker/worker-host';
import type { WorkerHost } from '../../src/worker/worker-host';
import { startBookkeeperServer } from '../support/bookkeeper-server';
import type { BookkeeperServer } from '../support/bookkeeper-server';
import { runTollkeeper } from '../support/cli';
import { clearOfLocalMidnight } from '../support/clock';
import { closeTestApp, isolatedEnv, openTestApp } from '../support/test-env';
import { world } from './helpers/reconcile-world';
import { until, untilJobState } from '../support/until';

const env = isolatedEnv('reconcile_jobs', { RECONCILE_SETTLE_SECONDS: '0' });
let clock = new Date('2026-05-12T15:00:00Z');
const now = () => clock;
let app: App;
let server: BookkeeperServer;

beforeAll(async () => {
  app = await openTestApp(env, now);
  server = await startBookkeeperServer();
});

afterAll(async () => {
  await server.close();
  await closeTestApp(app);
});

const queue = () => app.producer.queue('reconcile');


async function idle(): Promise<true | undefined> {
  const counts = await queue().getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(counts).every((n) => n === 0) ? true : undefined;
}

async function withWorker<T>(fn: (host: WorkerHost) => Promise<T>, deps = app.deps): Promise<T> {
  const host = startWorkers(deps, app.redis, { queues: ['reconcile'], concurrency: 4 });
  try {
    return await fn(host);
  } finally {
    await host.close(5_000);
  }
}

describe('the reconcile scan', () => {
  it('fans out one job per settled dirty account, paged, and a second scan adds none', async () => {
    const worlds = await Promise.all(['s1', 's2', 's3'].map((tag) => world(app.store, tag, 1, clock)));
    await queue().drain(true);
    const first = await scanDirty(app.deps, { settleSeconds: 0, pageSize: 2 });
    const dirty = await app.store.accounts.countDocuments({ dirty: true });
    expect(first).toEqual({ dirty, pages: Math.ceil(dirty / 2) });
    expect(dirty).toBeGreaterThanOrEqual(6); // each world's customer and reseller (the masters hold no plan)
    expect(await queue().getWaitingCount()).toBe(dirty);
    await scanDirty(app.deps, { settleSeconds: 0, pageSize: 500 });
    expect(await queue().getWaitingCount()).toBe(dirty);
    const customer = await getAccount(app.store, worlds[0]!.customer);
    expect(await queue().getJob(reconcileJobId(customer._id, customer.dirtyVersion))).toBeDefined();
    await queue().drain(true);
  });

  it('leaves accounts whose last change has not settled', async () => {
    const settled = await world(app.store, 'settled', 1, clock);
    clock = new Date(clock.getTime() + 120_000);
    const recent = await world(app.store, 'recent', 1, clock);
    await queue().drain(true);
    await scanDirty(app.deps, { settleSeconds: 60, pageSize: 100 });
    const queued = (await queue().getWaiting()).map((job) => (job.data as { accountId: string }).accountId);
    expect(queued).toContain(settled.customer);
    expect(queued).not.toContain(recent.customer);
    await queue().drain(true);
  });

  it('runs through the workers: every account reconciled, clean, its charges posted, each run recorded', async () => {
    const w = await world(app.store, 'flow', 2, clock);
    await queue().drain(true);
    await withWorker(async () => {
      const scan = await runTollkeeper(['enqueue', 'reconcile-scan', '--wait', '--timeout', '30'], env);
      expect(scan.code).toBe(0);
      await until(idle, 'the reconcile queue to empty');
    });
    const customer = await getAccount(app.store, w.customer);
    expect(customer).toMatchObject({ dirty: false, standing: 'good' });
    expect(await app.store.ledger.countDocuments({ accountId: w.customer })).toBe(2);
    const [run] = await runsOfJob(app.store, reconcileJobId(w.customer, customer.cleanVersion));
    expect(run).toMatchObject({ job: 'reconcile-account', outcome: 'completed', counts: { reconciled: 1, steps: 1, posted: 2 } });
    // The customer's job dirties its reseller. The reseller's own job ran beside it: if it read the reseller before
    // that, the reseller stays dirty for the next scan; if after, it has billed the customer's devices already.
    const reseller = await getAccount(app.store, w.reseller);
    const billed = await app.store.billedSnapshots.findOne({ _id: w.reseller });
    expect(reseller.dirty || billed?.billed?.quantities.cascade.devices?.sip_device === 2).toBe(true);
  });

  it('retries with backoff when the bookkeeper fails, leaving the account dirty', async () => {
    const w = await world(app.store, 'retry', 1, clock);
    await app.store.accounts.updateMany({ _id: { $ne: w.customer } }, { $set: { dirty: false } });
    server.answer({ status: 503 });
    const bookkeeper = createBookkeeper({ kind: 'http', url: server.url, secret: 'jobs-test-secret-123', timeoutMs: 30_000 });
    const account = await getAccount(app.store, w.customer);
    const jobId = reconcileJobId(w.customer, account.dirtyVersion);
    await withWorker(async () => {
      await scanDirty(app.deps, { settleSeconds: 0, pageSize: 10 });
      const [run] = await until(async () => {
        const runs = await runsOfJob(app.store, jobId);
        return runs.length > 0 && runs[0]!.outcome !== 'running' ? runs : undefined;
      }, 'the first attempt');
      expect(run).toMatchObject({ outcome: 'failed', error: `account ${w.customer}: bookkeeper ${server.url} answered 503` });
      // The run is recorded before the error reaches BullMQ, which then moves the job to delayed.
      await untilJobState(queue(), jobId, 'delayed');
    }, { ...app.deps, bookkeeper });
    expect(await getAccount(app.store, w.customer)).toMatchObject({ dirty: true, standing: 'good' });
    await queue().drain(true);
  });
});

// The CLI runs on the real clock, so its accounts are made (and enrolled for renewal) on it too.
describe('the accounts CLI', () => {
  beforeEach(() => clearOfLocalMidnight('America/New_York'));

  it('dirty marks accounts (an unknown one is an error naming it, and nothing is marked)', async () => {
    const w = await world(app.store, 'cli-dirty', 0, new Date());
    const before = await getAccount(app.store, w.customer);
    const missing = await runTollkeeper(['accounts', 'dirty', w.customer, 'nobody'], env);
    expect(missing).toMatchObject({ code: 1, stderr: 'error: no account "nobody"\n' });
    expect((await getAccount(app.store, w.customer)).dirtyVersion).toBe(before.dirtyVersion);
    const marked = await runTollkeeper(['accounts', 'dirty', w.customer], env);
    expect(marked.code).toBe(0);
    expect(marked.stdout).toMatch(new RegExp(`${w.customer}\\s*│\\s*${before.dirtyVersion + 1}`));
  });

  it('reconcile and show: standing, dirty state and the last billed items', async () => {
    const w = await world(app.store, 'cli-show', 3, new Date());
    const never = await runTollkeeper(['accounts', 'show', w.customer], env);
    expect(never.stdout).toContain('last billed: never reconciled');
    expect(never.stdout).toMatch(/dirty: yes, version 4/);

    const reconciled = await runTollkeeper(['accounts', 'reconcile', w.customer], env);
    expect(reconciled.code).toBe(0);
    expect(reconciled.stdout).toMatch(/cli-show-customer\s*│\s*reconciled\s*│\s*1 step\(s\), \$\d+\.\d\d charged, good/);
    const shown = await runTollkeeper(['accounts', 'show', w.customer], env);
    expect(shown.stdout).toContain(`reseller ${w.reseller}`);
    expect(shown.stdout).toContain('standing: good');
    expect(shown.stdout).toContain('dirty: no, clean at version 4');
    expect(shown.stdout).toContain(`${localMonth(new Date(), 'America/New_York')}: $60.00 a month, $60.00 covered`);
    expect(shown.stdout).toMatch(/devices\/sip_device\s*│\s*devices\/sip_device\s*│\s*3\s*│\s*3\s*│\s*20\.00\s*│\s*60\.00/);
    const json = JSON.parse((await runTollkeeper(['accounts', 'show', w.customer, '--json'], env)).stdout) as { snapshot: { seq: number } };
    expect(json.snapshot.seq).toBe(1);
  });

  it('reconcile --all takes every dirty account in batches; usage errors exit 2', async () => {
    await world(app.store, 'cli-all', 1, new Date());
    const all = await runTollkeeper(['accounts', 'reconcile', '--all', '--batch', '2'], env);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/reconciled=\d+/);
    expect(await app.store.accounts.countDocuments({ _id: /^cli-all/, dirty: true })).toBeLessThan(3);
    expect((await runTollkeeper(['accounts', 'reconcile'], env)).code).toBe(2);
    expect((await runTollkeeper(['accounts', 'reconcile', '--all', '--batch', '0'], env)).stderr).toContain('--batch: expected a whole number >= 1, got "0"');
  });
});
