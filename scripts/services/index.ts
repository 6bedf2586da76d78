import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startMongo } from './mongo';
import type { MongoHandle } from './mongo';
import { projectRoot, startRedis } from './redis';
import type { RedisHandle } from './redis';

export interface LocalServices {
  redisUrl: string;
  mongoUrl: string;
  /** Stops what this call started (never services given through the environment). Safe to call twice. */
  stop(): Promise<void>;
}

export interface LocalServicesOptions {
  /** Keep MongoDB data across runs in .data/mongo/tollkeeper.h2; otherwise an in-memory store. Redis never persists. */
  persistent: boolean;
  log?: (line: string) => void;
  /**
   * Stop the services on SIGINT/SIGTERM/SIGHUP and then exit with the conventional 128+n status. On by default;
   * turn it off when the caller has its own shutdown sequence and will call stop() itself.
   */
  handleSignals?: boolean;
  /** JVM options for mongo-java-server in place of its defaults (see StartMongoOptions). */
  mongoJavaOptions?: readonly string[];
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

/**
 * Redis and MongoDB for local runs and integration tests. REDIS_URL / MONGODB_URI, when set, are used as they are,
 * so the same code runs against real servers (CI with service containers, a developer's own mongod).
 */
export async function startLocalServices(opts: LocalServicesOptions): Promise<LocalServices> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const givenRedis = nonEmpty(process.env.REDIS_URL);
  const givenMongo = nonEmpty(process.env.MONGODB_URI);

  let h2File: string | undefined;
  if (opts.persistent && !givenMongo) {
    const dir = join(projectRoot(), '.data', 'mongo');
    mkdirSync(dir, { recursive: true });
    h2File = join(dir, 'tollkeeper.h2');
  }

  // Started side by side: the JVM's start-up dominates and redis is ready long before it.
  const [redis, mongo] = await Promise.allSettled([
    givenRedis ? Promise.resolve(undefined) : startRedis({ log }),
    givenMongo ? Promise.resolve(undefined) : startMongo({ log, ...(h2File ? { h2File } : {}), ...(opts.mongoJavaOptions ? { javaOptions: opts.mongoJavaOptions } : {}) }),
  ]);
  const started = [redis, mongo]
    .filter((r): r is PromiseFulfilledResult<RedisHandle | MongoHandle | undefined> => r.status === 'fulfilled')
    .map((r) => r.value)
    .filter((h): h is RedisHandle | MongoHandle => h !== undefined);
  if (redis.status === 'rejected' || mongo.status === 'rejected') {
    await Promise.allSettled(started.map((h) => h.stop()));
    const failures = [redis, mongo].filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
    throw new Error(`could not start local services:\n${failures.map(String).join('\n')}`, { cause: failures[0] });
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      removeSignalHandlers();
      const results = await Promise.allSettled(started.map((h) => h.stop()));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length > 0) throw new Error(`stopping local services failed: ${failed.map((r) => String(r.reason)).join('; ')}`);
    })();
    return stopping;
  };

  const handlers = new Map<NodeJS.Signals, () => void>();
  const removeSignalHandlers = (): void => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    handlers.clear();
  };
  if (opts.handleSignals ?? true) {
    for (const [signal, number] of Object.entries(SIGNALS) as [NodeJS.Signals, number][]) {
      const handler = (): void => {
        log(`${signal}: stopping local services`);
        stop().then(
          () => process.exit(128 + number),
          (err: unknown) => {
            console.error(err);
            process.exit(128 + number);
          },
        );
      };
      handlers.set(signal, handler);
      process.on(signal, handler);
    }
  }

  return {
    redisUrl: givenRedis ?? (redis.value as RedisHandle).url,
    mongoUrl: givenMongo ?? (mongo.value as MongoHandle).url,
    stop,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value : undefined;
}
