/**
 * Per-target send limits shared by every instance, kept in Redis. WeCom's limits are "at most N in a minute"
 * (a group robot 20/min [D:91770], one member 30/min and 1000/h from an app [D:90454]), so each target keeps a
 * sliding log of its send times in a sorted set (`keys.rateBucket(target)`) and a Lua script admits a send only
 * when every window of that target has room. A plain token bucket refilling 20/min would let 40 through in one
 * minute (a full bucket plus the refill), which WeCom answers with 45009.
 *
 * A message with several targets (the app plus each recipient) takes a slot in each, one script per target so
 * that it also works on Redis Cluster (the targets live in different slots); when one is full, the slots
 * already taken are given back and the caller learns how long to wait.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';

export interface Window {
  max: number;
  windowMs: number;
}

export interface RateLimits {
  /** One group robot webhook. */
  webhook: Window[];
  /** One member, messages from the app. */
  user: Window[];
  /** The whole app: API calls to WeCom's per-minute API limits. */
  app: Window[];
}

/**
 * WeCom's documented limits. The app cap of 1000 calls a minute is a tenth of WeCom's 10,000 per API per minute
 * for the whole corp [D:90454]: other apps of the county share that, and 1000/min stays under the 150,000/h cap.
 */
export const DEFAULT_LIMITS: RateLimits = {
  webhook: [{ max: 20, windowMs: 60_000 }],
  user: [
    { max: 30, windowMs: 60_000 },
    { max: 1000, windowMs: 3_600_000 },
  ],
  app: [{ max: 1000, windowMs: 60_000 }],
};

export interface Claim {
  /** `webhook:<hash>`, `user:<userid>` or `app`. */
  target: string;
  windows: Window[];
  /** Slots taken (an image to a member is two API calls: upload and send). */
  cost?: number;
}

export type Admission = { ok: true } | { ok: false; waitMs: number; target: string };

// KEYS[1] log of send times; ARGV: now, member prefix, cost, then max/window pairs. Returns the wait in ms
// (0 = admitted and recorded). Entries at exactly now - window have left the window.
const ACQUIRE = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local cost = tonumber(ARGV[3])
local longest = 0
for i = 4, #ARGV, 2 do
  local w = tonumber(ARGV[i + 1])
  if w > longest then longest = w end
end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - longest)
local wait = 0
for i = 4, #ARGV, 2 do
  local max = tonumber(ARGV[i])
  local w = tonumber(ARGV[i + 1])
  local inside = redis.call('ZCOUNT', key, '(' .. (now - w), '+inf')
  local excess = inside + cost - max
  if excess > 0 then
    local entry = redis.call('ZRANGEBYSCORE', key, '(' .. (now - w), '+inf', 'WITHSCORES', 'LIMIT', excess - 1, 1)
    local until_free = tonumber(entry[2]) + w - now
    if until_free > wait then wait = until_free end
  end
end
if wait > 0 then return wait end
for j = 1, cost do redis.call('ZADD', key, now, ARGV[2] .. ':' .. j) end
redis.call('PEXPIRE', key, longest)
return 0
`;

export class RateLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly clock: Clock,
    /** Added to every window: network delay must not make two sends look closer together to WeCom. */
    private readonly marginMs = 1000,
  ) {}

  /** Take a slot in every claim's target, or none of them and the time to wait (clock ms). */
  async acquire(claims: Claim[]): Promise<Admission> {
    const now = this.clock.now().getTime();
    const id = randomUUID();
    const results = await Promise.all(
      claims.map(async (c) => {
        const cost = Math.min(c.cost ?? 1, ...c.windows.map((w) => w.max));
        const args = c.windows.flatMap((w) => [w.max, w.windowMs + this.marginMs]);
        const wait = Number(await this.redis.eval(ACQUIRE, 1, this.keys.rateBucket(c.target), now, id, cost, ...args));
        return { claim: c, cost, wait };
      }),
    );
    const refused = results.filter((r) => r.wait > 0);
    if (!refused.length) return { ok: true };
    // Give back what was taken so a message waiting for one member does not hold the others' slots.
    await Promise.all(
      results
        .filter((r) => r.wait === 0)
        .map((r) =>
          this.redis.zrem(
            this.keys.rateBucket(r.claim.target),
            ...Array.from({ length: r.cost }, (_, j) => `${id}:${j + 1}`),
          ),
        ),
    );
    const worst = refused.reduce((a, b) => (b.wait > a.wait ? b : a));
    return { ok: false, waitMs: worst.wait, target: worst.claim.target };
  }
}
