import { SCHEDULES } from '../../src/queues/catalog';
import { registerSchedules } from '../../src/queues/schedules';
import type { App } from '../../src/runtime/app';
import { runsOfJob } from '../../src/store/job-runs';
import { runTollkeeper } from '../support/cli';
import { closeTestApp, configOf, isolatedEnv, openTestApp } from '../support/test-env';
import { until } from '../support/until';

const env = isolatedEnv('foundation');
let app: App;

beforeAll(async () => {
  app = await openTestApp(env);
});

afterAll(async () => {
  await closeTestApp(app);
});

/** Starts `tollkeeper start` in-process; stop() aborts it like SIGTERM and returns its exit code. */
function startWorker(extraEnv: NodeJS.ProcessEnv = {}): { stop(): Promise<number> } {
  const controller = new AbortController();
  const running = runTollkeeper(['start'], { ...env, ...extraEnv }, controller.signal);
  return {
    async stop() {
      controller.abort();
      const outcome = await running;
      if (outcome.code !== 0) throw new Error(`start exited ${outcome.code}: ${outcome.stderr}`);
      return outcome.code;
    },
  };
}

async function schedulerIds(): Promise<string[]> {
  const ids: string[] = [];
  for (const queue of app.producer.allQueues()) ids.push(...(await queue.getJobSchedulers()).map((s) => s.key));
  return ids.sort();
}

describe('the CLI and a running worker on real Redis and MongoDB', () => {
  it('processes a job enqueued with the CLI and records the run', async () => {
    const worker = startWorker();
    try {
      const enqueued = await runTollkeeper(['enqueue', 'housekeeping', '--older-than-days', '30', '--wait', '--timeout', '30'], env);
      expect(enqueued.stderr).toBe('');
      expect(enqueued.code).toBe(0);
      const jobId = /enqueued as job (\S+)/.exec(enqueued.stdout)?.[1];
      expect(jobId).toBeDefined();
      expect(JSON.parse(enqueued.stdout.slice(enqueued.stdout.indexOf('{')))).toEqual({ counts: { jobRunsDeleted: 0 } });
      const runs = await runsOfJob(app.store, jobId!);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ job: 'housekeeping', outcome: 'completed', payload: { olderThanDays: 30 }, counts: { jobRunsDeleted: 0 } });
      expect(runs[0]!.finishedAt).toBeInstanceOf(Date);
    } finally {
      await worker.stop();
    }
  });

  it('refuses a bad payload at the CLI with the field and value named, and enqueues nothing', async () => {
    const before = await app.producer.queue('maintenance').count();
    const outcome = await runTollkeeper(['enqueue', 'housekeeping', '--older-than-days', 'soon'], env);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('payload.olderThanDays');
    expect(outcome.stderr).toContain('"soon"');
    expect(await app.producer.queue('maintenance').count()).toBe(before);

    const unknownField = await runTollkeeper(['enqueue', 'housekeeping', '--older-than-dayz', '3'], env);
    expect(unknownField.code).toBe(2);
    expect(unknownField.stderr).toContain('payload.olderThanDayz: unknown field');
  });

  it('rejects a bad payload that reached the queue directly, without running the job or retrying it', async () => {
    const job = await app.producer.queue('maintenance').add('housekeeping', { olderThanDays: -4 });
    const worker = startWorker();
    try {
      const run = await until(async () => {
        const [r] = await runsOfJob(app.store, job.id!);
        return r && r.outcome !== 'running' ? r : undefined;
      }, 'the rejected run');
      expect(run.outcome).toBe('rejected');
      expect(run.error).toContain('payload.olderThanDays: at least 1 day (got -4)');
      expect(run.counts).toBeNull();
      const state = await until(async () => {
        const s = await app.producer.queue('maintenance').getJobState(job.id!);
        return s === 'failed' ? s : undefined;
      }, 'the job to fail');
      expect(state).toBe('failed');
      expect((await app.producer.queue('maintenance').getJob(job.id!))?.attemptsMade).toBe(1);
    } finally {
      await worker.stop();
    }
  });

  it('registers each schedule once however many times start runs, and drops one turned off', async () => {
    for (let i = 0; i < 2; i++) {
      const worker = startWorker();
      await until(async () => ((await schedulerIds()).length === SCHEDULES.length ? true : undefined), 'schedules');
      await worker.stop();
    }
    expect(await schedulerIds()).toEqual(SCHEDULES.map((s) => s.id).sort());

    const config = configOf({ ...env, SCHEDULE_HOUSEKEEPING: 'off' });
    await registerSchedules(app.producer, config.schedules, config.scheduleTimezone);
    expect(await schedulerIds()).not.toContain('housekeeping-daily');
  });

  it('shows queues, schedules and the last runs in status', async () => {
    const config = configOf(env);
    await registerSchedules(app.producer, config.schedules, config.scheduleTimezone);
    const outcome = await runTollkeeper(['status'], env);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/Queues[\s\S]*maintenance/);
    expect(outcome.stdout).toMatch(/Schedules[\s\S]*housekeeping-daily[\s\S]*30 3 \* \* \*/);
    expect(outcome.stdout).toMatch(/Last runs[\s\S]*housekeeping[\s\S]*completed/);
  });
});

describe('the CLI surface', () => {
  it('prints help for the program and each command with exit 0', async () => {
    const top = await runTollkeeper(['--help'], env);
    expect(top.code).toBe(0);
    for (const command of ['start', 'migrate', 'enqueue', 'status', 'seed']) expect(top.stdout).toContain(command);
    const enqueue = await runTollkeeper(['enqueue', '--help'], env);
    expect(enqueue.code).toBe(0);
    expect(enqueue.stdout).toContain('housekeeping');
  });

  it('exits 2 on a usage error', async () => {
    expect((await runTollkeeper(['frobnicate'], env)).code).toBe(2);
    expect((await runTollkeeper(['enqueue', 'no-such-job'], env)).code).toBe(2);
  });

  it('stops on a bad configuration value with one line naming variable, value and expectation', async () => {
    const outcome = await runTollkeeper(['status'], { ...env, REDIS_URL: 'localhost:6379' });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr.trim().split('\n')).toEqual([
      'Invalid configuration: REDIS_URL="localhost:6379": expected a URL starting with redis:// or rediss://',
    ]);
  });
});
