/**
 * The re-nudge of unread announcements follows the policy's lateness limit, skips withdrawn announcements and
 * skips recipients on approved leave that day.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Announcement } from '../../src/announce/announcement.js';
import { AnnounceRepo } from '../../src/announce/repo.js';
import { fixedClock } from '../../src/core/clock.js';
import { announceRenudge } from '../../src/jobs/announce-renudge.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { defaultPolicy, type Policy } from '../../src/policy/policy.js';
import { Tx } from '../../src/redis/tx.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import type { RunResult } from '../../src/schedule/job.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const repo = new AnnounceRepo(t.redis, t.keys);

function announcement(no: string, createdAt: string, recipients: string[]): Announcement {
  return {
    no,
    text: '请于周五前报送材料。',
    scope: { kind: 'township', id: 'xintian', name: '新田乡' },
    sender: 'ChangXiaoMin',
    senderName: '常晓敏',
    createdAt: new Date(`${createdAt}+08:00`).toISOString(),
    recipients,
  };
}

function sickLeave(no: string, userId: string, start: string, end: string): LeaveRequest {
  return {
    no,
    userId,
    type: '病假',
    class: 'excused',
    start,
    end,
    days: 3,
    reason: '住院',
    createdAt: '2026-11-10T10:00:00.000Z',
    status: 'approved',
    steps: [{ kind: 'township', approvers: ['LiZhenHua'], decision: 'approved', by: 'LiZhenHua' }],
  };
}

async function runAt(iso: string, policy?: Policy, dryRun = true): Promise<RunResult> {
  const ctx = testDeps(t, { clock: fixedClock(new Date(`${iso}+08:00`)), outbox: new RecordingOutbox(), policy });
  return new JobRunner(ctx, new RedisRunCoordinator(ctx.redis, ctx.keys, ctx.clock, () => 0)).runManual(
    announceRenudge,
    { dryRun },
  );
}
const cardTo = (r: RunResult, no: string) => {
  const m = r.sent.find((s) => s.key === `announce-renudge:${no}`);
  return m?.to.kind === 'user' ? m.to.userIds : undefined;
};

beforeAll(async () => {
  await testDeps(t).roster.replace(sampleRosterData());
  const tx = new Tx();
  // Due 2026-11-18 09:00; SunLiJuan is on approved sick leave 17–19 November, ZhaoWenBo's leave is over.
  repo.save(tx, announcement('N2001', '2026-11-17T09:00:00', ['LiXiaoYan', 'ZhaoWenBo', 'SunLiJuan']));
  const leave = new LeaveRepo(t.redis, t.keys);
  leave.save(tx, sickLeave('Q2001', 'SunLiJuan', '2026-11-17', '2026-11-19'));
  leave.save(tx, sickLeave('Q2002', 'ZhaoWenBo', '2026-11-10', '2026-11-12'));
  // Withdrawn before its re-nudge fell due.
  repo.save(tx, announcement('N2002', '2026-11-17T09:00:00', ['HeJing']));
  repo.markWithdrawn(tx, 'N2002', new Date('2026-11-17T09:30:00+08:00'), 'ChangXiaoMin');
  // Due 2026-11-16 10:00, so 50 hours late on 2026-11-18 at noon.
  repo.save(tx, announcement('N2003', '2026-11-15T10:00:00', ['MaJunJie']));
  await tx.commit(t.redis);
});

describe('announce-renudge and the policy', () => {
  it('skips a recipient on approved leave that day, and reminds the others', async () => {
    const r = await runAt('2026-11-18T09:10:00');
    expect(cardTo(r, 'N2001')).toEqual(['LiXiaoYan', 'ZhaoWenBo']);
  });

  it('never re-nudges a withdrawn announcement', async () => {
    const r = await runAt('2026-11-18T09:10:00');
    expect(r.sent.filter((m) => m.key.includes('N2002'))).toEqual([]);
  });

  it('drops a re-nudge later than announcements.renudgeLateHours, and sends it when the policy allows more', async () => {
    expect(cardTo(await runAt('2026-11-18T12:00:00'), 'N2003')).toBeUndefined();
    const policy = defaultPolicy();
    const patient: Policy = { ...policy, announcements: { ...policy.announcements, renudgeLateHours: 72 } };
    expect(cardTo(await runAt('2026-11-18T12:00:00', patient), 'N2003')).toEqual(['MaJunJie']);
  });
});
