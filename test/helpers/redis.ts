/**
 * Per-file access to the shared test Redis: a client and a `Keys` with a namespace of its own, so test files
 * running in parallel never see each other's keys.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, inject } from 'vitest';
import { Keys } from '../../src/redis/keys.js';

export interface TestRedis {
  redis: Redis;
  keys: Keys;
  url: string;
}

/** Call at the top level of a test file; the client closes after the file's tests. */
export function useTestRedis(): TestRedis {
  const url = inject('redisUrl');
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const keys = new Keys(`t${randomBytes(4).toString('hex')}`);
  afterAll(async () => {
    const stream = redis.scanStream({ match: `${keys.ns}:*`, count: 500 });
    for await (const batch of stream) if ((batch as string[]).length) await redis.del(...(batch as string[]));
    redis.disconnect();
  });
  return { redis, keys, url };
}
