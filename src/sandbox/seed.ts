/**
 * Fill the sandbox with its month of sample history by carrying out the seed plan through the real core: each
 * step is an `Update` handed to a `Bot` whose clock stands at that step's moment, so the data is exactly what
 * real use produces. Messages the bot would send while the history is written are dropped (nobody should get
 * a month of old notifications), except those of a step marked `deliver`: work still waiting today. WeCom 打卡
 * records go to the fake WeCom and come in through the real 打卡 sync job, as they would from WeCom.
 */
import { withOverrides } from '../policy/history.js';
import { Bot } from '../core/bot.js';
import { fixedClock } from '../core/clock.js';
import { startOfLocalDay } from '../kit/dates.js';
import type { Deps } from '../core/deps.js';
import type { OutboxPort } from '../core/outbox-port.js';
import type { Registry } from '../core/registry.js';
import type { Update } from '../core/update.js';
import type { CheckinRecord } from '../fakewecom/state.js';
import { checkinSync, OVERLAP_S } from '../jobs/checkin-sync.js';
import { RedisRunCoordinator } from '../schedule/coordinator.js';
import { JobRunner } from '../schedule/runner.js';
import type { WecomApi } from '../wecom/api/client.js';
import { planSeed, type SeedPlan, type SeedStep } from './seed-plan.js';

/** Where WeCom 打卡 records go, and the API the 打卡 sync reads them back through. */
export interface WecomCheckinSource {
  add(records: CheckinRecord[]): void;
  api: Pick<WecomApi, 'call'>;
}

export interface SeedOptions {
  deps: Deps;
  registry: Registry;
  /** The simulated "now": the history is the month before its day. */
  now: Date;
  seed?: number;
  /** Without it, the 打卡 records of the plan are left out. */
  wecomCheckin?: WecomCheckinSource;
}

export interface SeedResult {
  plan: SeedPlan;
  /** Steps whose reply did not name the number a later step needs (a refused request), for the log. */
  problems: string[];
}

/** The history is not news: nothing said while writing it is sent. */
const DROP: OutboxPort = { enqueue: async () => {} };
const NUMBER = /\b([QBHNP]\d+)\b/;

function updateOf(step: SeedStep, id: string, text?: string): Update {
  const time = new Date(step.at);
  const base = { id, userId: step.user, chatType: 'single' as const, time };
  const loc = step.location;
  if (!loc) return { ...base, channel: 'app', kind: 'text', text: text ?? '' };
  const point = { lat: loc.lat, lng: loc.lng };
  if (loc.source === 'page')
    return {
      ...base,
      channel: 'page',
      kind: 'location',
      location: { ...point, source: 'page', precision: 30, ...(loc.visit ? { visit: loc.visit } : {}) },
    };
  if (loc.source === 'auto')
    return {
      ...base,
      channel: 'app',
      kind: 'location',
      location: { ...point, source: 'auto', precision: 40 },
      event: { type: 'LOCATION' },
    };
  return {
    ...base,
    channel: 'app',
    kind: 'location',
    location: { ...point, source: 'message', ...(loc.label ? { label: loc.label } : {}) },
  };
}

async function run(opts: SeedOptions, step: SeedStep, id: string, text?: string): Promise<string> {
  // Copied with its getters: each seeded step counts under the policy version in force on its day.
  const outbox = step.deliver ? opts.deps.outbox : DROP;
  const bot = new Bot(withOverrides(opts.deps, { clock: fixedClock(step.at), outbox }), opts.registry);
  const { reply } = await bot.handle(updateOf(step, id, text));
  return reply?.text ?? reply?.markdown ?? '';
}

/** Check-ins of different cadres touch different keys, so cadres go side by side, each in time order. */
async function checkIns(opts: SeedOptions, steps: SeedStep[]): Promise<void> {
  const byUser = new Map<string, SeedStep[]>();
  steps.forEach((s) => byUser.set(s.user, [...(byUser.get(s.user) ?? []), s]));
  const queue = [...byUser.values()];
  let n = 0;
  const worker = async () => {
    for (let list = queue.shift(); list; list = queue.shift())
      for (const s of list) await run(opts, s, `seed:checkin:${n++}`);
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function wecomRecords(opts: SeedOptions, plan: SeedPlan): Promise<void> {
  const source = opts.wecomCheckin;
  if (!source || !plan.wecom.length) return;
  source.add(plan.wecom);
  const { deps } = opts;
  // The sync pulls from its cursor; put it at the start of the history so the first run takes the whole month.
  const from = Math.floor(startOfLocalDay(plan.from).getTime() / 1000) + OVERLAP_S;
  for (const t of (await deps.roster.get()).data.townships.filter((x) => x.usesWecomCheckin)) {
    await deps.redis.set(deps.keys.checkinSync(t.id), String(from));
  }
  const clock = fixedClock(opts.now);
  // Copied with its getters: the policy follows the copy's clock (the version in force on the seeded day).
  const ctx = withOverrides(deps, { clock, outbox: DROP, wecom: source.api });
  await new JobRunner(ctx, new RedisRunCoordinator(deps.redis, deps.keys, clock, () => 0)).runManual(checkinSync);
}

/** Write the whole history; returns the plan and any step the bot refused. */
export async function seedSandbox(opts: SeedOptions): Promise<SeedResult> {
  const roster = await opts.deps.roster.get();
  const plan = planSeed(roster, opts.deps.policy, opts.deps.calendar, opts.now, opts.seed);
  await checkIns(opts, plan.checkins);
  await wecomRecords(opts, plan);
  const numbers = new Map<string, string>();
  const problems: string[] = [];
  for (const [i, step] of plan.actions.entries()) {
    const text = step.text?.replace(/\{(\w+)\}/g, (_, name: string) => numbers.get(name) ?? name);
    const reply = await run(opts, step, `seed:action:${i}`, text);
    if (!step.capture) continue;
    const no = NUMBER.exec(reply)?.[1];
    if (no) numbers.set(step.capture, no);
    else problems.push(`${step.user} «${text}» → ${reply}`);
  }
  // Leaders' visits touch no cadre's data and number their own series (V…): after the rest, in time order.
  for (const [i, step] of plan.visits.entries()) {
    const reply = await run(opts, step, `seed:visit:${i}`, step.text);
    if (step.location && !reply.startsWith('已记录')) problems.push(`${step.user} visit → ${reply}`);
  }
  return { plan, problems };
}

/**
 * Seed once per namespace: nothing happens when `Keys.sandboxSeeded()` is set, or while another instance holds
 * the seed lock. Returns the result when this call seeded.
 */
export async function ensureSeeded(opts: SeedOptions): Promise<SeedResult | undefined> {
  const { redis, keys } = opts.deps;
  if (await redis.exists(keys.sandboxSeeded())) return undefined;
  const lock = keys.sandboxSeedLock();
  if ((await redis.set(lock, String(process.pid), 'EX', 600, 'NX')) === null) return undefined;
  try {
    const result = await seedSandbox(opts);
    await redis.set(
      keys.sandboxSeeded(),
      JSON.stringify({ now: opts.now.toISOString(), steps: result.plan.actions.length + result.plan.checkins.length }),
    );
    return result;
  } finally {
    await redis.del(lock);
  }
}
