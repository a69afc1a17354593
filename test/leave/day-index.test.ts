/**
 * The approved-leave index (src/leave/day-index.ts) stays equal to what the stored requests say through every
 * path that writes a request — a new request, each step approved, a rejection, a withdrawal, 销假 (shortening, and
 * back before the start: zero days), a correction, packing by the retention job and a correction of a packed
 * request — and the county-wide read (`readAttendance`) gives the approved leave of the requests themselves. A
 * random walk of these operations checks it after every commit; migration step 4 then rebuilds the same index
 * from the requests alone, and a backup and restore carries it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAttendance } from '../../src/attendance/bulk-read.js';
import type { LeaveSpan } from '../../src/attendance/days.js';
import { approvedOfEntry, indexOfRequests } from '../../src/leave/day-index.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { decide, reportBack, withdraw, type LeaveRequest } from '../../src/leave/workflow.js';
import { addDays } from '../../src/kit/dates.js';
import { leaveDays as leaveDaysStep, rebuildLeaveDays } from '../../src/migrate/steps/v4-leave-days.js';
import { migrate } from '../../src/migrate/run.js';
import { Keys } from '../../src/redis/keys.js';
import { Tx } from '../../src/redis/tx.js';
import { silentLogger } from '../../src/log.js';
import { fixedClock } from '../../src/core/clock.js';
import { useTestRedis } from '../helpers/redis.js';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restoreBackup } from '../../src/backup/restore.js';
import { takeBackup } from '../../src/backup/take.js';
import { personData } from '../../src/cli/person-data.js';
import { formatStamp, SCHEMA_VERSION } from '../../src/migrate/version.js';
import { wipeNamespace } from '../../src/redis/wipe.js';
import type { Roster } from '../../src/roster/roster.js';
import { testDeps } from '../helpers/deps.js';
import { approvedLeave } from '../helpers/leave-request.js';

const t = useTestRedis();
const AT = new Date('2026-12-06T03:30:00.000Z');
const U = 'idx-a';

/** The approved leave of requests as the figures read it, in the order of their numbers. */
function spans(requests: readonly LeaveRequest[]): LeaveSpan[] {
  return requests
    .filter((r) => r.status === 'approved')
    .map((r) => ({
      no: r.no,
      type: r.type,
      class: r.class,
      start: r.start,
      end: r.end,
      status: 'approved' as const,
      ...(r.returnedOn !== undefined ? { returnedOn: r.returnedOn } : {}),
      ...(r.halfStart ? { halfStart: true as const } : {}),
      ...(r.halfEnd ? { halfEnd: true as const } : {}),
    }))
    .sort((a, b) => Number(a.no.slice(1)) - Number(b.no.slice(1)));
}

async function indexOf(keys: Keys, userId: string): Promise<Map<string, string>> {
  return new Map(Object.entries(await t.redis.hgetall(keys.leaveDays(userId))));
}

async function readLeaves(keys: Keys, userId: string): Promise<LeaveSpan[]> {
  let got: LeaveSpan[] | undefined;
  await readAttendance(t.redis, keys, [{ userid: userId, years: [2026] }], (_r, d) => (got = [...d.leaves]));
  return got!;
}

/** The index and the county read agree with the stored requests. */
async function check(keys: Keys, repo: LeaveRepo, userId: string): Promise<void> {
  const requests = await repo.ofUser(userId);
  expect(await indexOf(keys, userId)).toEqual(indexOfRequests(requests));
  expect(await readLeaves(keys, userId)).toEqual(spans(requests));
}

type Op =
  | { kind: 'new'; start: number; length: number; steps: 1 | 2; half: 0 | 1 | 2 | 3; type: '事假' | '病假' | '公差' }
  | { kind: 'approve' | 'reject' | 'withdraw' | 'correct'; which: number }
  | { kind: 'return'; which: number; lastDay: number }
  | { kind: 'pack'; cutoff: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('new' as const),
    start: fc.integer({ min: 0, max: 300 }),
    length: fc.integer({ min: 0, max: 20 }),
    steps: fc.constantFrom(1 as const, 2 as const),
    half: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
    type: fc.constantFrom('事假' as const, '病假' as const, '公差' as const),
  }),
  fc.record({
    kind: fc.constantFrom(
      'approve' as const,
      'approve' as const,
      'reject' as const,
      'withdraw' as const,
      'correct' as const,
    ),
    which: fc.nat(),
  }),
  fc.record({ kind: fc.constant('return' as const), which: fc.nat(), lastDay: fc.integer({ min: -3, max: 25 }) }),
  fc.record({ kind: fc.constant('pack' as const), cutoff: fc.integer({ min: 0, max: 340 }) }),
);

