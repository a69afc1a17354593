/**
 * October 2026 of the sample county — the National Day break (1–7 October), a make-up working Saturday
 * (10 October), four weekends — with every scheduled job that talks to people run at each of its slots on a
 * simulated clock, and one cadre on two weeks of approved sick leave. Checks that reminders respect people:
 * no morning reminder on a weekend or a day off except to the cadre whose month is at risk, the morning reminder
 * on the make-up Saturday, and nothing at all to the cadre on sick leave on the days of the leave; and that
 * `zhucun jobs burden` shows it day by day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { run, type JobsCliConnection } from '../../src/cli/jobs.js';
import type { CliIO } from '../../src/cli/io.js';
import { burdenFigures, type BurdenFigures } from '../../src/jobs/burden-figures.js';
import { JOBS } from '../../src/jobs/index.js';
import { addDays, eachDate, localDate, monthDates, weekday } from '../../src/kit/dates.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { reportBack, type LeaveRequest } from '../../src/leave/workflow.js';
import { silentLogger } from '../../src/log.js';
import { Tx } from '../../src/redis/tx.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import type { AnyJob } from '../../src/schedule/job.js';
import { PushLogRepo } from '../../src/schedule/push-log.js';
import { scheduleOf } from '../../src/schedule/registry.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { CronSlots } from '../../src/schedule/slots.js';
import { fixedClock } from '../../src/core/clock.js';
import { TestClock } from '../helpers/clock.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { TimedOutbox } from '../helpers/timed-outbox.js';
import { useTestRedis } from '../helpers/redis.js';
import { addCheckin, writePresence } from '../warnings/presence.js';

const MONTH = '2026-10';
const t = useTestRedis();

const clock = new TestClock(0);
const outbox = new TimedOutbox(clock);
const pushLog = new PushLogRepo(t.redis, t.keys);
const ctx = testDeps(t, { clock, outbox });
const roster = sampleRosterData();
/** `minutes` after local midnight of `date`, 17 seconds in, so nothing coincides with a slot. */
const at = (date: string, minutes: number) => new Date(new Date(`${date}T00:00:17+08:00`).getTime() + minutes * 60_000);

const SICK: LeaveRequest = {
  no: 'Q4001',
  userId: 'GaoLiXin',
  type: '病假',
  class: 'excused',
  start: '2026-10-12',
  end: '2026-10-23',
  days: 12,
  reason: '住院（示例）',
  createdAt: '2026-10-09T02:00:00.000Z',
  status: 'approved',
  steps: [{ kind: 'township', approvers: ['LiZhenHua'], decision: 'approved', by: 'LiZhenHua' }],
};
const onSickLeave = (d: string) => SICK.start <= d && d <= SICK.end;
/** Home for the holiday: the first days of the break. */
const HOME = new Set(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-05']);
const REST = (d: string) => ctx.calendar.isDayOff(d) === true || (weekday(d) % 6 === 0 && d !== '2026-10-10');

/**
 * When each cadre checks in on `d` (minutes after midnight), or undefined. Most are in the village every day but
 * Sundays and the first days of the break, before the 09:30 reminder; 赵文博 comes late on Mondays; 刘芳 late on
 * the make-up Saturday; 薛红梅 only on Tuesdays and Thursdays (her month is at risk); 高立新 twice before
 * his sick leave and every day but Sundays after it.
 */
function checkinTime(u: string, d: string): number | undefined {
  const wd = weekday(d);
  if (u === 'XueHongMei') return wd === 2 || wd === 4 ? 510 : undefined;
  if (u === 'GaoLiXin') {
    if (d < SICK.start) return d === '2026-10-06' || d === '2026-10-08' ? 510 : undefined;
    if (onSickLeave(d)) return undefined;
  }
  if (wd === 0 || HOME.has(d)) return undefined;
  if (u === 'ZhaoWenBo' && wd === 1) return 615;
  if (u === 'LiuFang' && d === '2026-10-10') return 660;
  return 510;
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

type Event = { at: Date; run: () => Promise<unknown> };
const events: Event[] = [];
let figures: BurdenFigures;

beforeAll(async () => {
  await ctx.roster.replace(roster);
  // Every month since the term started met.
  for (const c of roster.cadres) await writePresence(t.redis, t.keys, c.userid, '2026-04-28', '2026-09-30');
  const ledger = new CheckinRepo(t.redis, t.keys);
  for (const d of monthDates(MONTH)) {
    for (const c of roster.cadres) {
      const minutes = checkinTime(c.userid, d);
      if (minutes === undefined) continue;
      events.push({
        at: at(d, minutes),
        run: () => {
          const tx = new Tx();
          addCheckin(tx, ledger, c.userid, d, hhmm(minutes));
          return tx.commit(t.redis);
        },
      });
    }
  }
  const leaves = new LeaveRepo(t.redis, t.keys);
  events.push({
    at: at('2026-10-09', 600),
    run: () => {
      const tx = new Tx();
      leaves.save(tx, SICK);
      return tx.commit(t.redis);
    },
  });
  // 销假 on the first morning back, before the leave follow-up runs.
  events.push({
    at: at('2026-10-24', 500),
    run: async () => {
      const out = reportBack(SICK, '2026-10-24', clock.now());
      if (!out.ok) throw new Error(out.refusal);
      const tx = new Tx();
      leaves.save(tx, out.request, { previous: SICK });
      await tx.commit(t.redis);
    },
  });
  // Every job that talks to people at every slot of the month (the 打卡 sync, the re-nudge of announcements and
  // the retention of positions and the backup have nothing to do here).
  const runner = new JobRunner(ctx, new RedisRunCoordinator(t.redis, t.keys, clock, () => 86_400_000));
  const start = new Date(`${MONTH}-01T00:00:00+08:00`);
  const end = new Date(`${addDays(monthDates(MONTH).at(-1)!, 1)}T00:00:00+08:00`);
  for (const job of JOBS as AnyJob[]) {
    if (['checkin-sync', 'announce-renudge', 'retention', 'backup'].includes(job.id)) continue;
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
          if (result) await pushLog.recordRun(result);
        },
      });
    }
    slots.dispose();
  }
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const e of events) {
    clock.set(e.at);
    await e.run();
  }
  clock.set('2026-11-01T09:00:00+08:00');
  figures = await burdenFigures(ctx, MONTH);
}, 300_000);

