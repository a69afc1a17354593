/**
 * `npm run bench`: figures of the hot paths, each the median of several runs, against a real redis-server
 * started here (append-only, fsync always, as the embedded default).
 *   1. signed WeCom callbacks through HTTP, the bot core and a check-in commit (sequential and 8 in flight);
 *   2. month/year presence bitmaps of 10,000 cadres in one batch (the read behind digests and roll-ups);
 *   3. the worst texts for command recognition and the leave parser (`bench/parser.ts`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Bot } from '../src/core/bot.js';
import { CheckinRepo } from '../src/attendance/ledger.js';
import { HolidayCalendar } from '../src/calendar/calendar.js';
import { systemClock } from '../src/core/clock.js';
import type { OutboxPort } from '../src/core/outbox-port.js';
import { Keys } from '../src/redis/keys.js';
import { openEmbeddedRedis } from '../src/redis/embedded.js';
import { silentLogger } from '../src/log.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { loadRosterFile } from '../src/roster/load.js';
import { RosterStore } from '../src/roster/store.js';
import { createRepos } from '../src/repos.js';
import { Tx } from '../src/redis/tx.js';
import { createRegistry } from '../handlers/index.js';
import { serveBot } from '../src/sandbox/serve-bot.js';
import { parserBench } from './parser.js';

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const noOutbox: OutboxPort = { enqueue: async () => {} };

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'zhucun-bench-'));
  const embedded = await openEmbeddedRedis({ dataDir: dir, log: silentLogger });
  const redis = new Redis(embedded.url);
  try {
    const roster = await loadRosterFile('config/roster.sample.yaml');
    const results: Record<string, string> = {};

    // 1. Callbacks.
    for (const inFlight of [1, 8]) {
      const perSecond: number[] = [];
      const latencies: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const keys = new Keys(`bench${run}c${inFlight}`);
        const store = new RosterStore(redis, keys);
        await store.replace(roster);
        const deps = {
          redis,
          keys,
          repos: createRepos(redis, keys),
          clock: systemClock,
          log: silentLogger,
          roster: store,
          outbox: noOutbox,
          policy: defaultPolicy(),
          calendar: new HolidayCalendar(),
          publicUrl: 'http://bench',
          checkinLink: 'http://bench/checkin',
        };
        const http = await serveBot(new Bot(deps, createRegistry()));
        const total = 400;
        let next = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: inFlight }, async () => {
            while (next < total) {
              const i = next++;
              const cadre = roster.cadres[i % roster.cadres.length]!;
              const village = roster.villages.find((v) => v.id === cadre.village)!;
              const t0 = performance.now();
              await http.app({
                ToUserName: 'wwsandbox0000001',
                FromUserName: cadre.userid,
                CreateTime: Math.floor(Date.now() / 1000),
                MsgType: 'location',
                Location_X: village.lat,
                Location_Y: village.lng,
                Scale: 15,
                Label: 'bench',
                MsgId: String(9_000_000_000 + run * 10_000 + i),
                AgentID: 1000002,
              });
              latencies.push(performance.now() - t0);
            }
          }),
        );
        perSecond.push(total / ((performance.now() - started) / 1000));
        await http.close();
      }
      results[`callbacks/s, ${inFlight} in flight`] = median(perSecond).toFixed(0);
      results[`callback p50 latency ms, ${inFlight} in flight`] = median(latencies).toFixed(2);
    }

    // 2. Presence bitmaps of 10,000 cadres.
    const keys = new Keys('benchbits');
    const ids = Array.from({ length: 10_000 }, (_, i) => `cadre${i}`);
    // Written 50 cadres a commit: a commit's arguments go to one EVAL call, and 500 cadres' days are more than
    // one JavaScript call can take.
    for (let i = 0; i < ids.length; i += 50) {
      const tx = new Tx();
      for (const id of ids.slice(i, i + 50))
        for (let d = 0; d < 320; d += 1 + (d % 3)) tx.setbit(keys.presence(id, 2026), d, 1);
      await tx.commit(redis);
    }
    const ledger = new CheckinRepo(redis, keys);
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      const bits = await ledger.yearBits(ids, 2026);
      times.push(performance.now() - t0);
      if (bits.size !== ids.length) throw new Error('missing bitmaps');
    }
    results['presence bitmaps of 10,000 cadres, ms'] = median(times).toFixed(1);

    // 3. Worst-case message texts.
    Object.assign(results, parserBench());

    process.stdout.write(`zhucun-bot benchmarks (median of ${RUNS} runs)\n`);
    for (const [k, v] of Object.entries(results)) process.stdout.write(`  ${k.padEnd(48)} ${v}\n`);
  } finally {
    redis.disconnect();
    await embedded.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
