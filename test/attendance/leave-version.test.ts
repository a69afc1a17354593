/**
 * The approved leave of the county-wide read, kept per process under the leave's version token: a chunk of cadres
 * whose leave was read recently under the token in force reads bitmaps only; every writer of an index (a leave
 * decision, the migration that rebuilds them) replaces the token, and without a token, or after 30 s, the leave
 * is read again.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readAttendance } from '../../src/attendance/bulk-read.js';
import type { LeaveSpan } from '../../src/attendance/days.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { rebuildLeaveDays } from '../../src/migrate/steps/v4-leave-days.js';
import { Keys } from '../../src/redis/keys.js';
import { Tx } from '../../src/redis/tx.js';
import { approvedLeave } from '../helpers/leave-request.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
let n = 0;
const fresh = () => new Keys(`${t.keys.ns}:lv${++n}`);
const people = ['lv-a', 'lv-b', 'lv-c'];

afterEach(() => vi.restoreAllMocks());

interface Read {
  leaves: Map<string, LeaveSpan[]>;
  /** Per script call of the read: whether it asked Redis for the approved leave. */
  asked: boolean[];
}

/** The county read of `who` (2026), with the approved leave of each and whether each chunk asked for it. */
async function read(keys: Keys, who: readonly string[] = people): Promise<Read> {
  const spy = vi.spyOn(t.redis as unknown as { evalshaBuffer: (...a: unknown[]) => unknown }, 'evalshaBuffer');
  const leaves = new Map<string, LeaveSpan[]>();
  try {
    await readAttendance(
      t.redis,
      keys,
      who.map((userid) => ({ userid, years: [2026] })),
      (r, d) => leaves.set(r.userid, [...d.leaves]),
    );
    // ARGV[6] of the chunk script: `1` asks for the leave.
    return { leaves, asked: spy.mock.calls.map((c) => (c[2] as string[])[5] === '1') };
  } finally {
    spy.mockRestore();
  }
}

async function save(keys: Keys, ...requests: ReturnType<typeof approvedLeave>[]): Promise<void> {
  const repo = new LeaveRepo(t.redis, keys);
  const tx = new Tx();
  for (const r of requests) repo.save(tx, r);
  await tx.commit(t.redis);
}

const nos = (r: Read, userid: string) => r.leaves.get(userid)!.map((s) => s.no);

describe('the approved leave of the county read', () => {
  it('is read once per token, and again after a leave decision replaced it', async () => {
    const keys = fresh();
    await save(keys, approvedLeave('Q1001', 'lv-a', '2026-12-01', '2026-12-02'));
    const first = await read(keys);
    expect(first.asked).toEqual([true]);
    expect(nos(first, 'lv-a')).toEqual(['Q1001']);
    expect(nos(first, 'lv-b')).toEqual([]);

    const again = await read(keys);
    expect(again.asked).toEqual([false]);
    expect(again.leaves).toEqual(first.leaves);

    // A decision for someone else replaces the token: everyone's leave is asked for again, the new one seen.
    await save(keys, approvedLeave('Q1002', 'lv-b', '2026-12-03', '2026-12-03'));
    const after = await read(keys);
    expect(after.asked).toEqual([true]);
    expect(nos(after, 'lv-a')).toEqual(['Q1001']);
    expect(nos(after, 'lv-b')).toEqual(['Q1002']);
  });

  it('is asked for when a cadre of the chunk was not read under the token', async () => {
    const keys = fresh();
    await save(keys, approvedLeave('Q1001', 'lv-c', '2026-12-01', '2026-12-01'));
    expect((await read(keys, ['lv-a', 'lv-b'])).asked).toEqual([true]);
    const wider = await read(keys);
    expect(wider.asked).toEqual([true]);
    expect(nos(wider, 'lv-c')).toEqual(['Q1001']);
  });

  it('is read again after the migration rebuilt the indexes', async () => {
    const keys = fresh();
    await save(keys, approvedLeave('Q1001', 'lv-a', '2026-12-01', '2026-12-02'));
    await read(keys);
    // An index out of step with the requests (a restore over other data): the rebuild puts it right.
    await t.redis.hset(keys.leaveDays('lv-a'), 'Q999', '["Q999","事假","absent","2026-01-01","2026-01-01",0]');
    await rebuildLeaveDays(t.redis, keys);
    const after = await read(keys);
    expect(after.asked).toEqual([true]);
    expect(nos(after, 'lv-a')).toEqual(['Q1001']);
  });

  it('is read every time when no token is stored', async () => {
    const keys = fresh();
    await save(keys, approvedLeave('Q1001', 'lv-a', '2026-12-01', '2026-12-02'));
    await t.redis.del(keys.leaveVersion());
    await read(keys);
    await t.redis.del(keys.leaveDays('lv-a'));
    const after = await read(keys);
    expect(after.asked).toEqual([true]);
    expect(nos(after, 'lv-a')).toEqual([]);
  });

  it('is read again once kept for 30 s, whatever the token says', async () => {
    const keys = fresh();
    await save(keys, approvedLeave('Q1001', 'lv-a', '2026-12-01', '2026-12-02'));
    await read(keys);
    // A writer that did not replace the token: trusted for a while, then read again.
    await t.redis.del(keys.leaveDays('lv-a'));
    expect(nos(await read(keys), 'lv-a')).toEqual(['Q1001']);
    const now = performance.now();
    vi.spyOn(performance, 'now').mockReturnValue(now + 30_001);
    const after = await read(keys);
    expect(after.asked).toEqual([true]);
    expect(nos(after, 'lv-a')).toEqual([]);
  });
});
