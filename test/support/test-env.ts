import { loadConfig } from '../../src/config/config';
import type { Config } from '../../src/config/config';
import { openApp } from '../../src/runtime/app';
import type { App } from '../../src/runtime/app';
import { createLogger } from '../../src/runtime/logger';
import { testMongoUrl, testRedisUrl, uniqueName } from './services';

/** An environment of its own for one test file: a fresh database and a fresh queue prefix on the shared servers. */
export function isolatedEnv(label: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    REDIS_URL: testRedisUrl(),
    MONGODB_URI: testMongoUrl(),
    MONGODB_DB: uniqueName(label),
    QUEUE_PREFIX: uniqueName(label),
    LOG_LEVEL: 'silent',
    MAIL_OUTBOX_DIR: `.data/test-outbox/${uniqueName(label)}`,
    DRAIN_TIMEOUT_MS: '5000',
    // A loaded two-core CI machine can stall a ping past production's 2 s; the tests are not about that limit.
    HEALTH_CHECK_TIMEOUT_MS: '10000',
    ...extra,
  };
}

export function configOf(env: NodeJS.ProcessEnv): Config {
  return loadConfig(env);
}

export function openTestApp(env: NodeJS.ProcessEnv, now?: () => Date): Promise<App> {
  const config = loadConfig(env);
  return openApp(config, createLogger('silent'), now ? { now } : {});
}

/** Drops the test file's database and closes the app: what every integration file does after its tests. */
export async function closeTestApp(app: App): Promise<void> {
  await app.store.db.dropDatabase();
  await app.close();
}
