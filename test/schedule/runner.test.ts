import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { localDate } from '../../src/kit/dates.js';
import type { Outbound } from '../../src/core/outbound.js';
import { morningRemind } from '../../src/jobs/morning-remind.js';
import { silentLogger } from '../../src/log.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { Keys } from '../../src/redis/keys.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import type { Job, JobContext } from '../../src/schedule/job.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { Scheduler, type SchedulerEvent } from '../../src/schedule/scheduler.js';
import { hoursAfter } from '../../src/schedule/windows.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const DAY = 86_400_000;
let n = 0;
let keys: Keys;
let outbox: Outbox;

/** A digest-like job on the policy's daily-digest time (18:00), worth catching up for two hours. */
const digestProbe: Job<{ date: string; org: string[] }> = {
  id: 'digest-probe',
  policyJob: 'dailyDigest',
  summary: 'test digest',
  catchUpUntil: (slot) => hoursAfter(slot, 2),
  async load(ctx, now) {
    return { date: localDate(now), org: (await ctx.roster.get()).orgDepartment().map((s) => s.userid) };
  },
  plan: (_now, s) =>
    s.org.map((u): Outbound => ({
      key: `digest-probe:${s.date}:${u}`,
      to: { kind: 'user', userIds: [u] },
      body: { type: 'text', content: '汇总' },
      purpose: 'digest',
    })),
};

let failNext = 0;
const flaky: Job<null> = {
  id: 'flaky',
  policyJob: 'warningLadder',
  summary: 'fails when told to',
  catchUpUntil: (slot) => hoursAfter(slot, 1),
  async load() {
    if (failNext > 0) {
      failNext -= 1;
      throw new Error('simulated failure');
    }
    return null;
  },
  plan: () => [
    {
      key: 'flaky:1',
      to: { kind: 'user', userIds: ['WuJianZhong'] },
      body: { type: 'text', content: 'x' },
      purpose: 'reminder',
    },
  ],
};

function ctxAt(iso: string): JobContext {
  return testDeps({ ...t, keys }, { clock: fixedClock(iso), outbox });
}
function runnerAt(iso: string): JobRunner {
  const ctx = ctxAt(iso);
  return new JobRunner(ctx, new RedisRunCoordinator(ctx.redis, ctx.keys, ctx.clock, () => DAY));
}
const queuedKeys = async () => (await outbox.list()).map((e) => e.key).sort();

// Each test gets its own namespace (inside the file's, so the helper clears it): claims, budget counters and
// the outbox queue start empty.
const outboxes: Outbox[] = [];
beforeEach(async () => {
  keys = new Keys(`${t.keys.ns}:r${++n}`);
  outbox = new Outbox({ redis: t.redis, keys, log: silentLogger });
  outboxes.push(outbox);
  await t.redis.set(keys.roster(), JSON.stringify(sampleRosterData()));
});
afterAll(async () => {
  for (const o of outboxes) await o.close();
});