afterAll(() => {
  clock.set(0);
});

const toUsers = () =>
  outbox.queued.flatMap(({ m, at: queuedAt }) =>
    m.to.kind === 'user'
      ? m.to.userIds.map((u) => ({ u, m, date: localDate(new Date(m.notBefore ?? queuedAt.getTime())) }))
      : [],
  );
const morning = () => toUsers().filter((p) => p.m.key.startsWith('remind:'));

describe('October 2026: weekends, the National Day break and sick leave', () => {
  it('sends the morning reminder on a weekend or a day off only to the cadre whose month is at risk', () => {
    const rest = morning().filter((p) => REST(p.date));
    expect(new Set(rest.map((p) => p.u))).toEqual(new Set(['XueHongMei']));
    // Not in the break: before the 10th the forecast says little.
    expect(rest.every((p) => p.date >= '2026-10-10')).toBe(true);
    // Her weekends from the 10th on, all but none.
    expect(rest.length).toBeGreaterThanOrEqual(5);
  });

  it('reminds on working days, the make-up Saturday included', () => {
    const on = (date: string) =>
      morning()
        .filter((p) => p.date === date)
        .map((p) => p.u);
    expect(on('2026-10-10')).toContain('LiuFang');
    expect(on('2026-10-12')).toContain('ZhaoWenBo');
    expect(on('2026-10-09')).toEqual(expect.arrayContaining(['XueHongMei', 'GaoLiXin']));
  });

  it('sends nothing at all to the cadre on sick leave on the days of the leave, nor a warning afterwards', () => {
    const gao = toUsers().filter((p) => p.u === 'GaoLiXin');
    expect(gao.filter((p) => onSickLeave(p.date)).map((p) => `${p.date} ${p.m.key}`)).toEqual([]);
    expect(gao.filter((p) => p.m.key.startsWith('warning:')).map((p) => p.m.key)).toEqual([]);
    // The at-risk cadre does get her 提醒.
    expect(toUsers().some((p) => p.u === 'XueHongMei' && p.m.key.startsWith('warning:XueHongMei:2026-10:remind'))).toBe(
      true,
    );
  });

  it('the burden figures show it day by day', () => {
    const day = (d: string) => figures.daily.find((x) => x.date === d)!;
    expect(figures.daily).toHaveLength(31);
    expect(day('2026-10-01').kind).toBe('day-off');
    expect(day('2026-10-04').kind).toBe('day-off');
    expect(day('2026-10-10').kind).toBe('makeup');
    expect(day('2026-10-11').kind).toBe('weekend');
    expect(day('2026-10-12').kind).toBe('workday');
    for (const d of eachDate('2026-10-01', '2026-10-07')) expect(day(d).reminders).toBe(0);
    expect(figures.restDay.map((p) => p.userId)).toEqual(['XueHongMei']);
    expect(figures.onLeave).toEqual([]);
    expect(figures.overBudget).toBe(0);
  });

  it('zhucun jobs burden prints it in Chinese', async () => {
    let out = '';
    const io: CliIO = { out: (s) => (out += s), err: () => {}, log: silentLogger, env: {} };
    const open = async (): Promise<JobsCliConnection> => ({
      ctx: { ...ctx, clock: fixedClock('2026-11-01T09:00:00+08:00') },
      close: async () => {},
    });
    expect(await run(['burden', '--month', MONTH], io, open)).toBe(0);
    expect(out).toContain('2026年10月推送情况（统计 31 天');
    expect(out).toMatch(/周末和放假日的提醒：\d+ 条，只发给本月在村天数偏紧的同志：薛红梅 \d+ 条/);
    expect(out).toContain('请假当天收到的提醒：0 条');
    expect(out).toContain('10月1日 周四 放假：0 条／0 人');
    expect(out).toMatch(/10月10日 周六 调休上班：\d+ 条／\d+ 人/);
    console.log(out);
  });
});
