/**
 * Test data for attendance figures, written through the real repositories into the test Redis: check-ins via
 * `CheckinRepo.add` committed in a `Tx`, leave requests via `LeaveRepo.save`.
 */
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { TRUST, type CheckinRecord, type CheckinSource } from '../../src/attendance/record.js';
import { eachDate } from '../../src/kit/dates.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { defaultPolicy, leaveType } from '../../src/policy/policy.js';
import { Tx } from '../../src/redis/tx.js';
import type { TestRedis } from '../helpers/redis.js';

/** Check in on each date (09:00 local) from `source`; dates already checked in get a second record. */
export async function checkIn(
  t: TestRedis,
  userId: string,
  dates: string[],
  source: CheckinSource = 'page',
): Promise<void> {
  const ledger = new CheckinRepo(t.redis, t.keys);
  const tx = new Tx();
  for (const date of dates) {
    const existing = await ledger.day(userId, date);
    ledger.add(tx, userId, date, existing, {
      id: `${source}:${userId}:${date}`,
      at: new Date(`${date}T09:00:00+08:00`).toISOString(),
      source,
      trust: TRUST[source],
      direction: 'in',
      inside: true,
      counts: true,
    });
  }
  await tx.commit(t.redis);
}

/**
 * A self-reported location inside the village on each date (09:30 local) waiting for confirmation, as the
 * policy's `confirm` stores it: recorded, not counting.
 */
export async function pendingCheckIn(t: TestRedis, userId: string, dates: string[]): Promise<void> {
  const ledger = new CheckinRepo(t.redis, t.keys);
  const tx = new Tx();
  for (const date of dates) {
    const existing = await ledger.day(userId, date);
    ledger.add(tx, userId, date, existing, {
      id: `pending:${userId}:${date}`,
      at: new Date(`${date}T09:30:00+08:00`).toISOString(),
      source: 'message',
      trust: 'self-reported',
      direction: 'in',
      inside: true,
      counts: false,
      distanceM: 300,
      review: { status: 'pending', no: `B${date.replace(/-/g, '')}` },
    });
  }
  await tx.commit(t.redis);
}

/** Every date from `start` to `end`. */
export const days = (start: string, end: string) => eachDate(start, end);

let leaveNo = 0;

/** Store a leave request of `type` (class from the default policy); approved unless `status` says otherwise. */
export async function leave(
  t: TestRedis,
  userId: string,
  type: string,
  start: string,
  end: string,
  opts: { status?: LeaveRequest['status']; returnedOn?: string } = {},
): Promise<void> {
  leaveNo += 1;
  const r: LeaveRequest = {
    no: `Q${9000 + leaveNo}`,
    userId,
    type,
    class: leaveType(defaultPolicy(), type)!.class,
    start,
    end,
    days: eachDate(start, end).length,
    reason: '测试',
    createdAt: new Date(`${start}T08:00:00+08:00`).toISOString(),
    status: opts.status ?? 'approved',
    steps: [],
    ...(opts.returnedOn
      ? { returnedOn: opts.returnedOn, returnedAt: new Date(`${opts.returnedOn}T20:00:00+08:00`).toISOString() }
      : {}),
  };
  const tx = new Tx();
  new LeaveRepo(t.redis, t.keys).save(tx, r);
  await tx.commit(t.redis);
}

/** Add `records` to one day of `userId` as the bot adds them (the same event twice is kept once), in one commit. */
export async function putRecords(
  t: TestRedis,
  ledger: CheckinRepo,
  userId: string,
  date: string,
  ...records: CheckinRecord[]
): Promise<void> {
  const tx = new Tx();
  let existing = await ledger.day(userId, date);
  for (const r of records) if (ledger.add(tx, userId, date, existing, r)) existing = [...existing, r];
  await tx.commit(t.redis);
}
