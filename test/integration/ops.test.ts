import { startRedis } from '../../scripts/services/redis';
import type { HealthReport } from '../../src/ops/health';
import { QUEUES } from '../../src/queues/catalog';
import type { App } from '../../src/runtime/app';
import { openIntent } from '../../src/store/charge-intents';
import { runId } from '../../src/store/job-runs';
import { dashboardOrigin, runTollkeeper, startTollkeeper } from '../support/cli';
import type { RunningCli } from '../support/cli';
import { scrapeMetrics } from '../support/prometheus';
import { closeTestApp, isolatedEnv, openTestApp } from '../support/test-env';
import { until, untilJobState } from '../support/until';
import { TREE, writeTree } from './helpers/billing-tree';

const env = isolatedEnv('ops');
let app: App;

beforeAll(async () => {
  app = await openTestApp(env);
  await writeTree(app.store);
});

afterAll(async () => {
  await closeTestApp(app);
});

async function health(origin: string): Promise<{ status: number; body: HealthReport }> {
  const response = await fetch(`${origin}/healthz`);
  return { status: response.status, body: (await response.json()) as HealthReport };
}

async function stopped(cli: RunningCli): Promise<void> {
  const outcome = await cli.stop();
  if (outcome.code !== 0) throw new Error(`exited ${outcome.code}: ${outcome.stderr}`);
}

describe('start --dashboard: health and metrics of a running worker host', () => {
  let worker: RunningCli;
  let origin: string;

  beforeAll(async () => {
    worker = startTollkeeper(['start', '--no-schedules', '--dashboard', '--dashboard-port', '0'], { ...env, LOG_LEVEL: 'info' });
    origin = await dashboardOrigin(worker);
  });

  afterAll(() => stopped(worker));

  it('/healthz reports Redis, MongoDB and every worker up, with 200', async () => {
    const { status, body } = await health(origin);
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.checks.redis).toMatchObject({ ok: true });
    expect(body.checks.mongodb).toMatchObject({ ok: true });
    expect(body.checks.workers).toMatchObject({ ok: true, running: [...QUEUES], stopped: [] });
  });

  it('/metrics parses as Prometheus text, and the job counters, durations and queue depth move when jobs run', async () => {
    const job = { queue: 'maintenance', job: 'housekeeping' };
    const before = await scrapeMetrics(origin);
    expect(before.family('tollkeeper_jobs_completed_total').type).toBe('COUNTER');
    expect(before.family('tollkeeper_job_duration_seconds').type).toBe('HISTOGRAM');
    expect(before.family('tollkeeper_queue_jobs').type).toBe('GAUGE');

    const enqueued = await runTollkeeper(['enqueue', 'housekeeping', '--wait', '--timeout', '30'], env);
    expect(enqueued.code).toBe(0);
    const bad = await app.producer.queue('maintenance').add('housekeeping', { olderThanDays: -1 });
    await untilJobState(app.producer.queue('maintenance'), bad.id!, 'failed');

    const after = await scrapeMetrics(origin);
    expect(after.value('tollkeeper_jobs_completed_total', job)).toBe(before.value('tollkeeper_jobs_completed_total', job) + 1);
    expect(after.value('tollkeeper_jobs_failed_total', job)).toBe(before.value('tollkeeper_jobs_failed_total', job) + 1);
    const durations = (s: typeof after, outcome: string) => s.value('tollkeeper_job_duration_seconds_count', { ...job, outcome });
    expect(durations(after, 'completed')).toBe(durations(before, 'completed') + 1);
    expect(durations(after, 'rejected')).toBe(durations(before, 'rejected') + 1);
    expect(after.value('tollkeeper_queue_jobs', { queue: 'maintenance', state: 'failed' })).toBeGreaterThanOrEqual(1);
    expect(after.value('tollkeeper_queue_jobs', { queue: 'payments', state: 'waiting' })).toBe(0);
  });

  it('logs JSON lines naming queue, job, job id and run, and the account when the payload has one', async () => {
    const queue = app.producer.queue('maintenance');
    const stray = await queue.add('no-such-job', { accountId: TREE.sub });
    await untilJobState(queue, stray.id!, 'failed');
    const lines = worker
      .stderr()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const ofStray = lines.filter((l) => l.jobId === stray.id && l.queue === 'maintenance');
    expect(ofStray).toHaveLength(1);
    expect(ofStray[0]).toMatchObject({ msg: 'payload rejected', job: 'no-such-job', account: TREE.sub, run: runId({ queue: 'maintenance', job: 'no-such-job', jobId: stray.id!, createdAt: stray.timestamp, attempt: 1 }) });
    const completed = lines.filter((l) => l.msg === 'job completed');
    expect(completed.length).toBeGreaterThan(0);
    for (const line of completed) expect([line.queue, line.job, line.jobId, line.run].map((v) => typeof v)).toEqual(['string', 'string', 'string', 'string']);
  });

  it('a charge sweep reports progress to enqueue --wait and moves the money and card-charge counters', async () => {
    const longAgo = new Date(Date.now() - 3600_000);
    const intents = [
      { token: 'tok_ok_a', amount: 100_000 },
      { token: 'tok_ok_b', amount: 250_000 },
      { token: 'tok_decline_c', amount: 50_000 },
    ];
    for (const [i, { token, amount }] of intents.entries()) {
      const date = `2026-05-0${i + 1}`;
      await openIntent(
        app.store,
        { _id: `topup:${TREE.reseller}:${date}`, accountId: TREE.reseller, amount, token, description: `Top-up ${date}`, ledgerKind: 'topup', period: '2026-05', source: 'test' },
        longAgo,
      );
    }
    const before = await scrapeMetrics(origin);

    const sweep = await runTollkeeper(['enqueue', 'charge-recovery', '--wait', '--timeout', '30'], env);
    expect(sweep.code).toBe(0);
    // Not a terminal: plain lines, one per reported percentage.
    expect(sweep.stdout).toMatch(/^charge-recovery .*: 33%$/m);
    expect(sweep.stdout).toMatch(/^charge-recovery .*: 100%$/m);
    expect(sweep.stdout).not.toContain('\r');
    expect(JSON.parse(sweep.stdout.slice(sweep.stdout.indexOf('{')))).toMatchObject({ counts: { checked: 3, paid: 2, declined: 1 } });

    const after = await scrapeMetrics(origin);
    const charges = (outcome: string) => after.value('tollkeeper_card_charges_total', { outcome }) - before.value('tollkeeper_card_charges_total', { outcome });
    expect(charges('paid')).toBe(2);
    expect(charges('declined')).toBe(1);
    const credits = { kind: 'topup', direction: 'credit' };
    expect(after.value('tollkeeper_money_posted_units_total', credits) - before.value('tollkeeper_money_posted_units_total', credits)).toBe(350_000);
  });
});

