/**
 * Fault: the embedded redis-server is killed (SIGKILL) while signed callbacks keep coming. While it is down
 * every callback is answered 503 within WeCom's 5 s (never 200 with a sentence); the supervisor restarts it on
 * the same files, the bot's client reconnects without the bot being restarted, and after WeCom's retries of the
 * 503'd callbacks every update has its effect exactly once, acknowledged ones included.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger as log } from '../../src/log.js';
import { connectRedis } from '../../src/redis/connect.js';
import { Keys } from '../../src/redis/keys.js';
import { countBot, counts, deliver, loadRoster, updateId, type Delivery } from '../helpers/count-bot.js';
import { serveBot } from '../helpers/http-bot.js';
import { until } from '../helpers/wait.js';

const dataDir = await mkdtemp(join(tmpdir(), 'zhucun-fault-redis-'));
const conn = await connectRedis(loadEnv({ ZHUCUN_DATA_DIR: dataDir }), log);
const keys = new Keys('fault1');
await loadRoster(conn.redis, keys);
const http = await serveBot(countBot(conn.redis, keys, log));
afterAll(async () => {
  await http.close();
  await conn.close();
  await rm(dataDir, { recursive: true, force: true });
});

it(
  'answers 503 within 5 s while Redis is down, recovers by itself, and applies every update exactly once',
  { timeout: 90_000 },
  async () => {
    const deliveries: (Delivery & { phase: 'before' | 'down' | 'after'; n: number })[] = [];
    let phase: 'before' | 'down' | 'after' = 'before';
    let next = 1000;
    let running = true;
    // How many deliveries had started when the first one failed: only a 200 to a later one shows recovery (one in
    // flight when Redis died may still end 200 after the first 503).
    let started = 0;
    let failedAfter = Infinity;
    // Four WeCom connections sending new messages back to back.
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

    await until(() => deliveries.filter((d) => d.status === 200).length >= 20, 'callbacks answered before the kill');
    const { pid } = JSON.parse(await readFile(join(dataDir, 'redis.json'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');
    phase = 'down';
    // Until the supervisor has it back and the client has reconnected, callbacks keep coming.
    const recovered = () => deliveries.some((d) => d.status === 200 && d.n >= failedAfter);
    await until(recovered, 'the bot to answer 200 again after Redis came back');
    phase = 'after';
    await until(() => deliveries.filter((d) => d.phase === 'after').length >= 20, 'callbacks after the recovery');
    running = false;
    await Promise.all(senders);

    const down = deliveries.filter((d) => d.phase === 'down');
    expect(down.filter((d) => d.status === 503).length).toBeGreaterThan(0);
    expect(deliveries.filter((d) => d.phase === 'after').every((d) => d.status === 200)).toBe(true);
    for (const d of deliveries) {
      expect([d.status, d.ms < 5_000]).toEqual([d.status === 200 ? 200 : 503, true]);
      if (d.status === 200) expect(d.reply).toBe(`已计次 ${updateId(d.msgId)}`);
    }

    // Every acknowledged update already has its effect, once.
    const before = await counts(conn.redis, keys);
    for (const d of deliveries.filter((x) => x.status === 200)) expect(before[updateId(d.msgId)]).toBe(1);

    // WeCom retries the 503'd callbacks (same MsgId). One that held the busy lock when Redis died is answered 503
    // (after waiting 4 s for an outcome) until the lock expires, 10 s after it was taken.
    for (const d of deliveries.filter((x) => x.status !== 200)) {
      let retry = await deliver(http.url, d.msgId);
      for (let i = 0; i < 4 && retry.status === 503; i++) retry = await deliver(http.url, d.msgId);
      expect([d.msgId, retry.status, retry.reply]).toEqual([d.msgId, 200, `已计次 ${updateId(d.msgId)}`]);
    }
    const after = await counts(conn.redis, keys);
    expect(Object.keys(after).sort()).toEqual(deliveries.map((d) => updateId(d.msgId)).sort());
    expect(Object.values(after).every((n) => n === 1)).toBe(true);
  },
);
