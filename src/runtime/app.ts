import type { Redis } from 'ioredis';
import { createBookkeeper } from '../bookkeeper';
import type { Config } from '../config/config';
import { createMailer } from '../mail/mailer';
import { SimulatedGateway } from '../payments/simulated-gateway';
import { Producer } from '../queues/producer';
import { connectRedis } from '../queues/redis';
import { ensureIndexes } from '../store/indexes';
import { openStore } from '../store/store';
import type { Store } from '../store/store';
import type { Deps } from './deps';
import type { Logger } from './logger';

export interface App {
  deps: Deps;
  store: Store;
  redis: Redis;
  producer: Producer;
  close(): Promise<void>;
}

/** Connects to MongoDB and Redis and makes sure the indexes exist; what every command and the worker start from. */
export async function openApp(config: Config, logger: Logger, options: { now?: () => Date } = {}): Promise<App> {
  const store = await openStore(config.mongoUri, config.mongoDb);
  const redis = connectRedis(config.redisUrl);
  try {
    await ensureIndexes(store);
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    await store.close();
    throw error;
  }
  const producer = new Producer(redis, config.queuePrefix);
  const now = options.now ?? (() => new Date());
  // PAYMENT_GATEWAY has one value today; a real gateway is chosen here once there is one.
  const gateway = new SimulatedGateway(store, { now });
  const mailer = createMailer(config);
  const deps: Deps = { config, store, logger, enqueuer: producer, gateway, mailer, bookkeeper: createBookkeeper(config.bookkeeper), now };
  return {
    deps,
    store,
    redis,
    producer,
    async close() {
      await mailer.close();
      await producer.close();
      redis.disconnect();
      await store.close();
    },
  };
}
