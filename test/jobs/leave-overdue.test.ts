import { beforeAll, describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/core/outbound.js';
import { leaveOverdue, overdueMessages, type OverdueCandidate } from '../../src/jobs/leave-overdue.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { Tx } from '../../src/redis/tx.js';
import type { JobContext } from '../../src/schedule/job.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { approvedLeave } from '../helpers/leave-request.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const ctx: JobContext = testDeps(t);

/** An approved 病假 of three days (the shared builder's leave, as sick leave). */
const leave = (no: string, userId: string, start: string, end: string, extra: Partial<LeaveRequest> = {}) =>
  approvedLeave(no, userId, start, end, { type: '病假', class: 'excused', days: 3, reason: '感冒', ...extra });

async function planAt(iso: string): Promise<Outbound[]> {
  const now = new Date(iso);
  return leaveOverdue.plan(now, await leaveOverdue.load(ctx, now));
}
const text = (m: Outbound) => (m.body.type === 'text' ? m.body.content : '');
const to = (m: Outbound) => (m.to.kind === 'user' ? m.to.userIds : []);

beforeAll(async () => {
  await ctx.roster.replace(sampleRosterData());
  const repo = new LeaveRepo(t.redis, t.keys);
  const tx = new Tx();
  // 北堡村 (新田乡: supervisors LiZhenHua, WangHaiYan); leave ended 17 November, not reported back.
  repo.save(tx, leave('Q1001', 'LiXiaoYan', '2026-11-15', '2026-11-17'));
  // Reported back: never followed up.
  repo.save(
    tx,
    leave('Q1002', 'ZhaoWenBo', '2026-11-15', '2026-11-17', {
      returnedOn: '2026-11-17',
      returnedAt: '2026-11-18T08:00:00.000Z',
    }),
  );
  // Still pending, or rejected: not a leave that ended.
  repo.save(tx, leave('Q1003', 'SunLiJuan', '2026-11-15', '2026-11-16', { status: 'pending' }));
  repo.save(tx, leave('Q1004', 'HeJing', '2026-11-15', '2026-11-16', { status: 'rejected' }));
  // Ends today: not overdue yet.
  repo.save(tx, leave('Q1005', 'MaJunJie', '2026-11-16', '2026-11-18'));
  await tx.commit(t.redis);
});

describe('leave-overdue', () => {
  it('says nothing on the last day of leave', async () => {
    expect(await planAt('2026-11-17T08:30:00+08:00')).toEqual([]);
  });

  it('reminds the cadre the next morning, and only the cadre', async () => {
    const msgs = await planAt('2026-11-18T08:30:00+08:00');
    expect(msgs.map((m) => m.key)).toEqual(['leave-overdue:Q1001:1:LiXiaoYan']);
    expect(msgs[0]).toMatchObject({ purpose: 'reminder', to: { kind: 'user', userIds: ['LiXiaoYan'] } });
    expect(text(msgs[0]!)).toContain('病假（Q1001，11月15日至17日）已于11月17日结束，还没有销假');
    expect(text(msgs[0]!)).toContain('「销假 Q1001」');
    expect(text(msgs[0]!).split('\n').at(-1)).toMatch(/^（为什么收到：/);
  });

  it('tells the township supervisors too from the second day after', async () => {
    const msgs = await planAt('2026-11-19T08:30:00+08:00');
    expect(msgs.map((m) => m.key).sort()).toEqual([
      'leave-overdue:Q1001:2:LiXiaoYan',
      'leave-overdue:Q1001:2:LiZhenHua',
      'leave-overdue:Q1001:2:WangHaiYan',
      'leave-overdue:Q1005:1:MaJunJie',
    ]);
    const sup = msgs.find((m) => to(m)[0] === 'LiZhenHua')!;
    expect(text(sup)).toContain('北堡村李晓燕的病假（Q1001');
    expect(text(sup)).toContain('已结束 2 天');
    expect(text(sup)).toContain('您是新田乡负责同志');
    expect(text(msgs.find((m) => m.key === 'leave-overdue:Q1001:2:LiXiaoYan')!)).toContain(
      '乡镇（街道）负责同志也已收到提醒',
    );
  });

  it('keeps the same keys on later days, so each stage goes once', async () => {
    const day3 = await planAt('2026-11-20T08:30:00+08:00');
    const day2 = await planAt('2026-11-19T08:30:00+08:00');
    const keys3 = day3.map((m) => m.key).filter((k) => k.includes('Q1001'));
    expect(keys3.sort()).toEqual(
      day2
        .map((m) => m.key)
        .filter((k) => k.includes('Q1001'))
        .sort(),
    );
  });

  it('plans purely from the state', () => {
    const c: OverdueCandidate = {
      leave: leave('Q2000', 'x', '2026-11-01', '2026-11-02'),
      name: '示例',
      village: '示例村',
      township: { id: 't', name: '示例乡' },
      supervisors: ['s1'],
    };
    expect(overdueMessages(c, '2026-11-02', 2)).toEqual([]);
    expect(overdueMessages(c, '2026-11-03', 2).map((m) => m.key)).toEqual(['leave-overdue:Q2000:1:x']);
    expect(overdueMessages(c, '2026-11-04', 2).map((m) => m.key)).toEqual([
      'leave-overdue:Q2000:2:x',
      'leave-overdue:Q2000:2:s1',
    ]);
    expect(
      overdueMessages({ ...c, leave: { ...c.leave, returnedAt: '2026-11-03T08:00:00Z' } }, '2026-11-04', 2),
    ).toEqual([]);
  });
});
