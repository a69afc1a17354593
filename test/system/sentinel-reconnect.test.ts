/**
 * The Sentinel client announced a failover (`+switch-master`) while it is connecting again. Each connection of
 * the client subscribes to that announcement on the sentinels; when the master dies, the client reconnects,
 * asking a sentinel for the master first. If the dropped connection's subscription is still live and the
 * announcement arrives during that question (a loaded machine makes the question slow), ioredis aborted the
 * reconnect and gave the client up for good: every callback was answered 503 until the process restarted
 * (seen in the failover test under the whole suite). src/redis/sentinel-connector.ts drops the subscription
 * before each reconnect.
 *
 * The announcement is delivered here by hand, at the moment that went wrong, to the subscription the client had
 * before the drop: it is ioredis' own subscriber, whose internals this test reaches into to make the race
 * happen every time instead of once in a few loaded runs.
 */
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger as log } from '../../src/log.js';
import { connectRedis, type RedisConnection } from '../../src/redis/connect.js';
import {
  DATA_PASSWORD,
  MASTER_NAME,
  SENTINEL_PASSWORD,
  startSentinels,
  type TestSentinels,
} from '../helpers/sentinel.js';
import { until } from '../helpers/wait.js';

/** ioredis' failover subscriber of a client's current connection (private to ioredis). */
interface Subscriber {
  isDisconnected: boolean;
  sentinels: { client: Redis }[];
}
const subscriber = (redis: Redis): Subscriber | null =>
  (redis as unknown as { connector: { failoverDetector: Subscriber | null } }).connector.failoverDetector;

let setup: TestSentinels;
let conn: RedisConnection;
beforeAll(async () => {
  setup = await startSentinels();
  conn = await connectRedis(
    loadEnv({
      REDIS_SENTINELS: setup.sentinels.join(','),
      REDIS_SENTINEL_NAME: MASTER_NAME,
      REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
      REDIS_PASSWORD: DATA_PASSWORD,
    }),
    log,
  );
}, 60_000);
afterAll(async () => {
  await conn?.close();
  await setup?.stop();
});

it('connects again when a failover is announced while it reconnects, and subscribes afresh', async () => {
  const redis = conn.redis as Redis;
  await until(() => subscriber(redis)?.sentinels.length === 3, 'the client to subscribe to failovers');
  const before = subscriber(redis)!;
  const ends: string[] = [];
  redis.on('end', () => ends.push('end'));

  // The connection drops, as when the master dies: the client reconnects. Once it is asking a sentinel for the
  // master, the announcement reaches the subscription of the connection that dropped.
  const connecting = once(redis, 'connecting');
  const admin = new Redis({ port: setup.masterPort, host: '127.0.0.1', password: DATA_PASSWORD });
  try {
    await admin.client('KILL', 'TYPE', 'normal');
  } finally {
    admin.disconnect();
  }
  await connecting;
  for (const { client } of before.sentinels) client.emit('message', '+switch-master', `${MASTER_NAME} announced`);

  await until(() => redis.status === 'ready' || redis.status === 'end', 'the client to connect again or give up');
  expect([redis.status, ends]).toEqual(['ready', []]);
  expect(await redis.set('reconnect:probe', '1')).toBe('OK');
  // Its new connection listens for the next failover.
  await until(() => subscriber(redis) !== null && subscriber(redis) !== before, 'a new failover subscription');
  expect(subscriber(redis)!.isDisconnected).toBe(false);
});