const CLASS = { 事假: 'absent', 病假: 'excused', 公差: 'present' } as const;

/** Apply one operation through the repository, as the handlers and jobs do; returns whether it committed. */
async function apply(repo: LeaveRepo, userId: string, numbers: string[], o: Op, serial: { n: number }) {
  const tx = new Tx();
  if (o.kind === 'new') {
    serial.n += 1;
    const start = addDays('2026-01-01', o.start);
    const r: LeaveRequest = {
      no: `Q${serial.n}`,
      userId,
      type: o.type,
      class: CLASS[o.type],
      start,
      end: addDays(start, o.length),
      ...(o.half & 1 ? { halfStart: true as const } : {}),
      ...(o.half & 2 ? { halfEnd: true as const } : {}),
      days: o.length + 1,
      reason: '测试',
      createdAt: AT.toISOString(),
      status: 'pending',
      steps: Array.from({ length: o.steps }, (_, i) => ({ kind: 'township' as const, approvers: [`boss${i}`] })),
    };
    repo.save(tx, r);
    numbers.push(r.no);
  } else if (o.kind === 'pack') {
    await repo.archive(tx, userId, addDays('2026-01-01', o.cutoff));
  } else {
    if (!numbers.length) return;
    const before = await repo.get(numbers[o.which % numbers.length]!);
    if (!before) throw new Error('a request went missing');
    const step = before.steps.find((s) => !s.decision);
    const outcome =
      o.kind === 'approve' || o.kind === 'reject'
        ? decide(before, step?.approvers[0] ?? 'nobody', o.kind === 'approve' ? 'approved' : 'rejected', AT)
        : o.kind === 'withdraw'
          ? withdraw(before, userId)
          : o.kind === 'return'
            ? reportBack(before, addDays(before.start, 3), AT, addDays(before.start, o.lastDay))
            : // A correction of the stored request (a later end, another type): whatever its status.
              {
                ok: true as const,
                request: { ...before, end: addDays(before.end, 1), type: '病假', class: 'excused' as const },
              };
    if (!outcome.ok) return;
    repo.save(tx, outcome.request, { previous: before });
  }
  await tx.commit(t.redis);
}

describe('the approved-leave index', () => {
  it('follows every write of a request, and the county read gives the requests’ approved leave', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const keys = new Keys(`${t.keys.ns}w${run++}`);
        const repo = new LeaveRepo(t.redis, keys);
        const numbers: string[] = [];
        const serial = { n: 0 };
        for (const o of ops) {
          await apply(repo, U, numbers, o, serial);
          await check(keys, new LeaveRepo(t.redis, keys), U);
        }
        // The migration rebuilds the same index from the requests alone (the packed archive included).
        const kept = await indexOf(keys, U);
        await t.redis.del(keys.leaveDays(U));
        await t.redis.hset(keys.leaveDays(U), 'Q999', '["Q999","事假","absent","2026-01-01","2026-01-01",0]');
        await rebuildLeaveDays(t.redis, keys);
        expect(await indexOf(keys, U)).toEqual(kept);
      }),
      { numRuns: 100 },
    );
  });

  it('entries decode to the fields the figures read, and anything else is refused', () => {
    expect(approvedOfEntry(JSON.parse('["Q7","病假","excused","2026-03-01","2026-03-04",3,"2026-03-02"]'))).toEqual({
      no: 'Q7',
      type: '病假',
      class: 'excused',
      start: '2026-03-01',
      end: '2026-03-04',
      status: 'approved',
      returnedOn: '2026-03-02',
      halfStart: true,
      halfEnd: true,
    });
    for (const bad of [null, {}, ['Q7'], ['Q7', '病假', 'excused', '2026-03-01', '2026-03-04', '3']])
      expect(() => approvedOfEntry(bad)).toThrow(/not an approved-leave entry/);
  });
});

