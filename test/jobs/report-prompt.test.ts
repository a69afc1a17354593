import { beforeAll, describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/core/outbound.js';
import { needPrompt, periodStart, reportPrompt, type PromptState } from '../../src/jobs/report-prompt.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { defaultPolicy, jobSchedule } from '../../src/policy/policy.js';
import { Tx } from '../../src/redis/tx.js';
import { ReportRepo } from '../../src/reports/repo.js';
import type { JobContext } from '../../src/schedule/job.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { approvedLeave } from '../helpers/leave-request.js';

const t = useTestRedis();
const ctx: JobContext = testDeps(t);
const roster = sampleRosterData();
const daily = defaultPolicy();
daily.reports.prompt = 'daily';

async function planAt(iso: string, c: JobContext = ctx): Promise<Outbound[]> {
  const now = new Date(iso);
  return reportPrompt.plan(now, await reportPrompt.load(c, now));
}
const to = (msgs: Outbound[]) => msgs.map((m) => (m.to.kind === 'user' ? m.to.userIds[0]! : ''));
const text = (m: Outbound | undefined) => (m?.body.type === 'text' ? m.body.content : '');

function report(no: string, userId: string, createdAt: string) {
  return {
    no,
    userId,
    text: '#走访 2户',
    tags: ['走访' as const],
    households: 2,
    createdAt: new Date(createdAt).toISOString(),
  };
}
const leave = approvedLeave;

beforeAll(async () => {
  await ctx.roster.replace(roster);
  const reports = new ReportRepo(t.redis, t.keys);
  const tx = new Tx();
  // The week of Monday 16 November 2026.
  reports.save(tx, report('H1001', 'WangJianGuo', '2026-11-16T20:00:00+08:00'));
  reports.save(tx, report('H1002', 'LiXiaoYan', '2026-11-20T11:00:00+08:00'));
  // Last week's Sunday: not this week.
  reports.save(tx, report('H1003', 'ZhaoWenBo', '2026-11-15T21:00:00+08:00'));
  // Later this Friday than the prompt: not yet filed when it runs.
  reports.save(tx, report('H1004', 'ZhangZhiQiang', '2026-11-20T17:00:00+08:00'));
  new LeaveRepo(t.redis, t.keys).save(tx, leave('Q1001', 'SunLiJuan', '2026-11-19', '2026-11-20'));
  new LeaveRepo(t.redis, t.keys).save(tx, {
    ...leave('Q1002', 'GaoLiXin', '2026-11-23', '2026-11-27'),
    type: '病假',
    class: 'excused',
  });
  await tx.commit(t.redis);
});

describe('report-prompt', () => {
  it('runs on Friday 16:00 by default, every day with daily, never with off', () => {
    expect(jobSchedule(defaultPolicy(), 'reportPrompt')).toBe('0 16 * * 5');
    expect(jobSchedule(daily, 'reportPrompt')).toBe('0 16 * * *');
    const off = defaultPolicy();
    off.reports.prompt = 'off';
    expect(jobSchedule(off, 'reportPrompt')).toBeNull();
  });

  it('weekly: prompts those with no report since Monday, not those on leave today', async () => {
    const msgs = await planAt('2026-11-20T16:00:00+08:00');
    const ids = to(msgs);
    expect(ids).toHaveLength(roster.cadres.length - 3);
    for (const id of ['WangJianGuo', 'LiXiaoYan', 'SunLiJuan']) expect(ids).not.toContain(id);
    for (const id of ['ZhaoWenBo', 'ZhangZhiQiang']) expect(ids).toContain(id);
    const m = msgs.find((x) => x.key === 'report-prompt:2026-W47:ZhaoWenBo');
    expect(m).toMatchObject({ purpose: 'reminder', to: { kind: 'user', userIds: ['ZhaoWenBo'] } });
    expect(text(m)).toContain('赵文博同志，本周（11月16日起）您还没有提交工作汇报');
    expect(text(m).split('\n').at(-1)).toBe(
      '（为什么收到：每周五16:00提醒本周尚未汇报的同志；已汇报或请假的同志不会收到，周末和放假日不提醒。）',
    );
  });

  it('daily: looks at today only, with a per-day key', async () => {
    const c = testDeps(t, { policy: daily });
    const msgs = await planAt('2026-11-20T16:00:00+08:00', c);
    expect(to(msgs)).not.toContain('LiXiaoYan');
    expect(to(msgs)).toContain('WangJianGuo');
    expect(msgs.find((m) => m.key === 'report-prompt:2026-11-20:WangJianGuo')).toBeDefined();
    expect(text(msgs[0])).toContain('今天（11月20日）您还没有提交工作汇报');
    expect(text(msgs[0])).toContain('每天16:00提醒当天尚未汇报的同志');
  });

  it('daily: no prompt on a weekend, but on a make-up working Saturday (调休上班)', async () => {
    const c = testDeps(t, { policy: daily });
    expect(await planAt('2026-11-22T16:00:00+08:00', c)).toEqual([]);
    expect(await planAt('2026-11-21T16:00:00+08:00', c)).toEqual([]);
    expect(await planAt('2026-10-10T16:00:00+08:00', c)).toHaveLength(roster.cadres.length);
  });

  it('prompts nobody on approved sick leave', async () => {
    const c = testDeps(t, { policy: daily });
    const ids = to(await planAt('2026-11-24T16:00:00+08:00', c));
    expect(ids).not.toContain('GaoLiXin');
    expect(ids).toHaveLength(roster.cadres.length - 1);
  });

  it('catches up until the policy cut-off', () => {
    const slot = new Date('2026-11-20T16:00:00+08:00');
    expect(reportPrompt.catchUpUntil(slot, defaultPolicy())).toEqual(new Date('2026-11-20T20:00:00+08:00'));
    const policy = defaultPolicy();
    policy.catchUpUntil.reportPrompt = '18:30';
    expect(reportPrompt.catchUpUntil(slot, policy)).toEqual(new Date('2026-11-20T18:30:00+08:00'));
  });

  it('is quiet on a day off and outside the term', async () => {
    expect(await planAt('2026-10-02T16:00:00+08:00')).toEqual([]);
    expect(await planAt('2026-04-24T16:00:00+08:00')).toEqual([]);
  });

  it('plans purely from the state', () => {
    const state: PromptState = {
      date: '2026-11-18',
      mode: 'weekly',
      workingDay: true,
      cadres: [
        {
          userid: 'a',
          name: '甲',
          termStart: '2026-01-01',
          termEnd: '2026-12-31',
          reportDates: ['2026-11-15'],
          onLeave: false,
        },
        {
          userid: 'b',
          name: '乙',
          termStart: '2026-01-01',
          termEnd: '2026-12-31',
          reportDates: ['2026-11-16'],
          onLeave: false,
        },
      ],
    };
    expect(periodStart('2026-11-18', 'weekly')).toBe('2026-11-16');
    expect(periodStart('2026-11-16', 'weekly')).toBe('2026-11-16');
    expect(periodStart('2026-11-22', 'weekly')).toBe('2026-11-16');
    expect(needPrompt(state).map((c) => c.userid)).toEqual(['a']);
    expect(needPrompt({ ...state, mode: 'daily' }).map((c) => c.userid)).toEqual(['a', 'b']);
    expect(needPrompt({ ...state, workingDay: false })).toEqual([]);
    expect(needPrompt({ ...state, cadres: state.cadres.map((c) => ({ ...c, onLeave: true })) })).toEqual([]);
  });
});
