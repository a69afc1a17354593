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
import { isPermanent } from '../wecom/api/errors.js';

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

/** No outcome for the code: WeCom did not answer, or another request's exchange did not finish. */
export class ExchangeUnavailable extends Error {
  constructor() {
    super('OAuth code exchange did not finish; try again');
  }
}

const PENDING = 'pending';
const FAILED = 'failed';
const OK = 'ok:';

/**
 * The userid of `code`, asking WeCom through `exchange` only when no outcome is known and no other request is
 * asking already. Throws `CodeRefused` when the code is (or was recently) refused by WeCom; an outage of WeCom
 * (or another exchange that did not finish) and a Redis failure throw otherwise, for the caller to answer 503.
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
  const claimed = await redis.set(key, PENDING, 'EX', limits.pendingTtlS, 'NX');
  if (claimed === 'OK') return exchangeOnce(redis, key, code, exchange, limits);
  // Another request is asking WeCom: wait for its outcome, at most as long as its claim lives.
  const deadline = Date.now() + limits.pendingTtlS * 1000;
  let seen = await redis.get(key);
  while (seen === PENDING && Date.now() < deadline) {
    await delay(limits.pollMs);
    seen = await redis.get(key);
  }
  if (seen?.startsWith(OK)) return seen.slice(OK.length);
  if (seen === FAILED) throw new CodeRefused();
  // The other exchange failed without an answer from WeCom, or is still running: the person tries again.
  throw new ExchangeUnavailable();
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
    // Only WeCom's own "no" is kept: an outage (timeout, 5xx, busy, token trouble) says nothing about the code,
    // which stays valid, so the claim goes and the next opening asks again.
    if (err instanceof CodeRefused || isPermanent(err)) {
      await redis.set(key, FAILED, 'EX', limits.failTtlS);
      throw new CodeRefused(err);
    }
    await redis.del(key);
    throw err;
  }
  await redis.set(key, OK + userId, 'EX', limits.okTtlS);
  return userId;
}

/** What a page's OAuth callback needs to turn a code into its user. */
export interface CodeExchangeDeps {
  redis: RedisClient;
  keys: Keys;
  wecom: { userIdFromCode(code: string): Promise<string> };
  exchange?: ExchangeLimits;
}

/**
 * The user of a page's OAuth `code` (`userIdForCode` with the page's WeCom call and limits), or `{ refused }` with
 * WeCom's reason when the code was refused; any other failure is thrown.
 */
export async function userOfCode(
  d: CodeExchangeDeps,
  code: string,
): Promise<{ userid: string } | { refused: unknown }> {
  try {
    return {
      userid: await userIdForCode(
        d.redis,
        d.keys,
        code,
        (c) => d.wecom.userIdFromCode(c),
        d.exchange ?? EXCHANGE_DEFAULTS,
      ),
    };
  } catch (err) {
    if (err instanceof CodeRefused) return { refused: err.cause };
    throw err;
  }
}
