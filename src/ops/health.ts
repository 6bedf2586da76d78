import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Store } from '../store/store';

export interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
  /** For the workers check: the queues whose worker is running, and the ones whose worker is not. */
  running?: string[];
  stopped?: string[];
}

export interface HealthReport {
  status: 'ok' | 'unhealthy';
  checks: Record<string, CheckResult>;
}

export interface HealthSources {
  redis: Redis;
  store: Store;
  /** Present when the workers run in this process (`start --dashboard`). */
  workers?: readonly Worker[];
}

async function timed(probe: () => Promise<unknown>, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const attempt = probe();
  // The losing probe settles later; its outcome no longer matters, but it must not become an unhandled rejection.
  attempt.catch(() => undefined);
  try {
    await Promise.race([attempt, timeout]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

function redisProbe(redis: Redis): () => Promise<unknown> {
  return async () => {
    // Commands wait for a reconnect (maxRetriesPerRequest: null), so a PING to a lost server would only time out.
    if (redis.status !== 'ready') throw new Error(`connection ${redis.status}`);
    return redis.ping();
  };
}

function workersCheck(workers: readonly Worker[]): CheckResult {
  const running = workers.filter((w) => w.isRunning()).map((w) => w.name);
  const stopped = workers.filter((w) => !w.isRunning()).map((w) => w.name);
  return { ok: stopped.length === 0, ms: 0, running, stopped, ...(stopped.length > 0 ? { error: `not running: ${stopped.join(', ')}` } : {}) };
}

/** A probe must answer within `timeoutMs`, or the dependency counts as down: a health check that hangs tells nobody anything. */
export async function checkHealth(sources: HealthSources, timeoutMs: number): Promise<HealthReport> {
  const [redis, mongodb] = await Promise.all([
    timed(redisProbe(sources.redis), timeoutMs),
    timed(() => sources.store.db.command({ ping: 1 }), timeoutMs),
  ]);
  const checks: Record<string, CheckResult> = { redis, mongodb };
  if (sources.workers) checks.workers = workersCheck(sources.workers);
  return { status: Object.values(checks).every((c) => c.ok) ? 'ok' : 'unhealthy', checks };
}
