/**
 * The burden rules (减负) for pushes the bot starts itself: a reminder is never sent in quiet hours and a person
 * gets at most `push.dailyBudget` reminders a day. A reminder that would break either rule is dropped and
 * counted (`pushDropped(date)`), never queued into the night. Announcements, approvals and digests pass
 * untouched: people asked for them, or act on them.
 *
 * Charging is idempotent per message key and person: a job run twice charges once, and a reminder dropped
 * once is not counted again. Counters and markers share one hash tag, so one script updates them atomically,
 * also on a cluster.
 */
import { localDate, localTime } from '../kit/dates.js';
import type { Outbound } from '../core/outbound.js';
import type { Policy } from '../policy/policy.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Dropped } from './run-result.js';
import { hoursAfter, sameDayAt } from './windows.js';

type QuietHours = Policy['push']['quietHours'];
type Verdict = 'send' | Dropped['reason'];

/** Counters and markers are kept a little longer than the day they count. */
const TTL_S = 3 * 86_400;

/** True when `at` (Asia/Shanghai) falls in the quiet hours; a window may run over midnight (21:00–07:30). */
export function inQuietHours(at: Date, quiet: QuietHours): boolean {
  const t = localTime(at);
  if (quiet.start === quiet.end) return false;
  return quiet.start < quiet.end ? t >= quiet.start && t < quiet.end : t >= quiet.start || t < quiet.end;
}

/**
 * When the forward of an answer to the township supervisors may be delivered (`Outbound.notBefore`, ms): the
 * end of the policy's quiet hours when the cadre answers inside them, so a supervisor is not woken at night by
 * a message that can wait till morning; undefined (at once) otherwise. A window may run over midnight
 * (21:00–07:30): an answer at 22:00 goes out at 07:30 the next day, one at 03:00 at 07:30 the same day.
 */
export function forwardNotBefore(now: Date, quiet: QuietHours): number | undefined {
  if (!inQuietHours(now, quiet)) return undefined;
  const end = sameDayAt(now, quiet.end);
  // Asia/Shanghai has no daylight saving: the next day's end is 24 hours later.
  return (end.getTime() > now.getTime() ? end : hoursAfter(end, 24)).getTime();
}

/** Whether the burden rules apply to a message: reminders to members. */
export function isBurdened(m: Outbound): boolean {
  return m.purpose === 'reminder' && m.to.kind === 'user';
}

// KEYS: budget hash, dropped hash. ARGV: mode (charge|quiet-hours), marker, userId, daily budget, ttl.
// Answers 'send', or the reason the reminder is (or was already) dropped.
const SCRIPT = `
local marker = 'msg:' .. ARGV[2]
if redis.call('HEXISTS', KEYS[1], marker) == 1 then return 'send' end
local before = redis.call('HGET', KEYS[2], marker)
if before then return before end
if ARGV[1] == 'charge' then
  local used = tonumber(redis.call('HGET', KEYS[1], ARGV[3]) or '0')
  if used < tonumber(ARGV[4]) then
    redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
    redis.call('HSET', KEYS[1], marker, '1')
    redis.call('EXPIRE', KEYS[1], ARGV[5])
    return 'send'
  end
end
local reason = ARGV[1] == 'charge' and 'budget' or 'quiet-hours'
redis.call('HSET', KEYS[2], marker, reason)
redis.call('HINCRBY', KEYS[2], reason, 1)
redis.call('EXPIRE', KEYS[2], ARGV[5])
return reason
`;

export interface Filtered {
  send: Outbound[];
  dropped: Dropped[];
}

export class BurdenGuard {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly push: Policy['push'],
  ) {}

  /**
   * Apply the rules to messages about to be queued at `now`: charge each person's budget for the reminders
   * that go out, and count those dropped. Other messages pass unchanged.
   */
  async apply(messages: Outbound[], now: Date): Promise<Filtered> {
    return this.filter(messages, now, (m, userId, quiet) => this.judge(m, userId, now, quiet));
  }

  /** What `apply` would do, reading the counters without changing them (`--dry-run`). */
  async preview(messages: Outbound[], now: Date): Promise<Filtered> {
    const date = localDate(now);
    const pending = new Map<string, number>();
    return this.filter(messages, now, async (m, userId, quiet) => {
      const marker = `msg:${markerOf(m, userId)}`;
      const [charged, used] = await this.redis.hmget(this.keys.pushBudget(date), marker, userId);
      if (charged) return 'send';
      const before = await this.redis.hget(this.keys.pushDropped(date), marker);
      if (before) return before as Verdict;
      if (quiet) return 'quiet-hours';
      const n = Number(used ?? 0) + (pending.get(userId) ?? 0);
      if (n >= this.push.dailyBudget) return 'budget';
      pending.set(userId, (pending.get(userId) ?? 0) + 1);
      return 'send';
    });
  }

  /** Reminders dropped on a date, by reason. */
  async droppedCounts(date: string): Promise<Record<Dropped['reason'], number>> {
    const [quiet, budget] = await this.redis.hmget(this.keys.pushDropped(date), 'quiet-hours', 'budget');
    return { 'quiet-hours': Number(quiet ?? 0), budget: Number(budget ?? 0) };
  }

  private async filter(
    messages: Outbound[],
    now: Date,
    verdict: (m: Outbound, userId: string, quiet: boolean) => Promise<Verdict>,
  ): Promise<Filtered> {
    const out: Filtered = { send: [], dropped: [] };
    for (const m of messages) {
      if (!isBurdened(m) || m.to.kind !== 'user') {
        out.send.push(m);
        continue;
      }
      const quiet = inQuietHours(new Date(m.notBefore ?? now.getTime()), this.push.quietHours);
      const allowed: string[] = [];
      for (const userId of m.to.userIds) {
        const v = await verdict(m, userId, quiet);
        if (v === 'send') allowed.push(userId);
        else out.dropped.push({ key: m.key, userId, reason: v });
      }
      if (allowed.length) out.send.push({ ...m, to: { kind: 'user', userIds: allowed } });
    }
    return out;
  }

  private async judge(m: Outbound, userId: string, now: Date, quiet: boolean): Promise<Verdict> {
    const date = localDate(now);
    const args = [quiet ? 'quiet-hours' : 'charge', markerOf(m, userId), userId, this.push.dailyBudget, TTL_S];
    return (await this.redis.eval(
      SCRIPT,
      2,
      this.keys.pushBudget(date),
      this.keys.pushDropped(date),
      ...args,
    )) as Verdict;
  }
}

function markerOf(m: Outbound, userId: string): string {
  return `${m.key}|${userId}`;
}
