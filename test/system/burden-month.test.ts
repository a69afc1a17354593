/**
 * A month of the sample county (November 2026) with every scheduled job run at each of its slots, on a
 * simulated clock, while cadres behave as they do: most check in before the morning reminder, some later, some
 * not at all on some days, a few are on leave (one forgets to report back), most file a report or two a week,
 * the organisation department sends announcements that most read. Behaviour comes from a seeded random, so
 * every run is the same month. Checks the burden rules (减负) on everything queued, and that the burden figures
 * read back from the push log agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../handlers/index.js';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { Bot } from '../../src/core/bot.js';
import { addDays, eachDate, isWeekend, localDate, localTime, monthDates } from '../../src/kit/dates.js';
import { burdenFigures, type BurdenFigures } from '../../src/jobs/burden-figures.js';
import { JOBS } from '../../src/jobs/index.js';
import { LoggedOutbox, PushLogRepo } from '../../src/schedule/push-log.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { reportBack, type LeaveRequest } from '../../src/leave/workflow.js';
import { Tx } from '../../src/redis/tx.js';
import { inQuietHours } from '../../src/schedule/burden.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import type { AnyJob, Dropped } from '../../src/schedule/job.js';
import { scheduleOf } from '../../src/schedule/registry.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { CronSlots } from '../../src/schedule/slots.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { TimedOutbox } from '../helpers/timed-outbox.js';
import { useTestRedis } from '../helpers/redis.js';
import { TestClock } from '../helpers/clock.js';
import { addCheckin } from '../warnings/presence.js';

const MONTH = '2026-11';
const t = useTestRedis();

/** mulberry32: a small seeded generator, so the month is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = seeded(20261101);
const pick = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
/** `minutes` after local midnight of `date`, 17 seconds in, so nothing coincides with a slot. */
const at = (date: string, minutes: number) => new Date(new Date(`${date}T00:00:17+08:00`).getTime() + minutes * 60_000);

const clock = new TestClock(0);
const outbox = new TimedOutbox(clock);
const pushLog = new PushLogRepo(t.redis, t.keys);
const ctx = testDeps(t, { clock, outbox });
const bot = new Bot({ ...ctx, outbox: new LoggedOutbox(outbox, pushLog, clock) }, createRegistry());
const roster = sampleRosterData();
const cadres = roster.cadres.map((c) => c.userid);
const dropped: Dropped[] = [];
let figures: BurdenFigures;

function approved(
  no: string,
  userId: string,
  type: string,
  cls: LeaveRequest['class'],
  start: string,
  end: string,
): LeaveRequest {
  return {
    no,
    userId,
    type,
    class: cls,
    start,
    end,
    days: eachDate(start, end).length,
    reason: '（示例）',
    createdAt: new Date(`${start}T08:00:00+08:00`).toISOString(),
    status: 'approved',
    steps: [{ kind: 'township', approvers: ['LiZhenHua'], decision: 'approved', by: 'LiZhenHua' }],
  };
}
/**
 * Leave in November, away from start to end: 病假 and 培训 (counts as present) reported back on the first day
 * back; 事假 ended on Thursday 12th, back in the village on Friday, reported back only on Monday 16th.
 */
const LEAVES = [
  { leave: approved('Q2001', 'GaoLiXin', '病假', 'excused', '2026-11-02', '2026-11-06'), back: '2026-11-07' },
  { leave: approved('Q2002', 'FanWeiDong', '培训', 'present', '2026-11-23', '2026-11-27'), back: '2026-11-28' },
  { leave: approved('Q2003', 'LiuFang', '事假', 'absent', '2026-11-10', '2026-11-12'), back: '2026-11-16' },
];
const away = (u: string, d: string) => LEAVES.some(({ leave: l }) => l.userId === u && l.start <= d && d <= l.end);

type Event = { at: Date; run: () => Promise<unknown> };
const events: Event[] = [];
/** A message to the bot, through the command table, as the person sends it at `when`. */
const say = (userId: string, text: string, when: Date) =>
  events.push({
    at: when,
    run: async () =>
      void (await bot.handle({
        id: `sim:${userId}:${when.getTime()}`,
        channel: 'app',
        userId,
        chatType: 'single',
        kind: 'text',
        text,
        time: when,
      })),
  });

