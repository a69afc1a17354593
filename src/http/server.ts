/**
 * The Koa application: health endpoints plus the routers given to it (WeCom callbacks, the check-in page, the
 * sandbox). Errors never leak internals to the client (koa's `expose`), and every request gets a log line.
 */
import { createServer, type Server } from 'node:http';
import Koa from 'koa';
import type Router from '@koa/router';
import type { Logger } from '../log.js';
import { isStorageError } from '../redis/errors.js';
import { createHealthRouter, type Readiness } from './health.js';
import type { Edge } from './wecom-edge.js';

/** How long a client may take; a slow or stalled sender is cut off rather than holding a connection. */
export interface HttpTimeouts {
  /** From connecting to the end of the request headers. */
  headersMs: number;
  /** From connecting to the end of the request body (408 and close when over). */
  requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
}

/** WeCom posts a few kilobytes and expects an answer within 5 s; nothing legitimate comes near these. */
export const HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 };

/**
 * An http.Server for the app with the timeouts applied. Node checks the header and request deadlines on an
 * interval (30 s by default, far too coarse for a 10 s deadline), so the interval follows the shortest one.
 * With an `edge` (the WeCom callback POSTs, wecom-edge.ts), what it takes never reaches Koa.
 */
export function createHttpServer(app: Koa, timeouts: HttpTimeouts = HTTP_TIMEOUTS, edge?: Edge): Server {
  const koa = app.callback();
  return createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: Math.min(1000, timeouts.headersMs),
    },
    edge ? (req, res) => edge(req, res) || void koa(req, res) : koa,
  );
}

export type { Readiness } from './health.js';

export interface HttpAppOptions {
  log: Logger;
  readiness: Readiness;
  routers: Router[];
  /** ADMIN_TOKEN: lets a caller that is not on loopback see the details of /readyz. */
  adminToken?: string;
  /**
   * TRUST_PROXY: behind a reverse proxy that appends the client's address to X-Forwarded-For. Only then is that
   * header read, and only its last entry (the one the proxy added; earlier ones are whatever the client sent).
   */
  trustProxy?: boolean;
}

export function createHttpApp(opts: HttpAppOptions): Koa {
  const app = new Koa();
  app.proxy = opts.trustProxy === true;
  app.maxIpsCount = 1;
  app.silent = true;
  const health = createHealthRouter(opts);

  app.use(async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } catch (err) {
      // Storage down or slow: 503, so that a caller (and WeCom) retries; never a 200 or a bare 500.
      const status = (err as { status?: number }).status ?? (isStorageError(err) ? 503 : 500);
      ctx.status = status;
      ctx.body = status < 500 && (err as { expose?: boolean }).expose ? (err as Error).message : 'internal error';
      // A client's mistake (413, 400 …) is a warning; only the server's own failure is an error.
      if (status >= 500) opts.log.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
      else
        opts.log.warn(
          { status, reason: (err as Error).message, method: ctx.method, path: ctx.path },
          'request refused',
        );
    } finally {
      if (ctx.path !== '/healthz') {
        opts.log.debug(
          { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) },
          'http',
        );
      }
    }
  });
  app.use(health.routes());
  for (const r of opts.routers) app.use(r.routes()).use(r.allowedMethods());
  return app;
}