describe('dashboard: binding and credentials', () => {
  it('refuses a non-loopback address without credentials, from the flag and from the configuration', async () => {
    const flag = await runTollkeeper(['dashboard', '--host', '0.0.0.0'], env);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--host "0.0.0.0": expected a loopback address');

    const configured = await runTollkeeper(['dashboard'], { ...env, DASHBOARD_HOST: '0.0.0.0' });
    expect(configured.code).toBe(1);
    expect(configured.stderr.trim().split('\n')).toEqual([
      'Invalid configuration: DASHBOARD_HOST="0.0.0.0": expected a loopback address (127.0.0.1, ::1, localhost) unless DASHBOARD_TOKEN or DASHBOARD_USER and DASHBOARD_PASSWORD are set',
    ]);

    const halfDone = await runTollkeeper(['dashboard'], { ...env, DASHBOARD_USER: 'ops' });
    expect(halfDone.stderr.trim()).toBe('Invalid configuration: DASHBOARD_PASSWORD="": expected a value, since DASHBOARD_USER is set');
  });

  it('with a token, listens beyond loopback and answers only a bearer token or basic auth carrying it', async () => {
    const token = 'a-long-enough-secret-token';
    const dashboard = startTollkeeper(['dashboard', '--host', '0.0.0.0', '--port', '0'], { ...env, DASHBOARD_TOKEN: token });
    try {
      const origin = (await dashboardOrigin(dashboard)).replace('0.0.0.0', '127.0.0.1');
      const anonymous = await fetch(`${origin}/metrics`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
      expect((await fetch(`${origin}/queues`)).status).toBe(401);
      expect((await fetch(`${origin}/healthz`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
      await scrapeMetrics(origin, { authorization: `Bearer ${token}` });
      const basic = `Basic ${Buffer.from(`anyone:${token}`).toString('base64')}`;
      expect((await fetch(`${origin}/queues`, { headers: { authorization: basic } })).status).toBe(200);
    } finally {
      await stopped(dashboard);
    }
  });
});

describe('/healthz when Redis goes away', () => {
  it('answers 503 naming Redis, while MongoDB stays healthy', async () => {
    const redis = await startRedis({ log: () => undefined });
    const dashboard = startTollkeeper(['dashboard', '--port', '0'], { ...env, REDIS_URL: redis.url });
    try {
      const origin = await dashboardOrigin(dashboard);
      expect((await health(origin)).status).toBe(200);
      await redis.stop();
      const down = await until(async () => {
        const h = await health(origin);
        return h.status === 503 ? h.body : undefined;
      }, '/healthz to turn unhealthy');
      expect(down.status).toBe('unhealthy');
      expect(down.checks.redis).toMatchObject({ ok: false });
      expect(down.checks.redis?.error).toMatch(/connection|no answer/);
      expect(down.checks.mongodb).toMatchObject({ ok: true });
      // The counters are still served; only the queue depth, which needs Redis, is left out.
      const scraped = await scrapeMetrics(origin);
      expect(scraped.family('tollkeeper_queue_jobs').metrics).toEqual([]);
      expect(scraped.family('tollkeeper_jobs_completed_total').metrics.length).toBeGreaterThan(0);
    } finally {
      await redis.stop();
      await stopped(dashboard);
    }
  });
});