describe('once-only across instances', () => {
  const slot = new Date('2026-11-18T18:00:00+08:00');

  it('two runners racing on one slot run it once', async () => {
    const [a, b] = [runnerAt('2026-11-18T18:00:00+08:00'), runnerAt('2026-11-18T18:00:00+08:00')];
    const results = await Promise.all([
      a.runSlot(digestProbe, slot, 'schedule'),
      b.runSlot(digestProbe, slot, 'schedule'),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await queuedKeys()).toEqual(['digest-probe:2026-11-18:ChangXiaoMin', 'digest-probe:2026-11-18:WuJianZhong']);
  });

  it("node-cron's distributed mode elects one instance per fire through the same claim", async () => {
    const clock = fixedClock(slot);
    const coords = [0, 1, 2].map(() => new RedisRunCoordinator(t.redis, keys, clock, () => DAY));
    const key = `digest-probe:${slot.toISOString()}`;
    const votes = await Promise.all(coords.map((c) => c.shouldRun(key)));
    expect(votes.filter(Boolean)).toHaveLength(1);
    expect(await coords[0]!.claimed('digest-probe', slot)).toBe(true);
    // The scheduler's catch-up path sees the slot as taken.
    expect(await runnerAt('2026-11-18T18:20:00+08:00').runSlot(digestProbe, slot, 'catch-up')).toBeNull();
  });

  it('a claim lasts through the catch-up window and a day more', async () => {
    const ctx = ctxAt('2026-11-18T18:00:00+08:00');
    const scheduler = new Scheduler(ctx, [digestProbe]);
    await scheduler.runner.runSlot(digestProbe, slot, 'schedule');
    const ttl = await t.redis.pttl(keys.jobRun('digest-probe', slot.toISOString()));
    expect(ttl).toBeGreaterThan(DAY + 2 * 3_600_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(DAY + 2 * 3_600_000);
    await scheduler.stop();
  });
});

describe('catch-up on start', () => {
  it('runs a digest missed at 18:00 when starting at 18:20, once across instances', async () => {
    const events: SchedulerEvent[] = [];
    const first = new Scheduler(ctxAt('2026-11-18T18:20:00+08:00'), [digestProbe, morningRemind], {
      onEvent: (e) => events.push(e),
    });
    const results = await first.catchUp();
    expect(results.map((r) => [r.jobId, r.slot, r.trigger])).toEqual([
      ['digest-probe', '2026-11-18T10:00:00.000Z', 'catch-up'],
    ]);
    expect(events).toContainEqual({
      type: 'skipped',
      jobId: 'morning-remind',
      slot: '2026-11-18T01:30:00.000Z',
      reason: 'too-late',
    });
    expect(await queuedKeys()).toHaveLength(2);
    const second = new Scheduler(ctxAt('2026-11-18T18:25:00+08:00'), [digestProbe, morningRemind]);
    expect(await second.catchUp()).toEqual([]);
    await Promise.all([first.stop(), second.stop()]);
  });

  it('does not send a morning reminder after noon, but does at 10:15', async () => {
    const late = new Scheduler(ctxAt('2026-11-18T12:30:00+08:00'), [morningRemind]);
    expect(await late.catchUp()).toEqual([]);
    expect(await queuedKeys()).toEqual([]);
    const early = new Scheduler(ctxAt('2026-11-18T10:15:00+08:00'), [morningRemind]);
    const [run] = await early.catchUp();
    expect(run?.slot).toBe('2026-11-18T01:30:00.000Z');
    expect(run?.sent.length).toBeGreaterThan(0);
    expect(await queuedKeys()).toContain('remind:WangJianGuo:2026-11-18');
    await Promise.all([late.stop(), early.stop()]);
  });

  it('does not catch up a digest missed yesterday', async () => {
    const s = new Scheduler(ctxAt('2026-11-19T09:00:00+08:00'), [digestProbe]);
    expect(await s.catchUp()).toEqual([]);
    await s.stop();
  });
});

describe('idempotent sends', () => {
  it('running a job twice sends each message once and charges the budget once', async () => {
    const first = await runnerAt('2026-11-18T09:30:00+08:00').runManual(morningRemind);
    const queued = await queuedKeys();
    expect(queued).toHaveLength(first.sent.length);
    const again = await runnerAt('2026-11-18T09:40:00+08:00').runManual(morningRemind);
    expect(again.sent.map((m) => m.key)).toEqual(first.sent.map((m) => m.key));
    expect(await queuedKeys()).toEqual(queued);
    expect(await t.redis.hget(keys.pushBudget('2026-11-18'), 'WangJianGuo')).toBe('1');
  });

  it('a scheduled run after a manual one adds nothing', async () => {
    await runnerAt('2026-11-18T18:05:00+08:00').runManual(digestProbe);
    const before = await queuedKeys();
    const s = new Scheduler(ctxAt('2026-11-18T18:10:00+08:00'), [digestProbe]);
    expect(await s.catchUp()).toHaveLength(1);
    expect(await queuedKeys()).toEqual(before);
    await s.stop();
  });

  it('a dry run sends, claims and records nothing', async () => {
    const r = await runnerAt('2026-11-18T09:30:00+08:00').runManual(morningRemind, { dryRun: true });
    expect(r.dryRun).toBe(true);
    expect(r.sent.length).toBeGreaterThan(0);
    expect(await queuedKeys()).toEqual([]);
    expect(await t.redis.exists(keys.pushBudget('2026-11-18'), keys.jobLast('morning-remind'))).toBe(0);
  });
});

describe('the runner', () => {
  it('gives a failed slot back so it can be run again', async () => {
    const slot = new Date('2026-11-18T10:00:00+08:00');
    const runner = runnerAt('2026-11-18T10:00:00+08:00');
    failNext = 1;
    await expect(runner.runSlot(flaky, slot, 'schedule')).rejects.toThrow('simulated failure');
    expect(await runner.coordinator.claimed('flaky', slot)).toBe(false);
    expect(await runner.runSlot(flaky, slot, 'catch-up')).not.toBeNull();
    expect(await runner.coordinator.claimed('flaky', slot)).toBe(true);
  });

  it('applies quiet hours to reminders: dropped and counted, nothing queued', async () => {
    const r = await runnerAt('2026-11-18T22:00:00+08:00').runManual(flaky);
    expect(r.sent).toEqual([]);
    expect(r.dropped).toEqual([{ key: 'flaky:1', userId: 'WuJianZhong', reason: 'quiet-hours' }]);
    expect(await queuedKeys()).toEqual([]);
    expect(await t.redis.hget(keys.pushDropped('2026-11-18'), 'quiet-hours')).toBe('1');
  });

  it('records the last run of each job', async () => {
    const runner = runnerAt('2026-11-18T18:00:00+08:00');
    await runner.runSlot(digestProbe, new Date('2026-11-18T18:00:00+08:00'), 'schedule');
    expect(await runner.lastRun('digest-probe')).toEqual({
      slot: '2026-11-18T10:00:00.000Z',
      trigger: 'schedule',
      at: '2026-11-18T10:00:00.000Z',
      sent: 2,
      dropped: 0,
    });
  });
});
