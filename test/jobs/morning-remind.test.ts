import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import type { CheckinRecord } from '../../src/attendance/record.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { morningRemind, needReminder, type MorningState } from '../../src/jobs/morning-remind.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { Tx } from '../../src/redis/tx.js';
import type { JobContext } from '../../src/schedule/job.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { writePresence } from '../warnings/presence.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { fixedClock } from '../../src/core/clock.js';
import { approvedLeave } from '../helpers/leave-request.js';

const t = useTestRedis();
const ctx: JobContext = testDeps(t);
const roster = sampleRosterData();
const FIXTURE_2027 = fileURLToPath(new URL('../fixtures/holidays/2027.json', import.meta.url));

function checkin(id: string, at: string, counts: boolean): CheckinRecord {
  return {
    id,
    at: new Date(at).toISOString(),
    source: 'page',
    trust: 'verified',
    direction: 'in',
    inside: counts,
    counts,
  };
}

const leave = approvedLeave;

async function planAt(iso: string, c: JobContext = ctx) {
  const now = new Date(iso);
  return morningRemind.plan(now, await morningRemind.load(c, now));
}

beforeAll(async () => {
  await ctx.roster.replace(roster);
  const tx = new Tx();
  const ledger = new CheckinRepo(t.redis, t.keys);
  // Present: a counting check-in this morning. Not present: a check-in outside the village does not count.
  ledger.add(tx, 'WangJianGuo', '2026-11-18', [], checkin('a1', '2026-11-18T08:10:00+08:00', true));
  ledger.add(tx, 'LiXiaoYan', '2026-11-18', [], checkin('a2', '2026-11-18T08:20:00+08:00', false));
  // Present yesterday only.
  ledger.add(tx, 'ZhaoWenBo', '2026-11-17', [], checkin('a3', '2026-11-17T08:20:00+08:00', true));
  const repo = new LeaveRepo(t.redis, t.keys);
  repo.save(tx, leave('Q1001', 'SunLiJuan', '2026-11-17', '2026-11-19'));
  repo.save(tx, leave('Q1002', 'ZhangZhiQiang', '2026-11-18', '2026-11-18', { status: 'pending' }));
  // Back early: reported back with the 16th as the last day away, so the 18th is a working day again.
  repo.save(
    tx,
    leave('Q1003', 'LiuFang', '2026-11-15', '2026-11-20', {
      returnedOn: '2026-11-16',
      returnedAt: '2026-11-17T08:00:00.000Z',
    }),
  );
  // November so far for nearly everyone (not the 17th and 18th, which the tests above look at): on track, so no
  // reminder on the weekend. HeJing has not been in the village this month (at risk); GaoLiXin neither, but
  // GaoLiXin is on approved sick leave over the weekend of 21–22 November.
  repo.save(tx, leave('Q1004', 'GaoLiXin', '2026-11-20', '2026-11-25', { type: '病假', class: 'excused', days: 6 }));
  await tx.commit(t.redis);
  for (const c of roster.cadres) {
    await writePresence(t.redis, t.keys, c.userid, '2026-10-11', '2026-10-16');
    if (c.userid === 'HeJing' || c.userid === 'GaoLiXin') continue;
    await writePresence(
      t.redis,
      t.keys,
      c.userid,
      '2026-11-01',
      '2026-11-21',
      (d) => d === '2026-11-17' || d === '2026-11-18',
    );
  }
});

