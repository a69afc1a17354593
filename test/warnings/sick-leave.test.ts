/**
 * The warning ladder and approved leave: no 提醒 to a cadre on leave that day, and no notice of any rung whose
 * shortfall approved excused leave (病假 …) explains. The field trial's case: a cadre on two weeks of sick leave
 * got "已达不到月目标" on a day of the leave.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFigures } from '../../src/attendance/figures.js';
import { fixedClock } from '../../src/core/clock.js';
import { warningLadder } from '../../src/jobs/warning-ladder.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { Tx } from '../../src/redis/tx.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import type { RunResult } from '../../src/schedule/job.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { writePresence } from './presence.js';

const t = useTestRedis();

async function runAt(iso: string): Promise<RunResult> {
  const ctx = testDeps(t, { clock: fixedClock(new Date(`${iso}+08:00`)) });
  return new JobRunner(ctx, new RedisRunCoordinator(ctx.redis, ctx.keys, ctx.clock, () => 0)).runManual(warningLadder);
}
const keys = (r: RunResult) => r.sent.map((m) => m.key).sort();

function approved(no: string, userId: string, type: string, start: string, end: string): LeaveRequest {
  const cls = type === '事假' ? 'absent' : 'excused';
  return {
    no,
    userId,
    type,
    class: cls,
    start,
    end,
    days: 1,
    reason: '（测试）',
    createdAt: '2026-11-01T08:00:00.000Z',
    status: 'approved',
    steps: [{ kind: 'township', approvers: ['LiZhenHua'], decision: 'approved', by: 'LiZhenHua' }],
  };
}

// 高立新, 韩晓东, 曹婷婷 of 凤城乡 城小村; every month until October met.
const IDS = ['GaoLiXin', 'HanXiaoDong', 'CaoTingTing'];

beforeAll(async () => {
  const data = sampleRosterData();
  await testDeps(t).roster.replace({ ...data, cadres: data.cadres.filter((c) => IDS.includes(c.userid)) });
  for (const u of IDS) await writePresence(t.redis, t.keys, u, '2026-04-28', '2026-10-31');
  // 高立新: 9 of the first 15 days of November, then sick leave to the end of the month.
  await writePresence(t.redis, t.keys, 'GaoLiXin', '2026-11-01', '2026-11-09');
  // 韩晓东: 10 days, 5 days of sick leave, and nothing else: the leave explains only part of it.
  await writePresence(t.redis, t.keys, 'HanXiaoDong', '2026-11-01', '2026-11-10');
  // 曹婷婷: 2 days, then 事假 on the 16th (not excused), back on the 17th.
  await writePresence(t.redis, t.keys, 'CaoTingTing', '2026-11-01', '2026-11-02');
  const repo = new LeaveRepo(t.redis, t.keys);
  const tx = new Tx();
  repo.save(tx, approved('Q3001', 'GaoLiXin', '病假', '2026-11-16', '2026-11-30'));
  repo.save(tx, approved('Q3002', 'HanXiaoDong', '病假', '2026-11-23', '2026-11-27'));
  repo.save(tx, approved('Q3003', 'CaoTingTing', '事假', '2026-11-16', '2026-11-16'));
  await tx.commit(t.redis);
});

describe('the warning ladder and approved leave', () => {
  it('the observed case: the forecast of the cadre on sick leave reads "cannot reach"', async () => {
    const ctx = testDeps(t);
    const [c] = (await ctx.roster.get()).data.cadres.filter((x) => x.userid === 'GaoLiXin');
    const f = await loadFigures(ctx, [c!], { now: new Date('2026-11-16T10:00:00+08:00') });
    // 15 excused days lower the target to 11 (prorate); 9 present, 2 needed, no day left open.
    expect(f.get('GaoLiXin')!.month).toMatchObject({ present: 9, needed: 2, remaining: 0, status: 'cannot-reach' });
  });

  it('sends no 提醒 to a cadre on leave that day, and none whose shortfall the sick leave explains', async () => {
    const r = await runAt('2026-11-16T10:00:00');
    expect(r.sent.map((m) => (m.body.type === 'text' ? m.body.content : '')).join('\n')).not.toContain(
      '已达不到月目标',
    );
    expect(keys(r)).toEqual([]);
  });

  it('sends the 提醒 held back by leave the day the cadre is back', async () => {
    const r = await runAt('2026-11-17T10:00:00');
    expect(keys(r)).toEqual(['warning:CaoTingTing:2026-11:remind']);
  });

  it('sends no 整改 for a month whose shortfall the sick leave explains, but does for the rest', async () => {
    const r = await runAt('2026-12-03T10:00:00');
    const rectify = keys(r).filter((k) => k.includes(':rectify:'));
    expect(rectify.some((k) => k.startsWith('warning:GaoLiXin:'))).toBe(false);
    // 10 present and 5 excused are 15 of 22: the leave does not explain it.
    expect(rectify).toContain('warning:HanXiaoDong:2026-11:rectify:HanXiaoDong');
    expect(rectify).toContain('warning:CaoTingTing:2026-11:rectify:CaoTingTing');
  });
});
