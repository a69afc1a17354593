/**
 * Sheet and digest benchmarks. `sheetBench`: the monthly sheet (`exportSheet`, the xlsx bytes) of 2,000 cadres
 * with a year of synthetic presence and leave. `digestBench`: the daily digest of a 300-cadre county (3
 * townships, each with its supervisor and its group robot), from the job's run (`JobRunner.runManual`: load,
 * plan, push rules, queueing) until the fake WeCom has received every message from the outbox's worker, under
 * WeCom's real rate limits. Seconds, the median of `RUNS` runs; each digest run has a county of its own, so no
 * message is a repeat of an earlier run's.
 */
import { Redis } from 'ioredis';
import { HolidayCalendar } from '../src/calendar/calendar.js';
import { CheckinRepo } from '../src/attendance/ledger.js';
import { OffsetClock } from '../src/core/clock.js';
import { startFakeWecom } from '../src/fakewecom/server.js';
import { dailyDigest } from '../src/jobs/daily-digest.js';
import { silentLogger } from '../src/log.js';
import { Outbox } from '../src/outbox/outbox.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { Keys } from '../src/redis/keys.js';
import { Tx } from '../src/redis/tx.js';
import { wipeNamespace } from '../src/redis/wipe.js';
import { createRepos } from '../src/repos.js';
import { Roster } from '../src/roster/roster.js';
import { RosterStore } from '../src/roster/store.js';
import { RedisRunCoordinator } from '../src/schedule/coordinator.js';
import { JobRunner } from '../src/schedule/runner.js';
import { exportSheet } from '../src/sheet/build.js';
import { WecomApi } from '../src/wecom/api/client.js';
import { median, RUNS } from './accounting.js';
import { BENCH_NOW, writeSyntheticYear } from './accounting-data.js';

/** Seconds to export the sheet of December for 2,000 cadres (median of `RUNS`). */
export async function sheetBench(redis: Redis, cadres = 2_000, runs = RUNS): Promise<number> {
  const ns = 'bench-sheet';
  const keys = new Keys(ns);
  await wipeNamespace(redis, ns);
  try {
    const roster = new Roster(await writeSyntheticYear(redis, keys, cadres));
    const src = { redis, keys, policy: defaultPolicy(), calendar: new HolidayCalendar() };
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const t0 = performance.now();
      const sheet = await exportSheet(src, roster, '2026-12', BENCH_NOW);
      times.push((performance.now() - t0) / 1000);
      if (sheet.cadres !== cadres) throw new Error(`a sheet of ${sheet.cadres} cadres, expected ${cadres}`);
    }
    return median(times);
  } finally {
    await wipeNamespace(redis, ns);
  }
}

/** The digest's evening: a Friday, a working day, at the policy's 18:00. */
const DIGEST_AT = new Date('2026-12-18T18:00:00+08:00');

export interface DigestRun {
  seconds: number;
  /** Messages the run sent, and of those to the supervisors (app messages) and to the groups (robots). */
  messages: number;
  app: number;
  robot: number;
}

/** One digest run of a fresh county of `cadres` in namespace `ns`, timed from the job's start to the last delivery. */
export async function digestRun(redis: Redis, url: string, ns: string, cadres: number): Promise<DigestRun> {
  const keys = new Keys(ns);
  await wipeNamespace(redis, ns);
  const data = await writeSyntheticYear(redis, keys, cadres);
  // Each township has its group robot (webhook key in the environment, as the roster asks).
  data.groups = data.townships.map((t, i) => ({ chatid: `chat${i}`, township: t.id, webhookKeyEnv: `WEBHOOK_T${i}` }));
  const env = Object.fromEntries(data.townships.map((_, i) => [`WEBHOOK_T${i}`, `key-${i}`]));
  // Real time, set to the digest's evening: the outbox's rate windows pass as they do in production.
  const clock = new OffsetClock(DIGEST_AT.getTime() - Date.now());
  // The evening's check-ins, with their detail, as the ledger writes them: three cadres in four.
  const ledger = new CheckinRepo(redis, keys);
  const tx = new Tx();
  const date = '2026-12-18';
  data.cadres.forEach((c, i) => {
    if (i % 4 === 3) return;
    ledger.add(tx, c.userid, date, [], {
      id: `bench:${c.userid}:${date}`,
      at: new Date(`${date}T09:${String(i % 60).padStart(2, '0')}:00+08:00`).toISOString(),
      source: 'page',
      trust: 'verified',
      direction: 'in',
      inside: true,
      counts: true,
    });
  });
  await tx.commit(redis);
  const roster = new RosterStore(redis, keys, clock);
  await roster.replace(data, DIGEST_AT);
  const fake = await startFakeWecom({ clock, webhookKeys: Object.values(env) });
  const api = new WecomApi({
    base: fake.url,
    corpId: fake.corpId,
    agentId: fake.agentId,
    secret: fake.secret,
    redis,
    keys,
    log: silentLogger,
    clock,
  });
  const outbox = new Outbox({
    redis,
    keys,
    log: silentLogger,
    clock,
    api,
    agentId: fake.agentId,
    env,
    workerConnection: () => new Redis(url, { maxRetriesPerRequest: null }),
  });
  outbox.start();
  try {
    const ctx = {
      redis,
      keys,
      repos: createRepos(redis, keys),
      clock,
      log: silentLogger,
      roster,
      outbox,
      policy: defaultPolicy(),
      calendar: new HolidayCalendar(),
    };
    const runner = new JobRunner(ctx, new RedisRunCoordinator(redis, keys, clock, () => 0));
    const t0 = performance.now();
    const result = await runner.runManual(dailyDigest);
    const delivered = await fake.waitForSent(result.sent.length, 120_000);
    const seconds = (performance.now() - t0) / 1000;
    if (!result.sent.length) throw new Error('the digest sent nothing');
    return {
      seconds,
      messages: result.sent.length,
      app: delivered.filter((d) => d.channel === 'app').length,
      robot: delivered.filter((d) => d.channel !== 'app').length,
    };
  } finally {
    await outbox.close();
    await fake.stop();
    await wipeNamespace(redis, ns);
  }
}

/** Seconds for the daily digest of a 300-cadre county to reach the fake WeCom (median of `RUNS`). */
export async function digestBench(redis: Redis, cadres = 300, runs = RUNS): Promise<number> {
  const url = redisUrl(redis);
  const times: number[] = [];
  for (let run = 0; run < runs; run++) times.push((await digestRun(redis, url, `bench-digest-${run}`, cadres)).seconds);
  return median(times);
}

/** The URL of `redis`'s server, for the outbox worker's own connection. */
function redisUrl(redis: Redis): string {
  const { host, port, password } = redis.options;
  return `redis://${password ? `:${encodeURIComponent(password)}@` : ''}${host ?? '127.0.0.1'}:${port ?? 6379}`;
}
