/**
 * A synthetic year of attendance for the accounting, sheet and digest benchmarks: per cadre of
 * `syntheticRoster(n)` a presence bitmap of 2026 up to the day before `BENCH_NOW` (about three days in four, a
 * few of them self-reported only), a few leave requests (事假, 病假, 公差, one of them a half day) with their
 * approved-leave index, and the
 * assignment history the migration seeds. The bitmaps hold the bytes `CheckinRepo` stages with SETBIT (Redis
 * bit order, one bit a day of the year), written whole with SET so that 100,000 cadres load in seconds.
 */
import type { Redis } from 'ioredis';
import { dayOfYear } from '../src/kit/dates.js';
import { indexOfRequests } from '../src/leave/day-index.js';
import type { LeaveRequest } from '../src/leave/workflow.js';
import type { Keys } from '../src/redis/keys.js';
import { defaultHistory } from '../src/roster/assignments.js';
import { newVersionToken } from '../src/redis/version-token.js';
import type { RosterData } from '../src/roster/schema.js';
import { syntheticRoster } from './roster-gen.js';

/** The benchmarks' "now": a late-December afternoon, so the year is nearly full and the month under way. */
export const BENCH_NOW = new Date('2026-12-18T15:00:00+08:00');
export const BENCH_YEAR = 2026;

/** A small deterministic generator (mulberry32), so every run writes the same county. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Set bit `index` of a bitmap as SETBIT does (the first bit is the most significant of byte 0). */
export function setBit(buf: Buffer, index: number): void {
  buf[index >> 3]! |= 0x80 >> (index & 7);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The date of day `index` (0 = 1 January) of 2026. */
function dateOf(index: number): string {
  const d = new Date(Date.UTC(BENCH_YEAR, 0, 1 + index));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function leave(no: string, userId: string, type: string, cls: LeaveRequest['class'], start: string, end: string) {
  return {
    no,
    userId,
    type,
    class: cls,
    start,
    end,
    days: 1,
    reason: '基准测试',
    createdAt: '2026-01-02T02:00:00.000Z',
    status: 'approved',
    steps: [{ kind: 'township', approvers: ['sup0'], decision: 'approved', by: 'sup0' }],
  } satisfies LeaveRequest as LeaveRequest;
}

/** Write the year of `n` cadres into `keys`' namespace; returns the roster it belongs to. */
export async function writeSyntheticYear(redis: Redis, keys: Keys, n: number): Promise<RosterData> {
  const data = syntheticRoster(n);
  const today = dayOfYear('2026-12-18');
  const random = rng(n);
  const CHUNK = 2000;
  for (let from = 0; from < n; from += CHUNK) {
    const pipe = redis.pipeline();
    for (let i = from; i < Math.min(n, from + CHUNK); i++) {
      const c = data.cadres[i]!;
      const present = Buffer.alloc(46);
      const self = Buffer.alloc(46);
      let selfAny = false;
      for (let d = 0; d < today; d++) {
        if (random() < 0.75) {
          setBit(present, d);
          if (random() < 0.03) {
            setBit(self, d);
            selfAny = true;
          }
        }
      }
      pipe.set(keys.presence(c.userid, BENCH_YEAR), present);
      if (selfAny) pipe.set(keys.selfReported(c.userid, BENCH_YEAR), self);
      if (random() < 0.02) {
        const pending = Buffer.alloc(46);
        setBit(pending, today - 1);
        pipe.set(keys.selfReportPending(c.userid, BENCH_YEAR), pending);
      }
      const a = Math.floor(random() * 330);
      const b = Math.floor(random() * 330);
      const p = Math.floor(random() * 345);
      const leaves = [
        leave(`Q${3 * i + 1}`, c.userid, '事假', 'absent', dateOf(a), dateOf(a)),
        leave(`Q${3 * i + 2}`, c.userid, '病假', 'excused', dateOf(b), dateOf(b + 2)),
        { ...leave(`Q${3 * i + 3}`, c.userid, '公差', 'present', dateOf(p), dateOf(p + 1)), halfEnd: true as const },
      ];
      pipe.hset(keys.leaves(c.userid), Object.fromEntries(leaves.map((r) => [r.no, JSON.stringify(r)])));
      // The approved-leave index `LeaveRepo.save` keeps beside the requests.
      pipe.hset(keys.leaveDays(c.userid), Object.fromEntries(indexOfRequests(leaves)));
      // The roster narrowed to the cadre's village and township: the same history without a search of the county.
      const village = data.villages[Math.floor(i / 4)]!;
      const township = data.townships[Math.floor(i / 100)]!;
      const own = { ...data, villages: [village], townships: [township] };
      pipe.hset(keys.assignments(), c.userid, JSON.stringify(defaultHistory(c, own, '2026-12-18')));
    }
    await pipe.exec();
  }
  // As an import leaves the histories and a leave decision the approved-leave index: their tokens replaced.
  await redis.set(keys.assignmentsVersion(), newVersionToken());
  await redis.set(keys.leaveVersion(), newVersionToken());
  return data;
}
