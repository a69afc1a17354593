/** The leave-overdue job escalates after `policy.leave.overdueEscalateDays`, and its sentences say that number. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/core/outbound.js';
import { leaveOverdue } from '../../src/jobs/leave-overdue.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { Tx } from '../../src/redis/tx.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const policy = defaultPolicy();
const ctx = testDeps(t, { policy: { ...policy, leave: { ...policy.leave, overdueEscalateDays: 4 } } });

beforeAll(async () => {
  await ctx.roster.replace(sampleRosterData());
  const tx = new Tx();
  // Ended Tuesday 17 November without 销假.
  new LeaveRepo(t.redis, t.keys).save(tx, {
    no: 'Q1001',
    userId: 'LiXiaoYan',
    type: '病假',
    class: 'excused',
    start: '2026-11-15',
    end: '2026-11-17',
    days: 3,
    reason: '感冒',
    createdAt: '2026-11-10T10:00:00.000Z',
    status: 'approved',
    steps: [{ kind: 'township', approvers: ['LiZhenHua'], decision: 'approved', by: 'LiZhenHua' }],
  });
  await tx.commit(t.redis);
});

async function planAt(iso: string): Promise<Outbound[]> {
  const now = new Date(iso);
  return leaveOverdue.plan(now, await leaveOverdue.load(ctx, now));
}
const text = (m: Outbound) => (m.body.type === 'text' ? m.body.content : '');

describe('leave-overdue with overdueEscalateDays: 4', () => {
  it('two and three days after the end only the cadre is reminded, saying when the township will hear', async () => {
    for (const day of ['2026-11-19', '2026-11-20']) {
      const plan = await planAt(`${day}T08:30:00+08:00`);
      expect(plan.map((m) => m.key)).toEqual(['leave-overdue:Q1001:1:LiXiaoYan']);
      expect(text(plan[0]!)).toContain('满 4 天仍未销假将同时告知乡镇（街道）负责同志');
    }
  });

  it('four days after the end the township hears too', async () => {
    const plan = await planAt('2026-11-21T08:30:00+08:00');
    expect(plan.map((m) => m.key).sort()).toEqual([
      'leave-overdue:Q1001:2:LiXiaoYan',
      'leave-overdue:Q1001:2:LiZhenHua',
      'leave-overdue:Q1001:2:WangHaiYan',
    ]);
    expect(text(plan.find((m) => m.key.endsWith(':LiZhenHua'))!)).toContain(
      '请假结束满 4 天仍未销假时告知乡镇（街道）',
    );
  });
});
