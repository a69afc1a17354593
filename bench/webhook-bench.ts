/**
 * Bullet 1 of `npm run bench`: `zhucun serve` (embedded Redis, fsync always) on a generated county of 300 and of
 * 30,000 cadres against a bare Koa endpoint, in the same run, flat out at 32 connections (autocannon) and at a
 * steady 1,000 req/s (one request a millisecond, bench/steady.ts). Each figure is the median of `runs` runs. The
 * two counties' servers run at the same time and are measured in turns, with bare Koa before each turn, so the
 * figures compared see the same machine; a comparison is the median of the rounds' own ratios, each server's
 * against the bare Koa measured just before it.
 *
 * The bot runs as `npm start` runs it, one process (`ZHUCUN_WORKERS` unset); the 300-cadre county is also
 * measured with one worker process per core (`ZHUCUN_WORKERS=auto`). In the measured runs
 * the same number of people (ACTIVE) send the check-ins in both counties, spread over the roster, so both do
 * the same work per callback and only the county's size differs: otherwise the small county's cadres reach the
 * day's limit of records early and get the shorter answer, while the large county's never do. Every server,
 * bare Koa's too, is warmed up under load first (`warmUp`), so that all are compared as long-running processes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeWecom, type FakeWecom } from '../src/fakewecom/server.js';
import { syntheticRoster } from './roster-gen.js';
import { steadyLoad } from './steady.js';
import {
  BENCH_APP,
  load,
  prepareCallbacks,
  startBareKoa,
  startServe,
  type CallbackKind,
  type LoadFigures,
} from './webhook.js';

export interface WebhookFigures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  bareRps: number;
  /** The median over the rounds of the one-process figure ÷ the bare Koa measured just before it. */
  ratio: number;
  p99At1000Ms: number;
  roster300Rps: number;
  roster30000Rps: number;
  /** The median over the rounds of 30,000 ÷ 300 cadres, both measured in the same round. */
  rosterGrowth: number;
  textRps: number;
  workers: number;
  /** The 300-cadre county with one worker process per core (`ZHUCUN_WORKERS=auto`). */
  workersRps: number;
  /** As `ratio`, for the worker processes. */
  workersRatio: number;
  errors: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const CONNECTIONS = 32;
/** How many cadres send the measured check-ins, in either county. */
const ACTIVE = 300;

/** Seconds of unmeasured load on every server before its measured runs (bare Koa's too). */
const WARM_SECONDS = 20;

/**
 * One location check-in from every cadre of `roster`, each exactly once, as fast as 32 connections go; then
 * `WARM_SECONDS` of check-ins from the ACTIVE cadres, unmeasured. A freshly started process runs its code
 * unoptimised at first and gets faster for about a minute under load (the JIT, the heap settling): without this
 * the first measured runs saw a process at half its speed, and the median depended on how many runs it took.
 */
async function warmUp(url: string, roster: ReturnType<typeof syntheticRoster>, seed: number): Promise<void> {
  const bodies = prepareCallbacks(roster, roster.cadres.length, 'location', seed);
  const r = await load(url, bodies, { connections: CONNECTIONS, amount: bodies.length });
  if (r.errors || r.non2xx) throw new Error(`warm-up: ${r.errors} errors, ${r.non2xx} answers other than 2xx`);
  // MsgIds of the seed's second half: none repeats one sent before.
  const more = prepareCallbacks(roster, 6_000 * WARM_SECONDS, 'location', seed + 0.5, ACTIVE);
  const w = await load(url, more, { connections: CONNECTIONS, seconds: WARM_SECONDS });
  if (w.errors || w.non2xx) throw new Error(`warm-up: ${w.errors} errors, ${w.non2xx} answers other than 2xx`);
}

/**
 * Wait until the bot has stopped sending: nothing reached the fake WeCom for `quietMs`. A new installation
 * catches up on the morning's jobs when it starts (digests, the warning ladder), and the measured runs start
 * once those messages are out, so that they measure callbacks, not the catch-up.
 */
async function outboxDrained(fake: FakeWecom, quietMs = 3_000, maxMs = 300_000): Promise<number> {
  let sent = 0;
  const count = () => sent++;
  fake.events.on('sent', count);
  try {
    const until = Date.now() + maxMs;
    for (let last = -1; last !== sent && Date.now() < until;) {
      last = sent;
      await new Promise((r) => setTimeout(r, quietMs));
    }
    return sent;
  } finally {
    fake.events.off('sent', count);
  }
}