/** History since the term started: most cadres well above target; one short in October, one in September and October. */
async function writeHistory(): Promise<void> {
  const ledger = new CheckinRepo(t.redis, t.keys);
  const tx = new Tx();
  for (const u of cadres) {
    for (const d of eachDate('2026-04-28', '2026-10-31')) {
      const short = (u === 'HanXiaoDong' && d >= '2026-10-01') || (u === 'TianXiaoLi' && d >= '2026-09-01');
      if (rnd() < (short ? 0.45 : 0.88)) addCheckin(tx, ledger, u, d);
    }
  }
  await tx.commit(t.redis);
}

/** The month's behaviour as timed events. */
function planBehaviour(): void {
  const ledger = new CheckinRepo(t.redis, t.keys);
  const checkIn = (u: string, when: Date) =>
    events.push({
      at: when,
      run: () => {
        const tx = new Tx();
        addCheckin(tx, ledger, u, localDate(when), localTime(when));
        return tx.commit(t.redis);
      },
    });
  for (const d of monthDates(MONTH)) {
    for (const u of cadres) {
      if (away(u, d)) continue;
      // One cadre struggles this month; LiuFang comes back late on the Friday after her leave.
      const early = u === 'XueHongMei' ? 0.45 : isWeekend(d) ? 0.6 : 0.8;
      const late = early + (isWeekend(d) ? 0.1 : 0.12);
      const r = u === 'LiuFang' && d === '2026-11-13' ? early + 0.01 : rnd();
      // Before the 09:30 reminder, or after it.
      if (r < early) checkIn(u, at(d, pick(450, 565)));
      else if (r < late) checkIn(u, at(d, pick(575, 960)));
    }
  }
  for (const u of cadres) {
    // Most report once to three times a week, in the afternoon or evening; a few hardly ever.
    const habit = rnd() < 0.75 ? 2 : 0.3;
    for (const d of monthDates(MONTH)) {
      if (away(u, d) || (u === 'LiuFang' && d <= '2026-11-15')) continue;
      if (rnd() < habit / 7)
        say(u, `汇报 #走访 ${pick(1, 4)}户 了解冬季取暖和务工情况（示例）`, at(d, pick(840, 1250)));
    }
  }
  for (const { leave, back } of LEAVES) {
    events.push({
      at: at(addDays(leave.start, -3), 605),
      run: () => {
        const tx = new Tx();
        new LeaveRepo(t.redis, t.keys).save(tx, leave);
        return tx.commit(t.redis);
      },
    });
    events.push({
      at: at(back, 530),
      run: async () => {
        const repo = new LeaveRepo(t.redis, t.keys);
        const out = reportBack(leave, back, clock.now());
        if (!out.ok) throw new Error(out.refusal);
        const tx = new Tx();
        repo.save(tx, out.request, { previous: leave });
        await tx.commit(t.redis);
      },
    });
  }
  // Two announcements; most read them within hours, some the next day, a few never.
  for (const [date, text] of [
    ['2026-11-04', '通知 本周五下午三点在县委党校召开驻村工作推进会（示例）'],
    ['2026-11-18', '通知 请于月底前报送冬季防火排查情况（示例）'],
  ] as const) {
    say('ChangXiaoMin', text, at(date, 900));
    say('ChangXiaoMin', '确认发送', at(date, 901)); // an announcement goes out after its preview is confirmed
    for (const u of cadres) {
      const r = rnd();
      if (r < 0.9) say(u, '收到', at(date, 900 + (r < 0.75 ? pick(5, 300) : pick(1100, 2000))));
    }
  }
}

