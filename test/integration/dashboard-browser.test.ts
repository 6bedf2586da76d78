import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import type { Page } from 'playwright-core';
import { projectRoot } from '../../scripts/services/redis';
import type { App } from '../../src/runtime/app';
import { runsOfJob } from '../../src/store/job-runs';
import { dashboardOrigin, startTollkeeper } from '../support/cli';
import type { RunningCli } from '../support/cli';
import { ensureChromium, launchChromium } from '../support/chromium';
import type { Browser } from '../support/chromium';
import { closeTestApp, isolatedEnv, openTestApp } from '../support/test-env';
import { untilJobState } from '../support/until';

const credentials = { username: 'operator', password: 'dashboard-secret' };
const env = isolatedEnv('dashboard_browser', { DASHBOARD_USER: credentials.username, DASHBOARD_PASSWORD: credentials.password });
const screenshots = join(projectRoot(), '.data', 'screenshots');
let app: App;

// The first run on a fresh machine installs Debian's chromium with apt: minutes, not seconds.
const INSTALL_TIMEOUT_MS = 15 * 60_000;

beforeAll(async () => {
  ensureChromium();
  mkdirSync(screenshots, { recursive: true });
  app = await openTestApp(env);
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await closeTestApp(app);
});

/** A housekeeping job failed by a worker that stands for an outage (MongoDB unreachable), so a retry can succeed. */
async function failedJob(): Promise<string> {
  const queue = app.producer.queue('maintenance');
  const job = await queue.add('housekeeping', { olderThanDays: 30 }, { attempts: 1 });
  const connection = app.redis.duplicate();
  const outage = new Worker(
    'maintenance',
    () => Promise.reject(new Error('simulated outage: MongoDB unreachable')),
    { connection, prefix: app.producer.prefix },
  );
  try {
    await untilJobState(queue, job.id!, 'failed');
  } finally {
    await outage.close();
    connection.disconnect();
  }
  return job.id!;
}

function jobCard(page: Page, jobId: string) {
  const link = page.locator(`a[href^="/queues/queue/maintenance/${jobId}?"]`);
  // The card's header holds both the job's link and its action buttons.
  const header = page.locator('div', { has: link }).filter({ has: page.locator('button') }).last();
  return { link, retry: header.locator('button:has(svg.lucide-refresh-cw)') };
}

describe('the dashboard in headless Chromium', () => {
  let worker: RunningCli | undefined;
  let browser: Browser | undefined;

  afterEach(async () => {
    await browser?.close();
    const outcome = await worker?.stop();
    browser = undefined;
    worker = undefined;
    if (outcome && outcome.code !== 0) throw new Error(`exited ${outcome.code}: ${outcome.stderr}`);
  });

  it('shows a failed job with its error, retries it from the page, and the worker completes it', async () => {
    const jobId = await failedJob();
    worker = startTollkeeper(['start', '--no-schedules', '--dashboard', '--dashboard-port', '0'], env);
    const origin = await dashboardOrigin(worker);
    browser = await launchChromium({ httpCredentials: credentials });
    const page = await browser.context.newPage();

    await page.goto(`${origin}/queues/queue/maintenance?status=failed`);
    const card = jobCard(page, jobId);
    await card.link.waitFor();
    await page.getByText('simulated outage: MongoDB unreachable').first().waitFor();
    await card.retry.hover();
    await page.getByText('Retry', { exact: true }).waitFor();
    await page.screenshot({ path: join(screenshots, 'dashboard-failed-job.png') });

    await card.retry.click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await untilJobState(app.producer.queue('maintenance'), jobId, 'completed');
    const [run] = await runsOfJob(app.store, jobId);
    expect(run).toMatchObject({ job: 'housekeeping', outcome: 'completed' });

    await page.goto(`${origin}/queues/queue/maintenance?status=completed`);
    await jobCard(page, jobId).link.waitFor();
    await page.screenshot({ path: join(screenshots, 'dashboard-retried-job.png') });
  });

  it('asks for the credentials it is configured with', async () => {
    worker = startTollkeeper(['dashboard', '--port', '0'], env);
    const origin = await dashboardOrigin(worker);
    browser = await launchChromium({ httpCredentials: { username: credentials.username, password: 'not-the-password' } });
    const response = await (await browser.context.newPage()).goto(`${origin}/queues`);
    expect(response?.status()).toBe(401);
  });
});