describe('migration step 4', () => {
  it('builds every cadre’s index from data written before it (requests on their own and packed)', async () => {
    const keys = new Keys(`${t.keys.ns}mig`);
    const repo = new LeaveRepo(t.redis, keys);
    const people = ['m-a', 'm-b', 'm-c'];
    const tx = new Tx();
    people.forEach((u, i) => {
      for (let k = 0; k < 4; k++) {
        const start = addDays('2026-02-01', 30 * k + i);
        repo.save(tx, {
          no: `Q${10 * i + k + 1}`,
          userId: u,
          type: k % 2 ? '病假' : '事假',
          class: k % 2 ? 'excused' : 'absent',
          start,
          end: addDays(start, k),
          days: k + 1,
          reason: '测试',
          createdAt: AT.toISOString(),
          status: k === 3 ? 'rejected' : 'approved',
          steps: [],
          ...(k === 1 ? { returnedOn: start, returnedAt: AT.toISOString() } : {}),
        });
      }
    });
    await tx.commit(t.redis);
    const pack = new Tx();
    await repo.archive(pack, 'm-a', '2026-12-01');
    await pack.commit(t.redis);
    const want = new Map(await Promise.all(people.map(async (u) => [u, await indexOf(keys, u)] as const)));
    // As a store of the release before: no index at all.
    await t.redis.del(...people.map((u) => keys.leaveDays(u)));
    await t.redis.set(
      keys.schemaVersion(),
      JSON.stringify({ version: 3, minReader: 0, migratedAt: AT.toISOString(), by: 't' }),
    );
    await migrate(t.redis, keys, { log: silentLogger, clock: fixedClock(AT), by: 'test' });
    for (const u of people) {
      expect(await indexOf(keys, u)).toEqual(want.get(u));
      await check(keys, repo, u);
    }
    expect(leaveDaysStep.minReader).toBe(0);
  });
});

describe('the index beside the rest of a person’s data', () => {
  it('is in a backup and comes back with a restore, and is in the person export', async () => {
    const keys = new Keys(`${t.keys.ns}bk`);
    const target = new Keys(`${t.keys.ns}bkr`);
    const repo = new LeaveRepo(t.redis, keys);
    await t.redis.set(keys.storeKind(), 'production');
    await t.redis.set(keys.schemaVersion(), formatStamp({ version: SCHEMA_VERSION, minReader: 0, by: 'test' }));
    const tx = new Tx();
    repo.save(tx, approvedLeave('Q1', 'bk-a', '2026-11-02', '2026-11-04', { halfEnd: true }));
    repo.save(tx, approvedLeave('Q2', 'bk-a', '2026-11-20', '2026-11-20', { status: 'pending' }));
    await tx.commit(t.redis);
    const want = await indexOf(keys, 'bk-a');
    expect([...want.keys()]).toEqual(['Q1']);

    const dir = await mkdtemp(join(tmpdir(), 'zc-idx-'));
    const file = join(dir, 'snap.jsonl.gz');
    await takeBackup(t.redis, keys, { file, now: AT, actor: 'cli:test@host', channel: 'cli' });
    const ctx = { ...testDeps({ ...t, keys: target }), clock: fixedClock(AT) };
    await restoreBackup(await readFile(file), ctx, {
      replace: false,
      target: 'production',
      name: 'snap.jsonl.gz',
      actor: 'cli:test@host',
      channel: 'cli',
    });
    expect(await indexOf(target, 'bk-a')).toEqual(want);
    await check(target, new LeaveRepo(t.redis, target), 'bk-a');

    const roster = { person: () => undefined } as unknown as Roster;
    const doc = await personData(t.redis, keys, roster, 'bk-a', AT);
    expect(doc.other.leavedays).toEqual(Object.fromEntries([...want].map(([no, e]) => [no, JSON.parse(e)])));
    await wipeNamespace(t.redis, target.ns);
    await wipeNamespace(t.redis, keys.ns);
  });
});