describe('morning-remind', () => {
  it('reminds everyone in post without a counting check-in, and nobody else', async () => {
    const msgs = await planAt('2026-11-18T09:30:00+08:00');
    const to = msgs.map((m) => (m.to.kind === 'user' ? m.to.userIds[0] : ''));
    expect(msgs).toHaveLength(roster.cadres.length - 2);
    expect(to).not.toContain('WangJianGuo');
    expect(to).not.toContain('SunLiJuan');
    for (const id of ['LiXiaoYan', 'ZhaoWenBo', 'ZhangZhiQiang', 'LiuFang']) expect(to).toContain(id);
  });

  it('sends private reminders with a per-day key, the time and one line saying why', async () => {
    const msgs = await planAt('2026-11-18T09:30:00+08:00');
    const m = msgs.find((x) => x.key === 'remind:LiXiaoYan:2026-11-18')!;
    expect(m).toMatchObject({ purpose: 'reminder', to: { kind: 'user', userIds: ['LiXiaoYan'] } });
    const text = m.body.type === 'text' ? m.body.content : '';
    expect(text).toContain('李晓燕同志，您今天（11月18日）还没有签到');
    expect(text).toContain(ctx.checkinLink);
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('（为什么收到'))).toHaveLength(1);
    expect(lines.at(-1)).toContain('每天09:30提醒尚未签到的同志');
  });

  it('is quiet on a day off of the holiday calendar', async () => {
    expect(await planAt('2026-10-01T09:30:00+08:00')).toEqual([]);
  });

  it('still reminds in a year whose holiday notice is not loaded, and not on its days off once it is', async () => {
    expect(await planAt('2027-02-08T09:30:00+08:00')).toHaveLength(roster.cadres.length);
    const withOverride = { ...ctx, calendar: await HolidayCalendar.load({ overrides: FIXTURE_2027 }) };
    expect(withOverride.calendar.isDayOff('2027-02-08')).toBe(true);
    expect(await planAt('2027-02-08T09:30:00+08:00', withOverride)).toEqual([]);
  });

  it('reminds nobody outside the term', async () => {
    expect(await planAt('2026-04-20T09:30:00+08:00')).toEqual([]);
    expect(await planAt('2027-04-28T09:30:00+08:00')).toEqual([]);
  });

  it('plans purely from the state', () => {
    const cadre = { termStart: '2026-01-01', termEnd: '2026-12-31', present: false, onLeave: false, atRisk: false };
    const state: MorningState = {
      date: '2026-11-18',
      workingDay: true,
      cadres: [
        { ...cadre, userid: 'a', name: '甲' },
        { ...cadre, userid: 'b', name: '乙', present: true },
        { ...cadre, userid: 'c', name: '丙', onLeave: true, atRisk: true },
        { ...cadre, userid: 'd', name: '丁', termStart: '2026-11-19', termEnd: '2027-11-18' },
        { ...cadre, userid: 'e', name: '戊', atRisk: true },
      ],
    };
    expect(needReminder(state).map((c) => c.userid)).toEqual(['a', 'e']);
    expect(needReminder({ ...state, workingDay: false }).map((c) => c.userid)).toEqual(['e']);
    const [m] = morningRemind.plan(new Date('2026-11-18T09:30:00+08:00'), state);
    expect(m!.body).toMatchObject({ type: 'text' });
    expect(m!.body.type === 'text' && m!.body.content).toContain('每天上午提醒');
  });

  it('keeps catching up until the policy cut-off (noon by default)', () => {
    const slot = new Date('2026-11-18T09:30:00+08:00');
    expect(morningRemind.catchUpUntil(slot, defaultPolicy())).toEqual(new Date('2026-11-18T12:00:00+08:00'));
    const policy = defaultPolicy();
    policy.catchUpUntil.morningRemind = '10:45';
    expect(morningRemind.catchUpUntil(slot, policy)).toEqual(new Date('2026-11-18T10:45:00+08:00'));
  });

  it('a Sunday dry run reminds only the cadre whose month is at risk', async () => {
    const now = new Date('2026-11-22T09:30:00+08:00');
    const c = { ...ctx, clock: fixedClock(now) };
    const runner = new JobRunner(c, new RedisRunCoordinator(c.redis, c.keys, c.clock, () => 0));
    const result = await runner.runManual(morningRemind, { dryRun: true });
    expect(result.sent.map((m) => m.key)).toEqual(['remind:HeJing:2026-11-22']);
    const text = result.sent[0]!.body.type === 'text' ? result.sent[0]!.body.content : '';
    expect(text).toContain('何静同志，您今天（11月22日）还没有签到');
    expect(text.split('\n').at(-1)).toContain('周末和放假日只提醒本月在村天数偏紧的同志');
  });

  it('is quiet on an ordinary Saturday and on a day off for those on track', async () => {
    // A day of the National Day break, and Saturday 17 October after six days in the village: with most of
    // the month still open nobody is at risk.
    expect(await planAt('2026-10-03T09:30:00+08:00')).toEqual([]);
    expect(await planAt('2026-10-17T09:30:00+08:00')).toEqual([]);
  });

  it('reminds on a Saturday that is a make-up working day (调休上班)', async () => {
    expect(ctx.calendar.makeupWorkdays('2026-10')).toContain('2026-10-10');
    expect(await planAt('2026-10-10T09:30:00+08:00')).toHaveLength(roster.cadres.length);
  });

  it('reminds nobody on approved sick leave, at risk or not', async () => {
    const to = (await planAt('2026-11-22T09:30:00+08:00')).map((m) => (m.to.kind === 'user' ? m.to.userIds[0] : ''));
    expect(to).not.toContain('GaoLiXin');
    const weekday = await planAt('2026-11-23T09:30:00+08:00');
    expect(weekday.map((m) => (m.to.kind === 'user' ? m.to.userIds[0] : ''))).not.toContain('GaoLiXin');
    expect(weekday.length).toBeGreaterThan(20);
  });
});
