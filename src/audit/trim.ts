/**
 * Keeping the audit trail for the policy's `retention.auditYears`: entries recorded before the cut-off are
 * removed by the nightly retention job. The trail holds no location (who, what, when, the channel or the admin
 * client's address), so it is kept far longer than the exact positions of check-ins.
 */
import { dayjs, localDate, startOfLocalDay } from '../kit/dates.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';

/** The first instant kept: midnight (Asia/Shanghai) starting the day `years` years before `now`'s day. */
export function auditCutoff(now: Date, years: number): Date {
  return startOfLocalDay(dayjs.utc(localDate(now)).subtract(years, 'year').format('YYYY-MM-DD'));
}

/** The time of the oldest entry (ms), or undefined for an empty trail. */
export async function oldestAudit(redis: RedisClient, keys: Keys): Promise<number | undefined> {
  const [first] = await redis.xrange(keys.audit(), '-', '+', 'COUNT', 1);
  return first ? Number(first[0].split('-')[0]) : undefined;
}

/** Remove every entry recorded before `cutoff` (exactly, not approximately); how many were removed. */
export async function trimAudit(redis: RedisClient, keys: Keys, cutoff: Date): Promise<number> {
  return redis.xtrim(keys.audit(), 'MINID', cutoff.getTime());
}
