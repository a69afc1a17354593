/**
 * Fault: WeCom delivers every update three times, spread across two bot instances on one Redis, all at once.
 * 1,000 updates give exactly 1,000 effects; every delivery is answered 200 with the update's one reply, or 503
 * (the other delivery is still at work: WeCom retries), never a second effect.
 */
import { afterAll, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger as log } from '../../src/log.js';
import { connectRedis, type RedisConnection } from '../../src/redis/connect.js';
import { countBot, counts, deliver, loadRoster, updateId, type Delivery } from '../helpers/count-bot.js';
import { serveBot, type HttpBot } from '../helpers/http-bot.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
await loadRoster(t.redis, t.keys);
const conns: RedisConnection[] = [];
const servers: HttpBot[] = [];
for (let i = 0; i < 2; i++) {
  // Each instance with its own connection, as two `zhucun serve` processes have.
  const conn = await connectRedis(loadEnv({ REDIS_URL: t.url }), log);
  conns.push(conn);
  servers.push(await serveBot(countBot(conn.redis, t.keys, log)));
}
afterAll(async () => {
  for (const s of servers) await s.close();
  for (const c of conns) await c.close();
});

const UPDATES = 1_000;

it('1,000 updates delivered 3 times across 2 instances have exactly 1,000 effects', { timeout: 90_000 }, async () => {
  // Deliveries in a shuffled order, at most 24 in flight; copy k of update n goes to instance (n + k) % 2.
  const work = Array.from({ length: UPDATES * 3 }, (_, i) => ({
    msgId: 9000 + Math.floor(i / 3),
    to: servers[(Math.floor(i / 3) + (i % 3)) % 2]!.url,
  }));
  for (let i = work.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [work[i], work[j]] = [work[j]!, work[i]!];
  }
  // Bring the three copies of each update close together, as WeCom's retries of a slow answer are.
  work.sort((a, b) => Math.floor(a.msgId / 8) - Math.floor(b.msgId / 8));
  const answers: Delivery[] = [];
  let at = 0;
  await Promise.all(
    Array.from({ length: 24 }, async () => {
      for (let w = work[at++]; w; w = work[at++]) answers.push(await deliver(w.to, w.msgId));
    }),
  );

  expect(answers).toHaveLength(UPDATES * 3);
  expect(answers.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
  for (const a of answers.filter((x) => x.status === 200)) expect(a.reply).toBe(`已计次 ${updateId(a.msgId)}`);
  // Every update was answered 200 at least once: the delivery that held it committed.
  expect(new Set(answers.filter((a) => a.status === 200).map((a) => a.msgId)).size).toBe(UPDATES);

  const effects = await counts(t.redis, t.keys);
  expect(Object.keys(effects)).toHaveLength(UPDATES);
  expect(Object.entries(effects).filter(([, n]) => n !== 1)).toEqual([]);
});
