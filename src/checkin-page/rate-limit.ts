/**
 * Per-client request limits of the public check-in page, counted in Redis (`rate-limiter-flexible`) so that
 * every instance shares one count. The client is `ctx.ip`: the socket address, or the forwarded one when the
 * deployment trusts its proxy (`app.proxy`). The default is generous enough for a township behind one
 * carrier NAT and still stops a flood from spending the WeCom API quota.
 */
import type { Middleware } from 'koa';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../log.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';

export interface RateLimit {
  /** Requests allowed per client in one window. */
  points: number;
  /** Window length (s). */
  durationS: number;
}

export const PAGE_RATE_DEFAULT: RateLimit = { points: 60, durationS: 60 };

/**
 * Middleware counting each request of a client under `name`; over the limit it answers 429 with
 * `Retry-After` and `refusedBody`, and a storage failure answers 503 (nothing is served uncounted).
 */
export function rateLimited(
  o: { redis: RedisClient; keys: Keys; log: Logger; name: string; limit: RateLimit },
  bodies: { refused: string; unavailable: string },
): Middleware {
  const limiter = new RateLimiterRedis({
    storeClient: o.redis,
    keyPrefix: o.keys.rateLimit(o.name),
    points: o.limit.points,
    duration: o.limit.durationS,
  });
  return async (ctx, next) => {
    try {
      await limiter.consume(ctx.ip);
    } catch (err) {
      ctx.type = 'text/html; charset=utf-8';
      if (err instanceof RateLimiterRes) {
        o.log.warn({ ip: ctx.ip, path: ctx.path, limit: o.name }, 'check-in page: request limit reached');
        ctx.status = 429;
        ctx.set('Retry-After', String(Math.max(1, Math.ceil(err.msBeforeNext / 1000))));
        ctx.body = bodies.refused;
        return;
      }
      o.log.error({ err, path: ctx.path }, 'check-in page: request limit unavailable (storage)');
      ctx.status = 503;
      ctx.body = bodies.unavailable;
      return;
    }
    await next();
  };
}
