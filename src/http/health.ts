/**
 * Health endpoints for the load balancer and the operator.
 *
 * `/healthz` says whether this process can serve right now, from state it already has (the Redis connection is
 * ready, the process is not shutting down): no round trip, so it is cheap enough to poll every second.
 * `/readyz` also pings Redis, giving it at most READY_TIMEOUT_MS. Both answer 200 or 503. What is wrong (the
 * reason, configuration warnings) is shown only to a loopback caller (the socket's own address, never
 * X-Forwarded-For) or to one presenting `Authorization: Bearer <ADMIN_TOKEN>`; others get just `ok`. With the
 * long connection, /readyz also tells them whether this instance holds it (`longConnection: held | standby`); a
 * standby instance is ready all the same (it serves callbacks and takes over the connection when needed).
 */
import type Router from '@koa/router';
import { createRouter } from './router.js';
import type { Context } from 'koa';
import type { Logger } from '../log.js';
import { bearerToken, tokenMatches } from './credentials.js';
import { isLoopback } from './guard.js';

export interface Readiness {
  /** Resolves when Redis answers; throws otherwise. */
  ping(): Promise<void>;
  /** Configuration warnings to show on /readyz (e.g. a failed gettoken check). */
  warnings(): string[];
  /** Cheap, without a round trip: why this process cannot serve now (Redis not connected, shutting down), or null. */
  notServing?(): string | null;
  /**
   * With the smart robot's long connection: whether this instance holds it (`held`) or waits for the holder to
   * fail (`standby`), elected by a Redis lease (src/redis/lease-holder.ts). Absent in callback mode.
   */
  longConnection?(): 'held' | 'standby' | 'stopped';
}

/** How long /readyz waits for Redis to answer its ping (ms). */
export const READY_TIMEOUT_MS = 1_000;

/** The router for `/healthz` and `/readyz`. */
export function createHealthRouter(opts: { log: Logger; readiness: Readiness; adminToken?: string }): Router {
  const { readiness, log } = opts;
  const router = createRouter();

  router.get('/healthz', (ctx) => {
    const reason = readiness.notServing?.() ?? null;
    ctx.status = reason ? 503 : 200;
    ctx.body = reason && privileged(ctx, opts.adminToken) ? { ok: false, reason } : { ok: !reason };
  });

  router.get('/readyz', async (ctx) => {
    const warnings = readiness.warnings();
    const reason = readiness.notServing?.() ?? (await pingWithin(readiness, READY_TIMEOUT_MS));
    if (reason) log.warn({ reason }, 'readiness check failed');
    ctx.status = reason ? 503 : 200;
    if (!privileged(ctx, opts.adminToken)) {
      ctx.body = { ok: !reason };
      return;
    }
    ctx.body = {
      ok: !reason,
      redis: reason ? 'unreachable' : 'ok',
      ...(reason ? { reason } : {}),
      ...(readiness.longConnection ? { longConnection: readiness.longConnection() } : {}),
      ...(warnings.length ? { warnings } : {}),
    };
  });
  return router;
}

/** null when Redis answered within `ms`; otherwise what went wrong. */
async function pingWithin(readiness: Readiness, ms: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`redis did not answer within ${ms} ms`), ms);
  });
  try {
    return await Promise.race([
      readiness.ping().then(
        () => null,
        (err: Error) => `redis does not answer: ${err.message}`,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A loopback peer (by the socket, not a header a proxy or client sets) or the admin token. */
function privileged(ctx: Context, adminToken: string | undefined): boolean {
  if (isLoopback(ctx.req.socket.remoteAddress)) return true;
  const given = bearerToken(ctx.get('authorization') || undefined);
  return Boolean(adminToken && given !== undefined && tokenMatches(given, adminToken));
}
