/**
 * Test data for the ladder and the burden simulation: presence days written through the ledger, as check-ins
 * on the check-in page at a given time of day.
 */
import { CheckinRepo } from '../../src/attendance/ledger.js';
import type { CheckinRecord } from '../../src/attendance/record.js';
import { eachDate } from '../../src/kit/dates.js';
import type { RedisClient } from '../../src/redis/client.js';
import type { Keys } from '../../src/redis/keys.js';
import { Tx } from '../../src/redis/tx.js';

/** A counting check-in on the page at `at` (ISO with offset). */
export function pageCheckin(id: string, at: string): CheckinRecord {
  return {
    id,
    at: new Date(at).toISOString(),
    source: 'page',
    trust: 'verified',
    direction: 'in',
    inside: true,
    counts: true,
  };
}

/** Stage one check-in of `userId` on `date` at `time` (HH:MM, Asia/Shanghai). */
export function addCheckin(tx: Tx, ledger: CheckinRepo, userId: string, date: string, time = '08:30'): void {
  ledger.add(tx, userId, date, [], pageCheckin(`seed:${userId}:${date}`, `${date}T${time}:00+08:00`));
}

/** Write presence for `userId` on every date from `from` to `to` except those `skip` names. */
export async function writePresence(
  redis: RedisClient,
  keys: Keys,
  userId: string,
  from: string,
  to: string,
  skip: (date: string) => boolean = () => false,
): Promise<void> {
  const ledger = new CheckinRepo(redis, keys);
  const tx = new Tx();
  for (const d of eachDate(from, to)) if (!skip(d)) addCheckin(tx, ledger, userId, d);
  await tx.commit(redis);
}
