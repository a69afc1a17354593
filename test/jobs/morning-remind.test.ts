import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import type { CheckinRecord } from '../../src/attendance/record.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { morningRemind, needReminder, type MorningState } from '../../src/jobs/morning-remind.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { Tx } from '../../src/redis/tx.js';
import type { JobContext } from '../../src/schedule/job.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

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

function leave(
  no: string,
  userId: string,
  start: string,
  end: string,
  extra: Partial<LeaveRequest> = {},
): LeaveRequest {
  return {
    no,
    userId,
    type: '事假',
    class: 'absent',
    start,
    end,
    days: 1,
    reason: '家中有事',
    createdAt: '2026-11-10T10:00:00.000Z',
    status: 'approved',
    steps: [{ kind: 'township', approvers: ['LiZhenHua'], decision: 'approved', by: 'LiZhenHua' }],
    ...extra,
  };
}

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
  await tx.commit(t.redis);
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
    const state: MorningState = {
      date: '2026-11-18',
      dayOff: false,
      cadres: [
        { userid: 'a', name: '甲', termStart: '2026-01-01', termEnd: '2026-12-31', present: false, leaves: [] },
        { userid: 'b', name: '乙', termStart: '2026-01-01', termEnd: '2026-12-31', present: true, leaves: [] },
        {
          userid: 'c',
          name: '丙',
          termStart: '2026-01-01',
          termEnd: '2026-12-31',
          present: false,
          leaves: [{ start: '2026-11-18', end: '2026-11-18' }],
        },
        { userid: 'd', name: '丁', termStart: '2026-11-19', termEnd: '2027-11-18', present: false, leaves: [] },
      ],
    };
    expect(needReminder(state).map((c) => c.userid)).toEqual(['a']);
    expect(needReminder({ ...state, dayOff: undefined }).map((c) => c.userid)).toEqual(['a']);
    expect(needReminder({ ...state, dayOff: true })).toEqual([]);
    const [m] = morningRemind.plan(new Date('2026-11-18T09:30:00+08:00'), state);
    expect(m!.body).toMatchObject({ type: 'text' });
    expect(m!.body.type === 'text' && m!.body.content).toContain('每天上午提醒');
  });

  it('keeps catching up until noon only', () => {
    const slot = new Date('2026-11-18T09:30:00+08:00');
    expect(morningRemind.catchUpUntil(slot)).toEqual(new Date('2026-11-18T12:00:00+08:00'));
  });
});