/** Every job at every slot of the month, from the job table and the policy. */
function planSlots(runner: JobRunner): void {
  const start = new Date(`${MONTH}-01T00:00:00+08:00`);
  const end = new Date(`${addDays(monthDates(MONTH).at(-1)!, 1)}T00:00:00+08:00`);
  for (const job of JOBS as AnyJob[]) {
    if (job.id === 'backup') continue; // writes a snapshot file and talks to nobody
    const expr = scheduleOf(ctx.policy, job);
    // The operator's watch (every 5 minutes) sends nobody anything a cadre would get: left out to save time.
    if (!expr || job.id === 'ops-watch') continue;
    const slots = new CronSlots(expr);
    for (let s = slots.next(new Date(start.getTime() - 1)); s && s < end; s = slots.next(s)) {
      const slot = s;
      events.push({
        at: slot,
        run: async () => {
          const result = await runner.runSlot(job, slot, 'schedule');
          if (!result) return;
          dropped.push(...result.dropped);
          await pushLog.recordRun(result);
        },
      });
    }
    slots.dispose();
  }
}

const toUsers = () =>
  outbox.queued.flatMap(({ m, at: queuedAt }) =>
    m.to.kind === 'user'
      ? m.to.userIds.map((u) => ({ u, m, sendAt: new Date(m.notBefore ?? queuedAt.getTime()) }))
      : [],
  );

beforeAll(async () => {
  await ctx.roster.replace(roster);
  await writeHistory();
  const runner = new JobRunner(ctx, new RedisRunCoordinator(t.redis, t.keys, clock, () => 86_400_000));
  planBehaviour();
  planSlots(runner);
  // Behaviour before a slot at the same instant; stable otherwise.
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const e of events) {
    clock.set(e.at);
    await e.run();
  }
  clock.set('2026-12-01T09:00:00+08:00');
  figures = await burdenFigures(ctx, MONTH);
  console.log(`burden figures of the simulated month:\n${JSON.stringify(figures, null, 2)}`);
}, 300_000);

afterAll(() => {
  clock.set(0);
});

describe('a month of the sample county', () => {
  it('exercised every kind of push', () => {
    const purposes = new Set(outbox.queued.map(({ m }) => m.purpose));
    for (const p of ['reminder', 'warning', 'announcement', 'digest']) expect(purposes).toContain(p);
    const keys = outbox.queued.map(({ m }) => m.key.split(':')[0]);
    for (const k of ['remind', 'report-prompt', 'warning', 'leave-overdue', 'announce-renudge', 'holiday-watch'])
      expect(keys).toContain(k);
    // The budget had to drop something, so without it someone would have been over it.
    expect(dropped.some((d) => d.reason === 'budget')).toBe(true);
  });

  it('sends nothing in quiet hours', () => {
    const quiet = toUsers().filter((p) => inQuietHours(p.sendAt, ctx.policy.push.quietHours));
    expect(quiet.map((p) => `${p.m.key} ${p.sendAt.toISOString()}`)).toEqual([]);
  });

  it('keeps everyone within the daily budget of reminders', () => {
    const perDay = new Map<string, number>();
    for (const p of toUsers().filter((x) => x.m.purpose === 'reminder')) {
      const id = `${p.u} ${localDate(p.sendAt)}`;
      perDay.set(id, (perDay.get(id) ?? 0) + 1);
    }
    const over = [...perDay].filter(([, n]) => n > ctx.policy.push.dailyBudget);
    expect(over).toEqual([]);
  });

  it('pushes a cadre a median of at most 3 times a week', () => {
    const counts = cadres.map((u) => toUsers().filter((p) => p.u === u).length);
    const rates = counts.map((n) => (n * 7) / monthDates(MONTH).length).sort((a, b) => a - b);
    const mid = rates.length >> 1;
    const median = rates.length % 2 ? rates[mid]! : (rates[mid - 1]! + rates[mid]!) / 2;
    expect(median).toBeLessThanOrEqual(3);
    expect(figures.perCadreWeekMedian).toBeCloseTo(median, 2);
  });

  it('reads the same figures back from the push log', () => {
    expect(figures.pushes.total).toBe(toUsers().length);
    expect(figures).toMatchObject({ month: MONTH, days: 30, inQuietHours: 0, overBudget: 0 });
    expect(figures.maxPerCadreDay).toBeLessThanOrEqual(ctx.policy.push.dailyBudget);
    expect(figures.dropped).toEqual({
      quietHours: dropped.filter((d) => d.reason === 'quiet-hours').length,
      budget: dropped.filter((d) => d.reason === 'budget').length,
    });
  });
});
