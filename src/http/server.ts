/**
 * The Koa application: health endpoints plus the routers given to it (WeCom callbacks, the check-in page, the
 * sandbox). Errors never leak internals to the client (koa's `expose`), and every request gets a log line.
 */
import Koa from 'koa';
import type Router from '@koa/router';
import { createRouter } from './router.js';
import type { Logger } from '../log.js';

export interface Readiness {
  /** Resolves when Redis answers; throws otherwise. */
  ping(): Promise<void>;
  /** Configuration warnings to show on /readyz (e.g. a failed gettoken check). */
  warnings(): string[];
}

export function createHttpApp(opts: { log: Logger; readiness: Readiness; routers: Router[] }): Koa {
  const app = new Koa();
  app.proxy = true;
  app.silent = true;
  const health = createRouter();
  health.get('/healthz', (ctx) => {
    ctx.body = { ok: true };
  });
  health.get('/readyz', async (ctx) => {
    const warnings = opts.readiness.warnings();
    try {
      await opts.readiness.ping();
      ctx.body = { ok: true, redis: 'ok', ...(warnings.length ? { warnings } : {}) };
    } catch (err) {
      opts.log.warn({ err }, 'readiness check failed: redis does not answer');
      ctx.status = 503;
      ctx.body = { ok: false, redis: 'unreachable', ...(warnings.length ? { warnings } : {}) };
    }
  });

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