export async function webhookBench(opts: { runs: number; seconds: number; port: number }): Promise<WebhookFigures> {
  const { runs, seconds } = opts;
  const bare = await startBareKoa(opts.port);
  // WeCom's side, answering as WeCom does, so that what the bot sends is delivered once (a dead address would
  // have the outbox retrying in the background of every measured run).
  const fake = await startFakeWecom({ corpId: BENCH_APP.corpId, agentId: BENCH_APP.agentId, secret: BENCH_APP.secret });
  // Bare Koa warmed up as the bot is, so that both are compared as long-running processes.
  await load(bare.url, prepareCallbacks(syntheticRoster(300), 2_000, 'location', 1), {
    connections: CONNECTIONS,
    seconds: WARM_SECONDS,
  });
  const bareRps: number[] = [];
  const measureBare = async (roster: ReturnType<typeof syntheticRoster>) => {
    const r = await load(bare.url, prepareCallbacks(roster, 2_000, 'location', 1), {
      connections: CONNECTIONS,
      seconds,
    });
    bareRps.push(r.rps);
    return r.rps;
  };
  const results: Record<string, LoadFigures[]> = {};
  // The comparisons are taken round by round, each between measurements made one after the other (a server
  // against the bare Koa of its round, 30,000 against 300 cadres of the same round), and their median is the
  // figure: the machine's speed drifts by a fifth between rounds of one run, and a ratio of two medians taken
  // from different rounds carries that drift into the figure.
  const ratios: Record<string, number[]> = {};
  const growth: number[] = [];
  let seed = 10;
  // Enough callbacks that none is posted twice at the throughput seen (a repeat would be a duplicate delivery).
  const perRun = (expected: number) => Math.ceil(expected * seconds * 1.5);
  type Setup = { size: number; workers: string; key: string; kinds: CallbackKind[]; steady: boolean };
  // The servers of a group run at the same time and are measured in rounds, bare Koa and then each server once a
  // round, so that the figures compared (300 with 30,000 cadres, each with bare Koa) see the same machine: its
  // speed drifts over a run of several minutes.
  const groups: Setup[][] = [
    [{ size: 300, workers: 'auto', key: '300-workers', kinds: ['location'], steady: false }],
    [
      { size: 300, workers: '1', key: '300', kinds: ['location', 'text'], steady: true },
      { size: 30_000, workers: '1', key: '30000', kinds: ['location'], steady: false },
    ],
  ];
  const expected = new Map<string, number>();
  try {
    for (const group of groups) {
      const running: {
        setup: Setup;
        roster: ReturnType<typeof syntheticRoster>;
        url: string;
        stop: () => Promise<void>;
      }[] = [];
      const stopAll = async () => {
        for (const r of running.splice(0).reverse()) await r.stop();
      };
      try {
        for (const [i, setup] of group.entries()) {
          const roster = syntheticRoster(setup.size);
          const dir = mkdtempSync(join(tmpdir(), `zhucun-bench-${setup.key}-`));
          const serve = await startServe(dir, roster, opts.port + 1 + i, fake.url, setup.workers).catch((err) => {
            rmSync(dir, { recursive: true, force: true });
            throw err;
          });
          const stop = async () => {
            await serve.stop();
            rmSync(dir, { recursive: true, force: true });
          };
          running.push({ setup, roster, url: serve.url, stop });
          // Every cadre checks in once before the measured runs, in both counties: a cadre's first check-in of
          // the day does more (it may open a confirmation request) than the later ones.
          await warmUp(serve.url, roster, seed++);
          await outboxDrained(fake);
        }
        for (const kind of ['location', 'text'] as CallbackKind[]) {
          const those = running.filter((r) => r.setup.kinds.includes(kind));
          for (let run = 0; run < runs && those.length; run++) {
            const round = new Map<string, number>();
            // Every other round in the other order, so that neither county is always the one measured later.
            for (const { setup, roster, url } of run % 2 ? [...those].reverse() : those) {
              const key = `${setup.key}:${kind}`;
              // Bare Koa just before each server it is compared with, both straight after a load. Not after a
              // pause: on this virtual machine a load after a few idle seconds runs slower at first (bare Koa
              // measured after a 2-s pause did 14,200 a second against 22,900–24,300 straight after a load).
              const bareNow = kind === 'location' ? await measureBare(roster) : 0;
              const bodies = prepareCallbacks(roster, perRun(expected.get(key) ?? 3_000), kind, seed++, ACTIVE);
              const r = await load(url, bodies, { connections: CONNECTIONS, seconds });
              expected.set(key, Math.max(expected.get(key) ?? 3_000, r.rps));
              (results[key] ??= []).push(r);
              if (bareNow) (ratios[key] ??= []).push(r.rps / bareNow);
              round.set(setup.key, r.rps);
            }
            if (kind === 'location' && round.has('300') && round.has('30000'))
              growth.push(round.get('30000')! / round.get('300')!);
          }
        }
        // The steady load on its server alone: the others are stopped first.
        const steady = running.find((r) => r.setup.steady);
        for (const r of [...running]) {
          if (r === steady) continue;
          running.splice(running.indexOf(r), 1);
          await r.stop();
        }
        for (let run = 0; steady && run < runs; run++) {
          // One second of warm-up (the connections open), then `seconds` measured, one request a millisecond.
          const bodies = prepareCallbacks(steady.roster, 1_000 * seconds + 2_000, 'location', seed++, ACTIVE);
          const r = await steadyLoad(steady.url, bodies, { rate: 1_000, seconds, warmUpSeconds: 1 });
          (results.steady ??= []).push({ ...r, non2xx: 0 });
        }
      } finally {
        await stopAll();
      }
    }
  } finally {
    await bare.stop();
    await fake.stop();
  }
  const m = (key: string, f: (r: LoadFigures) => number) => median(results[key]!.map(f));
  const rps = m('300:location', (r) => r.rps);
  const bareMedian = median(bareRps);
  const big = m('30000:location', (r) => r.rps);
  return {
    rps,
    p50Ms: m('300:location', (r) => r.p50Ms),
    p99Ms: m('300:location', (r) => r.p99Ms),
    bareRps: bareMedian,
    ratio: median(ratios['300:location']!),
    p99At1000Ms: Math.round(m('steady', (r) => r.p99Ms) * 10) / 10,
    roster300Rps: rps,
    roster30000Rps: big,
    rosterGrowth: median(growth),
    textRps: m('300:text', (r) => r.rps),
    workers: availableParallelism(),
    workersRps: m('300-workers:location', (r) => r.rps),
    workersRatio: median(ratios['300-workers:location']!),
    errors: Object.values(results)
      .flat()
      .reduce((sum, r) => sum + r.errors + r.non2xx, 0),
  };
}
