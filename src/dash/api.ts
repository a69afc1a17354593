/**
 * The dashboard's JSON API under `/api`, described by docs/openapi.yaml (a test keeps the two in step). Every
 * route first finds who is asking (principal.ts): 401 without a session, with an expired one or with a wrong
 * bearer token; then checks the scope on the server (scope.ts) before reading anything: 403 outside it. Bad
 * parameters are 400, an unknown cadre or township inside the county's scope 404 (outside it, 403 whether it
 * exists or not, so a scope learns nothing about others), a storage failure 503. Machine access with
 * `ADMIN_TOKEN` reads the county and may only read (GET).
 */
import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import { createRouter } from '../http/router.js';
import { jsonApi } from '../http/guard.js';
import type { FiguresSource } from '../attendance/figures.js';
import type { MonthFigures } from '../attendance/accounting.js';
import type { YearFigures } from '../attendance/annual.js';
import { monthFiguresFor } from '../close/read.js';
import type { Clock } from '../core/clock.js';
import { localMonth, parseMonth } from '../kit/dates.js';
import type { Logger } from '../log.js';
import type { Roster } from '../roster/roster.js';
import type { RosterStore } from '../roster/store.js';
import type { Cadre } from '../roster/schema.js';
import { loadRollup } from '../rollup/service.js';
import { principalOf, type Principal } from './principal.js';
import { canReadCadre, canReadTownship, cadresInScope, type DashScope } from './scope.js';
import type { DashSessions } from './session.js';

export interface ApiDeps {
  /** Figures are read as everywhere else (`Deps` fits: the policy in force, the calendar). */
  src: FiguresSource;
  roster: RosterStore;
  clock: Clock;
  log: Logger;
  sessions: DashSessions;
  adminToken: string | undefined;
  publicUrl: string;
}

interface ApiState {
  principal: Principal;
  roster: Roster;
}

/** A path parameter as a roster writes ids (no spaces or control characters, at most 64); others are 404. */
const ID = /^[^\s/\\\p{Cc}]{1,64}$/u;

function refuse(ctx: Context, status: number, error: string): void {
  ctx.status = status;
  ctx.body = { error };
}

/** `YYYY-MM` from `?month=`, the current month when absent; undefined when malformed. */
function monthOf(ctx: Context, now: Date): string | undefined {
  const asked = ctx.query.month;
  if (asked === undefined) return localMonth(now);
  if (typeof asked !== 'string') return undefined;
  try {
    parseMonth(asked);
    return asked;
  } catch {
    return undefined;
  }
}

const named = (roster: Roster, kind: 'townships' | 'workGroups', id: string) => ({
  id,
  name: (kind === 'townships' ? roster.townships.get(id)?.name : roster.workGroups.get(id)?.name) ?? id,
});

function scopeBody(s: DashScope, roster: Roster) {
  return {
    county: s.county,
    townships: s.townships.map((id) => named(roster, 'townships', id)),
    workGroups: s.workGroups.map((id) => named(roster, 'workGroups', id)),
    teamTownships: s.teamTownships.map((id) => named(roster, 'townships', id)),
    units: s.units,
    ...(s.self ? { self: s.self } : {}),
  };
}

function cadreBody(c: Cadre, roster: Roster) {
  const village = roster.villageOf(c);
  const township = roster.townshipOf(c);
  const group = roster.workGroupOf(c);
  return {
    userid: c.userid,
    name: c.name,
    role: c.role,
    teamLeader: c.teamLeader,
    village: { id: village.id, name: village.name },
    township: { id: township.id, name: township.name },
    ...(group ? { workGroup: { id: group.id, name: group.name } } : {}),
    unit: c.sendingUnit,
  };
}

function monthBody(m: MonthFigures) {
  const set = m.target.status === 'set' ? m.target : undefined;
  return {
    month: m.month,
    today: m.today,
    phase: m.phase,
    present: m.present,
    selfReported: m.selfReported,
    presentLeave: m.presentLeave,
    pending: m.pending ?? 0,
    target: set ? set.target : null,
    minimum: set ? set.minimum : null,
    remaining: m.remaining,
    needed: m.needed,
    status: m.status,
    days: m.days.map((d) => ({ date: d.date, mark: d.mark })),
  };
}

