/**
 * Packing ended leave requests (src/leave/repo.ts, the retention job): every reader sees the same requests before
 * and after — one by number, a cadre's list, many cadres at once, the person export, the month figures — only
 * requests that have ended before the cutoff are packed, a save of a packed request takes it out of the archive in
 * the same commit, and two saves racing on it do not both win.
 */
import { describe, expect, it } from 'vitest';
import { loadFigures } from '../../src/attendance/figures.js';
import { personData } from '../../src/cli/person-data.js';
import { fixedClock } from '../../src/core/clock.js';
import { retention } from '../../src/jobs/retention.js';
import { findLeavesToPack } from '../../src/jobs/retention-leaves.js';
import { LEAVE_ARCHIVE, packLeaves, unpackLeaves } from '../../src/leave/repo.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { Tx, TxConflict } from '../../src/redis/tx.js';
import type { JobContext } from '../../src/schedule/job.js';
import { testDeps } from '../helpers/deps.js';
import { approvedLeave } from '../helpers/leave-request.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const NOW = new Date('2026-12-06T03:30:00+08:00');
const ctx: JobContext = testDeps(t, { clock: fixedClock(NOW) });
const repo = ctx.repos.leave;
const ME = 'lv-a';

const asked = (r: LeaveRequest): LeaveRequest => ({ ...r, createdAt: `${r.start}T01:00:00.000Z` });
const requests: LeaveRequest[] = [
  approvedLeave('Q1001', ME, '2026-09-07', '2026-09-08', {
    returnedOn: '2026-09-08',
    returnedAt: '2026-09-09T00:30:00.000Z',
  }),
  approvedLeave('Q1002', ME, '2026-10-12', '2026-10-12', { status: 'rejected' }),
  approvedLeave('Q1003', ME, '2026-10-19', '2026-10-19', { status: 'withdrawn' }),
  // Approved, never reported back from: it may still change, so it stays.
  approvedLeave('Q1004', ME, '2026-10-26', '2026-10-27'),
  // Ended, but within the retention period.
  approvedLeave('Q1005', ME, '2026-11-30', '2026-11-30', { returnedAt: '2026-12-01T00:30:00.000Z' }),
  approvedLeave('Q1006', 'lv-b', '2026-09-14', '2026-09-14', { returnedAt: '2026-09-15T00:30:00.000Z' }),
].map(asked);

async function read() {
  const byNo = await Promise.all(requests.map((r) => repo.get(r.no)));
  const mine = await repo.ofUser(ME);
  const many = await repo.ofUsers([ME, 'lv-b']);
  const sort = (list: LeaveRequest[]) => [...list].sort((a, b) => a.no.localeCompare(b.no));
  const exported = (await personData(t.redis, t.keys, await ctx.roster.get(), ME, NOW)).leaves as LeaveRequest[];
  const cadre = { userid: ME, termStart: '2026-03-01', termEnd: '2028-02-29' };
  const figures = JSON.stringify([
    ...(await loadFigures(ctx, [cadre], { now: NOW, months: ['2026-09', '2026-10', '2026-11'] })).values(),
  ]);
  return {
    byNo,
    mine,
    many: [sort(many.get(ME)!), sort(many.get('lv-b')!)],
    exported: sort(exported),
    figures,
  };
}

describe('packed leave requests', () => {
  it('pack and unpack exactly', () => {
    expect(unpackLeaves(packLeaves(requests))).toEqual(requests);
    expect(() => unpackLeaves('{"no":"Q1"}')).toThrow(/not a leave archive/);
  });

  it('read the same before and after packing; a save of a packed request unpacks it', async () => {
    const tx = new Tx();
    for (const r of requests) repo.save(tx, r);
    await tx.commit(t.redis);
    const before = await read();

    await retention.writes!.apply(ctx, NOW, await retention.load(ctx, NOW));
    const fields = (await t.redis.hkeys(t.keys.leaves(ME))).sort();
    expect(fields).toEqual(['Q1004', 'Q1005', LEAVE_ARCHIVE]);
    expect(await t.redis.hkeys(t.keys.leaves('lv-b'))).toEqual([LEAVE_ARCHIVE]);
    expect(await read()).toEqual(before);
    // A second run changes nothing.
    const stored = await t.redis.hgetall(t.keys.leaves(ME));
    await retention.writes!.apply(ctx, NOW, await retention.load(ctx, NOW));
    expect(await t.redis.hgetall(t.keys.leaves(ME))).toEqual(stored);

    // A correction of a packed request: out of the archive, on its own, the others still packed.
    const previous = (await repo.get('Q1001'))!;
    const racing = (await repo.get('Q1001'))!;
    const fixed = { ...previous, returnedOn: '2026-09-07' };
    const fix = new Tx();
    repo.save(fix, fixed, { previous });
    await fix.commit(t.redis);
    expect(await repo.get('Q1001')).toEqual(fixed);
    expect(
      unpackLeaves((await t.redis.hget(t.keys.leaves(ME), LEAVE_ARCHIVE))!)
        .map((r) => r.no)
        .sort(),
    ).toEqual(['Q1002', 'Q1003']);
    expect((await repo.ofUser(ME)).map((r) => r.no).sort()).toEqual(['Q1001', 'Q1002', 'Q1003', 'Q1004', 'Q1005']);
    // Another save that read the request packed, before the correction: a conflict, not a lost correction.
    const late = new Tx();
    repo.save(late, { ...racing, reason: '改' }, { previous: racing });
    await expect(late.commit(t.redis)).rejects.toBeInstanceOf(TxConflict);
    expect(await repo.get('Q1001')).toEqual(fixed);
  });

  it('finds only cadres with ended requests to pack, so an open one never keeps a cadre on the list', async () => {
    const open = 'lv-open';
    const tx = new Tx();
    // Approved, never reported back from, long before the cutoff: it may still change, so it is not packed.
    repo.save(tx, asked(approvedLeave('Q2001', open, '2026-08-03', '2026-08-04')));
    await tx.commit(t.redis);
    const found = await findLeavesToPack(t.redis, t.keys, '2026-11-06', { limit: 100 });
    expect(found.cadres).not.toContain(open);
  });
});
