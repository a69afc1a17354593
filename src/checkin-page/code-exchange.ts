/**
 * Exchanging a WeCom OAuth `code` for a userid ([D:91023] auth/getuserinfo) at most once per code, whoever
 * asks and however often. The outcome is kept in Redis: a userid for the code's life (WeCom codes live five
 * minutes and are single-use), a refusal for 30 s. Concurrent requests with the same code — on this instance
 * or another — share one exchange: the first takes a short `pending` claim, the others wait for its outcome.
 * Without this every request to the public page spent one call of the API quota that sending needs.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';

export interface ExchangeLimits {
  /** How long a userid is kept (s): the code's life. */
  okTtlS: number;
  /** How long a refusal is kept (s). */
  failTtlS: number;
  /** How long a `pending` claim lasts (s): longer than the WeCom API's own timeout. */
  pendingTtlS: number;
  /** How often a waiting request looks again (ms). */
  pollMs: number;
}

export const EXCHANGE_DEFAULTS: ExchangeLimits = { okTtlS: 300, failTtlS: 30, pendingTtlS: 15, pollMs: 50 };

/** A WeCom OAuth code as the redirect carries it; anything else is refused without asking WeCom. */
export const OAUTH_CODE = /^[A-Za-z0-9_-]{1,128}$/;

/** The code was refused (now or within the last `failTtlS`). */
export class CodeRefused extends Error {
  constructor(cause?: unknown) {
    super('OAuth code refused', { cause });
  }
}

const PENDING = 'pending';
const FAILED = 'failed';
const OK = 'ok:';

/**
 * The userid of `code`, asking WeCom through `exchange` only when no outcome is known and no other request is
 * asking already. Throws `CodeRefused` when the code is (or was recently) refused; a Redis failure throws
 * as is, for the caller to answer 503.
 */
export async function userIdForCode(
  redis: RedisClient,
  keys: Keys,
  code: string,
  exchange: (code: string) => Promise<string>,
  limits: ExchangeLimits = EXCHANGE_DEFAULTS,
): Promise<string> {
  if (!OAUTH_CODE.test(code)) throw new CodeRefused();
  const key = keys.oauthCode(code);
  // A waiting request gives up after its claim would have expired and claims the exchange itself.
  for (;;) {
    const claimed = await redis.set(key, PENDING, 'EX', limits.pendingTtlS, 'NX');
    if (claimed === 'OK') return exchangeOnce(redis, key, code, exchange, limits);
    const deadline = Date.now() + limits.pendingTtlS * 1000;
    let seen = await redis.get(key);
    while (seen === PENDING && Date.now() < deadline) {
      await delay(limits.pollMs);
      seen = await redis.get(key);
    }
    if (seen?.startsWith(OK)) return seen.slice(OK.length);
    if (seen === FAILED) throw new CodeRefused();
  }
}

async function exchangeOnce(
  redis: RedisClient,
  key: string,
  code: string,
  exchange: (code: string) => Promise<string>,
  limits: ExchangeLimits,
): Promise<string> {
  let userId: string;
  try {
    userId = await exchange(code);
  } catch (err) {
    await redis.set(key, FAILED, 'EX', limits.failTtlS);
    throw new CodeRefused(err);
  }
  await redis.set(key, OK + userId, 'EX', limits.okTtlS);
  return userId;
}