function yearBody(y: YearFigures) {
  return {
    period: { start: y.target.period.start, end: y.target.period.end },
    present: y.present,
    target: y.target.target,
    minimum: y.target.minimum,
    elapsed: y.elapsed,
    pace: y.pace,
    remaining: y.remaining,
    needed: y.needed,
    status: y.status,
    shortfallDate: y.shortfallDate,
  };
}

export function createApiRouter(d: ApiDeps): Router<ApiState> {
  const router = createRouter({ prefix: '/api' }) as unknown as Router<ApiState>;
  const guard = jsonApi({ log: d.log, publicUrl: d.publicUrl });

  /** Who is asking, in each route's own chain (as the admin routes do), so no spelling of a path skips it. */
  const signedIn = async (ctx: Context & { state: ApiState }, next: Next) => {
    try {
      const roster = await d.roster.get();
      const who = await principalOf(ctx, { sessions: d.sessions, roster, adminToken: d.adminToken });
      if (who === 'none' || who === 'wrong-token') {
        if (who === 'wrong-token') d.log.warn({ ip: ctx.ip, path: ctx.path }, 'api: wrong bearer token');
        return refuse(ctx, 401, 'sign in first (or send the admin token)');
      }
      if (who === 'not-on-roster') return refuse(ctx, 403, 'not on the roster');
      if (who.kind === 'machine' && ctx.method !== 'GET' && ctx.method !== 'HEAD')
        return refuse(ctx, 403, 'the admin token reads only');
      ctx.state.principal = who;
      ctx.state.roster = roster;
      await next();
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status !== undefined && status < 500) throw err;
      d.log.error({ err, method: ctx.method, path: ctx.path }, 'api: request failed');
      refuse(ctx, 503, 'storage unavailable; try again');
    }
  };
  const chain = [guard, signedIn] as const;

  router.get('/me', ...chain, (ctx) => {
    const p = ctx.state.principal;
    const scope = scopeBody(p.scope, ctx.state.roster);
    ctx.set('Cache-Control', 'no-store');
    ctx.body =
      p.kind === 'machine'
        ? { kind: 'machine', readOnly: true, roles: [], scope }
        : { kind: 'person', userid: p.userid, name: p.name, roles: p.roles, scope };
  });

  router.get('/cadres', ...chain, (ctx) => {
    const roster = ctx.state.roster;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { cadres: cadresInScope(ctx.state.principal.scope, roster).map((c) => cadreBody(c, roster)) };
  });

  router.get('/cadres/:userid/month', ...chain, async (ctx) => {
    const { roster, principal } = ctx.state;
    const userid = ctx.params.userid ?? '';
    const now = d.clock.now();
    const month = monthOf(ctx, now);
    if (!ID.test(userid)) return refuse(ctx, 404, 'no such cadre');
    if (!month) return refuse(ctx, 400, 'month must be written YYYY-MM, e.g. ?month=2026-11');
    if (!canReadCadre(principal.scope, roster, userid))
      return principal.scope.county
        ? refuse(ctx, 404, 'no such cadre')
        : refuse(ctx, 403, 'this cadre is outside your scope');
    const cadre = roster.cadres.get(userid)!;
    const read = await monthFiguresFor(d.src, [cadre], { now, months: [month], onlyListed: true });
    const f = read.figures.get(userid)!;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      cadre: cadreBody(cadre, roster),
      closed: read.basis.get(month)?.closed !== undefined,
      month: monthBody(f.month),
      year: yearBody(f.year),
    };
  });

  router.get('/townships/:id', ...chain, async (ctx) => {
    const { roster, principal } = ctx.state;
    const id = ctx.params.id ?? '';
    const now = d.clock.now();
    const month = monthOf(ctx, now);
    if (!ID.test(id)) return refuse(ctx, 404, 'no such township');
    if (!month) return refuse(ctx, 400, 'month must be written YYYY-MM, e.g. ?month=2026-11');
    if (!canReadTownship(principal.scope, id)) return refuse(ctx, 403, 'this township is outside your scope');
    if (!roster.townships.has(id)) return refuse(ctx, 404, 'no such township');
    const rollup = await loadRollup(d.src, roster, { county: false, townships: [id] }, month, now);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      month: rollup.month,
      previousMonth: rollup.previousMonth,
      today: rollup.today,
      phase: rollup.phase,
      township: rollup.townships[0]!,
      atRisk: rollup.atRisk,
    };
  });

  return router;
}
