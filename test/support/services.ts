import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';

// Per worker process, so two runs sharing externally given servers (REDIS_URL/MONGODB_URI) still never collide.
const runToken = randomBytes(3).toString('hex');
let counter = 0;

export function testMongoUrl(): string {
  return required('MONGODB_URI');
}

export function testRedisUrl(): string {
  return required('REDIS_URL');
}

/**
 * A name no other test file (nor another call in this file) gets, usable both as a MongoDB database name and as a
 * BullMQ prefix: only [A-Za-z0-9_-], so no ':' (BullMQ's key separator) and none of the characters MongoDB forbids
 * in database names, and at most 63 characters, under MongoDB's 64-byte limit.
 */
export function uniqueName(prefix: string): string {
  counter += 1;
  const suffix = `_${runToken}${counter}`;
  const testPath = typeof expect === 'undefined' ? undefined : expect.getState().testPath;
  const file = testPath ? basename(testPath).replace(/\.test\.ts$/, '') : 'x';
  const head = `${prefix}_${file}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return head.slice(0, 63 - suffix.length) + suffix;
}

function required(name: 'MONGODB_URI' | 'REDIS_URL'): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. Integration tests get it from the jest global set-up (test/support/global-setup.ts), ` +
        'which starts local services; run them through jest with the integration project, or set it to a running server.',
    );
  }
  return value;
}
