/**
 * A Sentinel master that hangs (SIGSTOP: its connections stay open, nothing answers) is replaced by the
 * sentinels, and the bot's client follows their announcement to the promoted replica without a restart: it
 * would otherwise wait on the frozen master for as long as it stays frozen. Each of the three sentinels
 * announces the switch; once on the new master, the client stays there
 * (src/redis/sentinel-watch.ts).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger as log } from '../../src/log.js';
import type { RedisConnection } from '../../src/redis/connect.js';
import { announcedMaster } from '../../src/redis/sentinel-watch.js';
import {
  connectThroughSentinels,
  MASTER_NAME,
  SENTINEL_PASSWORD,
  startSentinels,
  type TestSentinels,
} from '../helpers/sentinel.js';
import { until } from '../helpers/wait.js';

describe('a +switch-master announcement', () => {
  it('names the new master of the master watched, and nothing else', () => {
    expect(announcedMaster(`${MASTER_NAME} 10.0.0.5 6379 10.0.0.6 6380`, MASTER_NAME)).toEqual({
      host: '10.0.0.6',
      port: 6380,
    });
    expect(announcedMaster('another 10.0.0.5 6379 10.0.0.6 6380', MASTER_NAME)).toBeUndefined();
    expect(announcedMaster(`${MASTER_NAME} 10.0.0.5 6379 10.0.0.6`, MASTER_NAME)).toBeUndefined();
    expect(announcedMaster(`${MASTER_NAME} 10.0.0.5 6379 10.0.0.6 port`, MASTER_NAME)).toBeUndefined();
  });
});

describe('a Sentinel master that hangs', () => {
  let setup: TestSentinels;
  let conn: RedisConnection;
  beforeAll(async () => {
    setup = await startSentinels();
    conn = await connectThroughSentinels(setup, log);
  }, 60_000);
  afterAll(async () => {
    await conn?.close();
    await setup?.stop();
  });

  it(
    'is left for the promoted replica once the sentinels announce it, which the client then stays on',
    { timeout: 90_000 },
    async () => {
      const redis = conn.redis as Redis;
      expect(await redis.set('follow:before', '1')).toBe('OK');
      // A duplicate (as the outbox's queue and worker connections are made) follows the switch too.
      const dup = redis.duplicate();
      await dup.connect();
      expect(await dup.set('follow:dup', '0')).toBe('OK');
      let closes = 0;
      redis.on('close', () => closes++);

      setup.master.kill('SIGSTOP');
      // Writes fail (time out) while the master is frozen, then succeed on the promoted replica.
      await until(
        async () => (await redis.set('follow:after', '1').catch(() => null)) === 'OK',
        'a write to succeed after the switch',
        45_000,
      );
      expect(await redis.config('GET', 'port')).toEqual(['port', String(setup.replicaPort)]);
      expect(closes).toBeGreaterThan(0);
      const onNewMaster = closes;

      // Every sentinel has the new master (each announced the switch), and the client stayed where it was.
      const sentinels = setup.sentinels.map(
        (s) => new Redis({ host: '127.0.0.1', port: Number(s.split(':')[1]), password: SENTINEL_PASSWORD }),
      );
      try {
        await until(async () => {
          for (const s of sentinels) {
            const [, port] = (await s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as [string, string];
            if (Number(port) !== setup.replicaPort) return false;
          }
          return true;
        }, 'every sentinel to name the new master');
      } finally {
        for (const s of sentinels) s.disconnect();
      }
      await delay(1_500);
      expect([redis.status, closes]).toEqual(['ready', onNewMaster]);
      expect(await redis.get('follow:after')).toBe('1');
      try {
        await until(
          async () => (await dup.set('follow:dup', '1').catch(() => null)) === 'OK',
          'the duplicate to write on the new master',
          20_000,
        );
        expect(await dup.config('GET', 'port')).toEqual(['port', String(setup.replicaPort)]);
      } finally {
        dup.disconnect();
      }
    },
  );
});
