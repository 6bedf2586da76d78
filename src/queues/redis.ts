import { Redis } from 'ioredis';

/** BullMQ workers block on Redis, so commands must wait for a reconnect rather than fail after N retries. */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** Evicted keys would silently drop jobs (and with them, charges): refuse any policy but noeviction. */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const info = await redis.info('memory');
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy !== 'noeviction') {
    throw new Error(
      `Redis maxmemory-policy is "${policy ?? 'unknown'}"; Tollkeeper needs "noeviction" so queued jobs are never evicted ` +
        '(set maxmemory-policy noeviction in redis.conf or with CONFIG SET).',
    );
  }
}
