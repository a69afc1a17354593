/**
 * Admin HTTP endpoints for the organisation department's office: `GET /admin/sheet?month=YYYY-MM` answers the
 * monthly attendance sheet (考勤表) as an xlsx download. Every endpoint needs `Authorization: Bearer
 * <ADMIN_TOKEN>`, checked inside each route's own handler chain; without `ADMIN_TOKEN` in the environment the
 * endpoints do not exist (404), so a deployment that never set a token exposes nothing. Each download is
 * recorded in the audit trail with the client's address.
 */
import type Router from '@koa/router';
import { createRouter } from './router.js';
import type { Context, Middleware } from 'koa';
import { oneOffId } from '../audit/actor.js';
import { appendAudit } from '../audit/trail.js';
import type { Clock } from '../core/clock.js';
import { localMonth, parseMonth } from '../kit/dates.js';
import type { Logger } from '../log.js';
import type { RosterStore } from '../roster/store.js';
import { exportSheet, type SheetSource } from '../sheet/build.js';
import { sheetExport } from '../../templates/audit.js';
import { bearerToken, tokenMatches } from './credentials.js';

export { bearerToken, tokenMatches };

/** The media type of an .xlsx workbook. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What the admin endpoints read (`Deps` fits). */
export interface AdminDeps extends SheetSource {
  roster: RosterStore;
  clock: Clock;
}

export interface AdminRouterOptions {
  /** `ADMIN_TOKEN` from the environment; undefined turns the endpoints off. */
  adminToken: string | undefined;
  deps: AdminDeps;
  log: Logger;
}

/**
 * The middleware that lets a request through only with the admin token. It sits in each admin route's own
 * handler chain (`router.get(path, requireAdmin, handler)`), so whatever path spelling reaches a handler has
 * passed it; a refusal is logged with the address and the reason, never with the token that was sent.
 */
export function adminGuard(adminToken: string, log: Logger): Middleware {
  return async (ctx, next) => {
    const given = bearerToken(ctx.get('Authorization') || undefined);
    if (given === undefined || !tokenMatches(given, adminToken)) {
      log.warn(
        {
          ip: ctx.ip,
          method: ctx.method,
          path: ctx.path,
          reason: given === undefined ? 'no bearer token' : 'wrong token',
        },
        'admin request refused',
      );
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer realm="zhucun-admin"');
      ctx.body = 'unauthorized';
      return;
    }
    await next();
  };
}

/**
 * The admin router. The token check comes first in every route, so a caller without the token learns nothing
 * about the request (not even whether its month is valid). Paths match exactly (`createRouter`).
 */
export function createAdminRouter(opts: AdminRouterOptions): Router {
  const router = createRouter({ prefix: '/admin' });
  const { adminToken, deps, log } = opts;
  if (!adminToken) {
    log.info('ADMIN_TOKEN is not set: the /admin endpoints are off');
    return router;
  }
  const requireAdmin = adminGuard(adminToken, log);

  router.get('/sheet', requireAdmin, async (ctx: Context) => {
    const now = deps.clock.now();
    const asked = ctx.query.month;
    const month = asked === undefined ? localMonth(now) : asked;
    if (typeof month !== 'string' || !isMonth(month)) {
      ctx.status = 400;
      ctx.body = 'month must be written YYYY-MM, e.g. ?month=2026-11';
      return;
    }
    const roster = await deps.roster.get();
    const sheet = await exportSheet(deps, roster, month, now);
    // Recorded before the file leaves: an export the trail cannot record is not delivered (500).
    await appendAudit(deps.redis, deps.keys, {
      kind: 'export.sheet',
      actor: 'admin',
      channel: 'admin',
      at: now.getTime(),
      id: oneOffId('export.sheet', month),
      ref: month,
      summary: sheetExport(month, sheet.cadres),
      ip: ctx.ip,
    });
    ctx.set('Content-Disposition', `attachment; filename="kaoqin-${month}.xlsx"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = XLSX_TYPE;
    ctx.body = sheet.bytes;
    log.info({ ip: ctx.ip, month, cadres: sheet.cadres, bytes: sheet.bytes.length }, 'attendance sheet exported');
  });
  return router;
}

function isMonth(value: string): boolean {
  try {
    parseMonth(value);
    return true;
  } catch {
    return false;
  }
}
