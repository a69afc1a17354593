/**
 * Fault: the Sentinel master is killed (SIGKILL) under a steady stream of signed callbacks. The bot is
 * connected through REDIS_SENTINELS (with REDIS_PASSWORD and REDIS_SENTINEL_PASSWORD) and waits, after each commit, for the replica to hold it (WAIT, see
 * src/redis/replicas.ts): while the replica cannot confirm, the callback is answered 503. Checked after the sentinels have promoted the replica: every callback answered 200
 * before, during or after the switch has its effect on the new master (none acknowledged was lost with the old
 * one); those in the switch-over window were answered 503 within WeCom's 5 s; new callbacks succeed again
 * without restarting the bot; and WeCom's retries (same MsgId) of every callback, answered 503 or 200, leave
 * exactly one effect each.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger as log } from '../../src/log.js';
import type { RedisConnection } from '../../src/redis/connect.js';
import { Keys } from '../../src/redis/keys.js';
import { countBot, counts, deliver, loadRoster, updateId, type Delivery } from '../helpers/count-bot.js';
import { serveBot, type HttpBot } from '../helpers/http-bot.js';
import {
  connectThroughSentinels,
  MASTER_NAME,
  ready as sentinelsReady,
  startSentinels,
  type TestSentinels,
} from '../helpers/sentinel.js';
import { until } from '../helpers/wait.js';

const keys = new Keys('failover');
let setup: TestSentinels;
let conn: RedisConnection;
let http: HttpBot;
beforeAll(async () => {
  setup = await startSentinels();
  conn = await connectThroughSentinels(setup, log);
  await loadRoster(conn.redis, keys);
  http = await serveBot(countBot(conn.redis, keys, log, { replicaWait: conn.replicaWait }));
}, 60_000);
afterAll(async () => {
  await http?.close();
  await conn?.close();
  await setup?.stop();
});

it('answers 503 while the replica does not confirm a commit, and the retry once it has it', async () => {
  const before = await deliver(http.url, 100);
  expect(before.status).toBe(200);
  // The replica stops (but stays connected): the master has the commit, the replica cannot confirm it.
  setup.replica.kill('SIGSTOP');
  let stalled: Delivery;
  try {
    stalled = await deliver(http.url, 101);
  } finally {
    setup.replica.kill('SIGCONT');
  }
  expect(stalled.status).toBe(503);
  expect((await counts(conn.redis, keys))[updateId(101)]).toBe(1);
  // WeCom's retry: the update is not applied again, and is acknowledged now that the replica holds it.
  const retry = await deliver(http.url, 101);
  expect([retry.status, retry.reply]).toEqual([200, `已计次 ${updateId(101)}`]);
  const counted = await counts(conn.redis, keys);
  expect([counted[updateId(100)], counted[updateId(101)]]).toEqual([1, 1]);
  // The sentinels saw the replica down meanwhile: it is promoted only once they see it up again.
  await sentinelsReady(setup.sentinels);
});

it(
  'loses no acknowledged callback when the master fails, answers 503 during the switch, and recovers by itself',
  { timeout: 90_000 },
  async () => {
    expect(conn.mode).toBe('sentinel');
    expect(conn.target).toBe(`sentinel master ${MASTER_NAME} via ${setup.sentinels.join(',')} with REDIS_PASSWORD`);
    const deliveries: (Delivery & { phase: 'before' | 'switch' | 'after'; n: number })[] = [];
    let phase: 'before' | 'switch' | 'after' = 'before';
    let next = 5000;
    let running = true;
    let started = 0;
    let failedAfter = Infinity;
    // Four WeCom connections sending new messages back to back, each with a MsgId of its own.
    const senders = Array.from({ length: 4 }, async () => {
      while (running) {
        const at = phase;
        const n = started++;
        const d = await deliver(http.url, next++);
        if (d.status !== 200 && failedAfter === Infinity) failedAfter = started;
        deliveries.push({ ...d, phase: at === 'before' && phase !== 'before' ? phase : at, n });
        if (d.status !== 200) await delay(20);
      }
    });

    await until(() => deliveries.filter((d) => d.status === 200).length >= 30, 'callbacks answered before the kill');
    setup.master.kill('SIGKILL');
    phase = 'switch';
    // A 200 to a delivery started after the first failure: the client follows the sentinels to the new master.
    await until(
      () => deliveries.some((d) => d.status === 200 && d.n >= failedAfter),
      'a 200 after the failover',
      45_000,
    );
    phase = 'after';
    await until(() => deliveries.filter((d) => d.phase === 'after').length >= 30, 'callbacks after the switch');
    running = false;
    await Promise.all(senders);

    // The client now talks to the promoted replica.
    const role = (await conn.redis.role()) as [string];
    expect(role[0]).toBe('master');
    expect(await conn.redis.config('GET', 'port')).toEqual(['port', String(setup.replicaPort)]);

    const window = deliveries.filter((d) => d.phase === 'switch');
    expect(window.filter((d) => d.status === 503).length).toBeGreaterThan(0);
    expect(deliveries.filter((d) => d.phase === 'after').every((d) => d.status === 200)).toBe(true);
    for (const d of deliveries) {
      expect([d.msgId, d.status, d.ms < 5_000]).toEqual([d.msgId, d.status === 200 ? 200 : 503, true]);
      if (d.status === 200) expect(d.reply).toBe(`已计次 ${updateId(d.msgId)}`);
    }

    // Every acknowledged update has its effect on the new master, once.
    const acknowledged = deliveries.filter((d) => d.status === 200);
    const now = await counts(conn.redis, keys);
    expect(acknowledged.filter((d) => now[updateId(d.msgId)] !== 1).map((d) => d.msgId)).toEqual([]);

    // WeCom retries the 503'd callbacks, and (as it may) some acknowledged ones, with the same MsgId. One that
    // held the busy lock on the old master may be answered 503 until that lock expires.
    const retried = [...deliveries.filter((d) => d.status !== 200), ...acknowledged.filter((_, i) => i % 10 === 0)];
    for (const d of retried) {
      let retry = await deliver(http.url, d.msgId);
      for (let i = 0; i < 4 && retry.status === 503; i++) retry = await deliver(http.url, d.msgId);
      expect([d.msgId, retry.status, retry.reply]).toEqual([d.msgId, 200, `已计次 ${updateId(d.msgId)}`]);
    }
    const after = await counts(conn.redis, keys);
    delete after[updateId(100)];
    delete after[updateId(101)];
    expect(Object.keys(after).sort()).toEqual(deliveries.map((d) => updateId(d.msgId)).sort());
    expect(Object.entries(after).filter(([, n]) => n !== 1)).toEqual([]);
  },
);
