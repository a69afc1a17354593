/**
 * The rate limit of operator alerts, shared by every instance through Redis: the same alert (kind + key) is sent
 * at most once per window (`alerts.repeatMinutes`). A raise inside the window is counted, and the count goes
 * into the next alert sent: the next raise after the window, or the summary the ops-watch job sends when a
 * window with repeats has ended. Each decision is one Lua script, so of two instances raising the same alert
 * at once exactly one is told to send.
 */
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';

/** State is kept a while after its window so that repeats are still summarised after an outage. */
const KEEP_MS = 7 * 86_400_000;

// KEYS: state hash, pending set, seen-marker. ARGV: now, window ms, pending member, alert JSON, occurrence, keep ms.
// Returns {outcome, repeats, since}: outcome 1 = send (repeats of the previous window, sent at `since`),
// 0 = a repeat inside the window (counted), -1 = this occurrence was counted before.
const RAISE = `
if ARGV[5] ~= '' then
  if not redis.call('SET', KEYS[3], '1', 'PX', ARGV[6], 'NX') then return {-1, 0, 0} end
end
local now = tonumber(ARGV[1])
local untilMs = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
local repeats = tonumber(redis.call('HGET', KEYS[1], 'repeats') or '0')
local since = tonumber(redis.call('HGET', KEYS[1], 'sent') or '0')
if now >= untilMs then
  redis.call('HSET', KEYS[1], 'until', now + tonumber(ARGV[2]), 'sent', now, 'repeats', 0, 'last', ARGV[4])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[6]))
  redis.call('ZREM', KEYS[2], ARGV[3])
  return {1, repeats, since}
end
redis.call('HSET', KEYS[1], 'repeats', repeats + 1, 'last', ARGV[4])
redis.call('ZADD', KEYS[2], untilMs, ARGV[3])
return {0, repeats + 1, since}
`;

// KEYS: state hash, pending set. ARGV: now, window ms, pending member, keep ms.
// Returns {latest alert JSON, repeats, since} when a summary is due (and starts a new window), else false.
const SUMMARY = `
local repeats = tonumber(redis.call('HGET', KEYS[1], 'repeats') or '0')
if repeats == 0 then redis.call('ZREM', KEYS[2], ARGV[3]) return false end
local untilMs = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
local now = tonumber(ARGV[1])
if now < untilMs then return false end
local last = redis.call('HGET', KEYS[1], 'last')
local since = redis.call('HGET', KEYS[1], 'sent')
redis.call('HSET', KEYS[1], 'until', now + tonumber(ARGV[2]), 'sent', now, 'repeats', 0)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[4]))
redis.call('ZREM', KEYS[2], ARGV[3])
return {last, repeats, since}
`;

export type Decision =
  { send: true; repeats: number; since: number } | { send: false; repeats: number; duplicate: boolean };

export interface Due {
  kind: string;
  key: string;
  /** The latest raise of the window, as stored. */
  latest: string;
  repeats: number;
  since: number;
}

const member = (kind: string, key: string) => `${kind}\n${key}`;

export class AlertWindow {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** Decide whether this raise is sent; `occurrence` (a job's slot) makes a second raise of it a no-op. */
  async decide(
    a: { kind: string; key: string; occurrence?: string },
    payload: string,
    now: number,
    windowMs: number,
  ): Promise<Decision> {
    const k = this.keys;
    const seen = k.alertSeen(a.kind, a.key, a.occurrence ?? '-');
    const [outcome, repeats, since] = (await this.redis.eval(
      RAISE,
      3,
      k.alertState(a.kind, a.key),
      k.alertPending(),
      seen,
      now,
      windowMs,
      member(a.kind, a.key),
      payload,
      a.occurrence ?? '',
      KEEP_MS,
    )) as [number, number, number];
    return outcome === 1 ? { send: true, repeats, since } : { send: false, repeats, duplicate: outcome === -1 };
  }

  /** How many alerts have repeats waiting whose window has ended (for a dry run). */
  async dueCount(now: number): Promise<number> {
    return this.redis.zcount(this.keys.alertPending(), '-inf', now);
  }

  /** Take every summary that is due: each starts a new window, so exactly one instance gets it. */
  async takeDue(now: number, windowMs: number): Promise<Due[]> {
    const members = await this.redis.zrangebyscore(this.keys.alertPending(), '-inf', now);
    const out: Due[] = [];
    for (const m of members) {
      const [kind, key] = m.split('\n') as [string, string];
      const res = (await this.redis.eval(
        SUMMARY,
        2,
        this.keys.alertState(kind, key),
        this.keys.alertPending(),
        now,
        windowMs,
        m,
        KEEP_MS,
      )) as [string, number, string] | null;
      if (res) out.push({ kind, key, latest: res[0], repeats: Number(res[1]), since: Number(res[2]) });
    }
    return out;
  }
}
