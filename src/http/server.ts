/**
 * The Koa application: health endpoints plus the routers given to it (WeCom callbacks, the check-in page, the
 * sandbox). Errors never leak internals to the client (koa's `expose`), and every request gets a log line.
 */
import Koa from 'koa';
import Router from '@koa/router';
import type { Logger } from '../log.js';
import { createHealthRouter, type Readiness } from './health.js';

export type { Readiness } from './health.js';

/** `adminToken` (ADMIN_TOKEN) lets a non-loopback caller see the details of /readyz. */
export function createHttpApp(opts: { log: Logger; readiness: Readiness; routers: Router[]; adminToken?: string }): Koa {
  const app = new Koa();
  app.proxy = true;
  app.silent = true;
  const health = createHealthRouter(opts);

  app.use(async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      ctx.status = status;
      ctx.body = status < 500 && (err as { expose?: boolean }).expose ? (err as Error).message : 'internal error';
      opts.log.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
    } finally {
      if (ctx.path !== '/healthz') {
        opts.log.debug({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'http');
      }
    }
  });
  app.use(health.routes());
  for (const r of opts.routers) app.use(r.routes()).use(r.allowedMethods());
  return app;
}
