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
import { jsonApi, unavailableOnFailure } from '../http/guard.js';
import type { FiguresSource } from '../attendance/figures.js';
import type { MonthFigures } from '../attendance/accounting.js';
import type { YearFigures } from '../attendance/annual.js';
import { monthFiguresFor } from '../close/read.js';
import type { Clock } from '../core/clock.js';
import { localMonth, parseMonth } from '../kit/dates.js';
import type { Logger } from '../log.js';
import type { Roster } from '../roster/roster.js';
import type { RosterStore } from '../roster/store.js';
import type { Rollup } from '../rollup/rollup.js';
import { loadRollup } from '../rollup/service.js';
import { principalOf, type Principal } from './principal.js';
import { canReadCadre, canReadTownship, cadresInScope, type DashScope } from './scope.js';
import type { DashSessions } from './session.js';
import { oneOffId } from '../audit/actor.js';
import { readAuditPage } from '../audit/read.js';
import { appendAudit, stageAudit } from '../audit/trail.js';
import type { Deps } from '../core/deps.js';
import { readJson } from '../http/json.js';
import { localDate } from '../kit/dates.js';
import { decideStep, type LeaveDecision } from '../leave/decide-step.js';
import { currentStep } from '../leave/workflow.js';
import type { OutboxEntry } from '../outbox/inspect.js';
import { loadPoints } from '../points/load.js';
import { pointsView } from '../points/view.js';
import { sixOnesOf } from '../reports/six-ones.js';
import { unitScope } from '../rollup/service.js';
import { exportBulletin } from '../sheet/bulletin.js';
import { exportSheet } from '../sheet/build.js';
import { isCluster } from '../redis/client.js';
import { dropEntries } from '../redis/stream.js';
import { Tx, TxConflict } from '../redis/tx.js';
import { isPending } from '../notices/notice.js';
import { draftFileName, sheetFileName } from '../../templates/bulletin.js';
import { exportSent, reportDraftExport, sheetExport } from '../../templates/audit.js';
import { ROLE_NAMES } from '../../templates/common.js';
import { downloadTitles } from '../../templates/dash-pages.js';
import {
  cadreBody,
  groupCadres,
  leaveBrief,
  loadDetail,
  loadVillage,
  noticeBrief,
  reportBrief,
  townshipCadres,
  unitCadres,
  yearDays,
} from './pages.js';
import { canReadGroup, canReadUnit, canReadVillage } from './scope.js';

export interface ApiDeps {
  /** Figures are read as everywhere else (`Deps` fits: the policy in force, the calendar, the repositories). */
  src: FiguresSource & Pick<Deps, 'repos' | 'outbox' | 'notices' | 'calendar' | 'policy'>;
  /** The outbox's failed messages (`Outbox.list({ failed: true })`); absent: none to show. */
  failedMessages?: () => Promise<OutboxEntry[]>;
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

/** Announcements looked at (the latest), newest first. */
const ANNOUNCEMENTS_SHOWN = 50;
/** The header every POST must carry (CSRF). */
export const CSRF_HEADER = 'zhucun-dash';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Whether a recipient is within the scope: the county reads everyone; others the cadres they read. */
function recipientsInScope(s: DashScope, roster: Roster): (userid: string) => boolean {
  return (userid) => s.county || canReadCadre(s, roster, userid);
}

function announcementBrief(
  a: { no: string; text: string; from?: string; createdAt: string; withdrawnAt?: string },
  mine: readonly string[],
  reads: Record<string, string>,
) {
  return {
    no: a.no,
    text: a.text,
    from: a.from ?? ROLE_NAMES.org,
    createdAt: a.createdAt,
    withdrawn: a.withdrawnAt !== undefined,
    recipients: mine.length,
    read: mine.filter((u) => reads[u]).length,
  };
}

/** What a scoped sheet is named after: its townships, work groups and units, or the cadre. */
function scopeLabel(s: DashScope, roster: Roster): string {
  const names = [
    ...s.townships.map((id) => roster.townships.get(id)?.name ?? id),
    ...s.workGroups.map((id) => roster.workGroups.get(id)?.name ?? id),
    ...s.teamTownships.map((id) => roster.townships.get(id)?.name ?? id),
    ...s.units,
  ];
  if (names.length) return names.join('、');
  return (s.self && roster.cadres.get(s.self)?.name) || '';
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
  };
  const unavailable = unavailableOnFailure(d.log, 'api', (ctx) => refuse(ctx, 503, 'storage unavailable; try again'));
  const chain = [guard, unavailable, signedIn] as const;

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
    const [rollup, detail] = await Promise.all([
      loadRollup(d.src, roster, { county: false, townships: [id] }, month, now),
      loadDetail(d.src, roster, townshipCadres(roster, id, localDate(now)), now),
    ]);
    const { waiting, today: _today, ...rest } = detail;
    const viewer = principal.kind === 'person' ? principal.userid : undefined;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      ...periodOf(rollup),
      township: rollup.townships[0]!,
      atRisk: rollup.atRisk,
      ...rest,
      waitingOnMe: viewer ? waiting.filter((r) => currentStep(r)?.approvers.includes(viewer)).length : 0,
    };
  });

  /** 403 for a scope that is not the county's (the organisation department's pages). */
  const countyOnly = async (ctx: Context & { state: ApiState }, next: Next) => {
    if (!ctx.state.principal.scope.county) return refuse(ctx, 403, 'for the organisation department only');
    await next();
  };

  router.get('/county', ...chain, countyOnly, async (ctx) => {
    const { roster } = ctx.state;
    const now = d.clock.now();
    const month = monthOf(ctx, now);
    if (!month) return refuse(ctx, 400, 'month must be written YYYY-MM, e.g. ?month=2026-11');
    const all = [...roster.townships.keys()];
    const ids = roster.data.cadres.map((c) => c.userid);
    const [rollup, leaves, notices, problems] = await Promise.all([
      loadRollup(d.src, roster, { county: true, townships: all }, month, now),
      d.src.repos.leave.ofUsers(ids),
      d.src.repos.notices.open(),
      d.src.repos.problems.open(),
    ]);
    const townshipOf = (userid: string) => {
      const c = roster.cadres.get(userid);
      return c && roster.villages.get(c.village)?.township;
    };
    // Each list counted once by township, then looked up per row.
    const countBy = <T>(items: Iterable<T>, townshipOfItem: (x: T) => string | undefined) => {
      const out = new Map<string, number>();
      for (const x of items) {
        const t = townshipOfItem(x);
        if (t !== undefined) out.set(t, (out.get(t) ?? 0) + 1);
      }
      return out;
    };
    const waiting = countBy(
      [...leaves.values()].flat().filter((r) => r.status === 'pending'),
      (r) => townshipOf(r.userId),
    );
    const openNotices = countBy(
      notices.filter((n) => isPending(n)),
      (n) => n.township.id,
    );
    const openProblems = countBy(problems, (p) => p.township);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      ...periodOf(rollup),
      total: rollup.total,
      // Roster order, as the roll-up gives them: no ranking.
      townships: rollup.townships.map((t) => ({
        counts: t,
        pendingApprovals: waiting.get(t.id) ?? 0,
        openNotices: openNotices.get(t.id) ?? 0,
        openProblems: openProblems.get(t.id) ?? 0,
      })),
    };
  });

  router.get('/groups/:id', ...chain, async (ctx) => {
    const { roster, principal } = ctx.state;
    const id = ctx.params.id ?? '';
    if (!ID.test(id)) return refuse(ctx, 404, 'no such work group');
    if (!canReadGroup(principal.scope, roster, id)) return refuse(ctx, 403, 'this work group is outside your scope');
    const group = roster.workGroups.get(id);
    if (!group) return refuse(ctx, 404, 'no such work group');
    const now = d.clock.now();
    const { waiting: _w, ...detail } = await loadDetail(d.src, roster, groupCadres(roster, id, localDate(now)), now);
    const township = roster.townships.get(group.township)!;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { group: { id, name: group.name }, township: { id: township.id, name: township.name }, ...detail };
  });

  router.get('/units/:id', ...chain, async (ctx) => {
    const { roster, principal } = ctx.state;
    const unit = ctx.params.id ?? '';
    if (!ID.test(unit)) return refuse(ctx, 404, 'no such sending unit');
    if (!canReadUnit(principal.scope, unit)) return refuse(ctx, 403, 'this sending unit is outside your scope');
    const known =
      (roster.data.sendingUnits ?? []).some((u) => u.name === unit) ||
      roster.data.cadres.some((c) => c.sendingUnit === unit);
    if (!known) return refuse(ctx, 404, 'no such sending unit');
    const now = d.clock.now();
    const date = localDate(now);
    const [rollup, { waiting: _w, ...detail }] = await Promise.all([
      loadRollup(d.src, roster, unitScope(unit), date.slice(0, 7), now),
      loadDetail(d.src, roster, unitCadres(roster, unit, date), now),
    ]);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { unit, rollup: { id: unit, name: unit, ...rollup.total }, ...detail };
  });

  router.get('/villages/:id', ...chain, async (ctx) => {
    const { roster, principal } = ctx.state;
    const id = ctx.params.id ?? '';
    if (!ID.test(id)) return refuse(ctx, 404, 'no such village');
    if (!canReadVillage(principal.scope, roster, id))
      return principal.scope.county
        ? refuse(ctx, 404, 'no such village')
        : refuse(ctx, 403, 'this village is outside your scope');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await loadVillage(d.src, roster, id);
  });

  router.get('/cadres/:userid/year', ...chain, async (ctx) => {
    const { roster, principal } = ctx.state;
    const userid = ctx.params.userid ?? '';
    const now = d.clock.now();
    const asked = ctx.query.year;
    const year = asked === undefined ? Number(localDate(now).slice(0, 4)) : Number(asked);
    if (!ID.test(userid)) return refuse(ctx, 404, 'no such cadre');
    if (typeof (asked ?? '') !== 'string' || !/^\d{4}$/.test(String(asked ?? year)))
      return refuse(ctx, 400, 'year must be written YYYY, e.g. ?year=2026');
    if (!canReadCadre(principal.scope, roster, userid))
      return principal.scope.county
        ? refuse(ctx, 404, 'no such cadre')
        : refuse(ctx, 403, 'this cadre is outside your scope');
    const cadre = roster.cadres.get(userid)!;
    const month = localMonth(now);
    const [read, leave, reports, notices, points] = await Promise.all([
      monthFiguresFor(d.src, [cadre], { now, months: [month], onlyListed: true }),
      d.src.repos.leave.ofUser(userid),
      d.src.repos.reports.ofUser(userid),
      d.src.repos.notices.ofUser(userid),
      loadPoints(d.src, roster, [cadre], undefined, now),
    ]);
    const f = read.figures.get(userid)!;
    const inYear = (iso: string) => localDate(new Date(iso)).startsWith(`${year}-`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      cadre: cadreBody(cadre, roster),
      year,
      days: await yearDays(d.src, userid, year, leave),
      month: {
        cadre: cadreBody(cadre, roster),
        closed: read.basis.get(month)?.closed !== undefined,
        month: monthBody(f.month),
        year: yearBody(f.year),
      },
      leave: leave.map((r) => leaveBrief(r, roster)),
      reports: reports
        .filter((r) => inYear(r.createdAt) && new Date(r.createdAt) <= now)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .map(reportBrief),
      sixOnes: sixOnesOf(roster, cadre, reports, now, d.src.policy.reports.firstMonthDays),
      notices: notices.map(noticeBrief),
      points: points[0] ? pointsView(points[0], roster, localDate(now)) : {},
    };
  });

  router.get('/announcements', ...chain, async (ctx) => {
    const { roster, principal } = ctx.state;
    const nos = await d.src.repos.announcements.recentNumbers(ANNOUNCEMENTS_SHOWN);
    const states = await Promise.all(nos.map((no) => d.src.repos.announcements.readState(no)));
    const inScope = recipientsInScope(principal.scope, roster);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      announcements: states
        .filter((st) => st !== undefined)
        .map((st) => ({ st, mine: st.announcement.recipients.filter(inScope) }))
        .filter(({ mine }) => mine.length > 0)
        .map(({ st, mine }) => announcementBrief(st.announcement, mine, st.reads)),
    };
  });

  router.get('/announcements/:id', ...chain, async (ctx) => {
    const { roster, principal } = ctx.state;
    const no = (ctx.params.id ?? '').toUpperCase();
    if (!/^N\d{1,9}$/.test(no)) return refuse(ctx, 404, 'no such announcement');
    const st = await d.src.repos.announcements.readState(no);
    const mine = st ? st.announcement.recipients.filter(recipientsInScope(principal.scope, roster)) : [];
    if (!st || mine.length === 0)
      return principal.scope.county
        ? refuse(ctx, 404, 'no such announcement')
        : refuse(ctx, 403, 'this announcement is outside your scope');
    const name = (u: string) => roster.person(u)?.name ?? u;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      ...announcementBrief(st.announcement, mine, st.reads),
      readBy: mine.filter((u) => st.reads[u]).map((u) => ({ userid: u, name: name(u), at: st.reads[u]! })),
      unread: mine.filter((u) => !st.reads[u]).map((u) => ({ id: u, name: name(u) })),
    };
  });

  router.get('/approvals', ...chain, async (ctx) => {
    const { roster, principal } = ctx.state;
    ctx.set('Cache-Control', 'no-store');
    if (principal.kind !== 'person') return (ctx.body = { approvals: [] });
    const inbox = (await d.src.repos.leave.inbox(principal.userid)).filter((no) => /^Q\d+$/.test(no));
    const requests = await Promise.all(inbox.map((no) => d.src.repos.leave.get(no)));
    ctx.body = {
      approvals: requests
        .filter((r) => r !== undefined && currentStep(r)?.approvers.includes(principal.userid))
        .map((r) => r!)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .flatMap((r) => {
          const cadre = roster.cadres.get(r.userId);
          if (!cadre) return [];
          const step = r.steps.findIndex((x) => !x.decision);
          return [
            {
              no: r.no,
              cadre: cadreBody(cadre, roster),
              leave: leaveBrief(r, roster),
              ...(r.reason ? { reason: r.reason } : {}),
              step: step + 1,
              steps: r.steps.length,
              createdAt: r.createdAt,
            },
          ];
        }),
    };
  });

  /**
   * CSRF: the cookie is SameSite=Lax (another site's sub-requests carry none), `jsonApi` refuses another origin
   * and any body but JSON, and every POST must carry `X-Requested-With: zhucun-dash`, which a form or a plain
   * cross-site request cannot set.
   */
  const sameSite = async (ctx: Context, next: Next) => {
    if (ctx.get('x-requested-with') !== CSRF_HEADER)
      return refuse(ctx, 403, `send the header X-Requested-With: ${CSRF_HEADER}`);
    await next();
  };

  const decideRoute = (decision: LeaveDecision) => async (ctx: Context & { state: ApiState }) => {
    const { roster, principal } = ctx.state;
    if (principal.kind !== 'person') return refuse(ctx, 403, 'the admin token reads only');
    const no = (ctx.params.id ?? '').toUpperCase();
    const body = (await readJson(ctx, 4096)) as { reason?: unknown; comment?: unknown } | undefined;
    const text = decision === 'rejected' ? body?.reason : body?.comment;
    if (text !== undefined && (typeof text !== 'string' || text.length > 500))
      return refuse(ctx, 400, 'the reason or comment must be a string of at most 500 characters');
    const comment = typeof text === 'string' ? text.trim() || undefined : undefined;
    if (decision === 'rejected' && !comment) return refuse(ctx, 400, 'a rejection needs {"reason": "…"}');
    if (!/^Q\d{1,9}$/.test(no)) return refuse(ctx, 404, 'no such leave request');
    const before = await d.src.repos.leave.get(no);
    const involved =
      before &&
      (canReadCadre(principal.scope, roster, before.userId) ||
        before.steps.some((s) => s.approvers.includes(principal.userid)));
    if (!before || !involved) return refuse(ctx, 404, 'no such leave request');
    const now = d.clock.now();
    const outcome = decideStep(d.src.policy, roster, before, principal.userid, decision, now, comment);
    if (!outcome.ok)
      return refuse(
        ctx,
        409,
        outcome.refusal === 'not_pending' ? `${no} is already ${before.status}` : `${no} is not waiting on you`,
      );
    const tx = new Tx();
    d.src.repos.leave.save(tx, outcome.after, { previous: before });
    stageAudit(tx, d.src.keys, {
      ...outcome.audit,
      actor: principal.userid,
      channel: 'dashboard',
      at: now.getTime(),
      id: oneOffId(outcome.audit.kind, no),
      ip: ctx.ip,
    });
    // The messages go into the same commit (the relay stream, as a chat update's do): a decision saved is a
    // decision announced, even when queueing them fails right after.
    const relayKey = d.src.keys.relay(isCluster(d.src.redis) ? principal.userid : undefined);
    const messages = outcome.messages.length ? JSON.stringify(outcome.messages) : undefined;
    let committed;
    try {
      committed = await tx.commit(d.src.redis, {
        seenKey: d.src.keys.seen(principal.userid, `dash:${oneOffId(outcome.audit.kind, no)}`),
        outcome: JSON.stringify({ decision }),
        ttlSeconds: 24 * 3600,
        relay: messages ? { key: relayKey, messages } : undefined,
      });
    } catch (err) {
      if (err instanceof TxConflict) return refuse(ctx, 409, `${no} changed meanwhile; reload and try again`);
      throw err;
    }
    if ('prior' in committed) return refuse(ctx, 409, `${no} is already decided`);
    if (committed.relayId) {
      const id = committed.relayId;
      await d.src.outbox
        .enqueue(outcome.messages)
        .then(() => dropEntries(d.src.redis, relayKey, [id]))
        .catch((err: unknown) =>
          d.log.warn({ err, no }, 'api: queueing after the commit failed; the relay sweep will'),
        );
    }
    d.log.info({ no, decision, status: outcome.after.status, user: principal.userid }, 'api: leave step decided');
    const next = currentStep(outcome.after);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      no,
      decision,
      status: outcome.after.status,
      ...(next ? { waitingOn: leaveBrief(outcome.after, roster).waitingOn ?? [] } : {}),
    };
  };
  router.post('/approvals/:id/approve', ...chain, sameSite, decideRoute('approved'));
  router.post('/approvals/:id/reject', ...chain, sameSite, decideRoute('rejected'));

  router.get('/outbox/failed', ...chain, countyOnly, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { failed: d.failedMessages ? await d.failedMessages() : [] };
  });

  router.get('/audit', ...chain, countyOnly, async (ctx) => {
    const limit = ctx.query.limit === undefined ? 50 : Number(ctx.query.limit);
    const before = ctx.query.before;
    if (!Number.isInteger(limit) || limit < 1 || limit > 200)
      return refuse(ctx, 400, 'limit must be a whole number from 1 to 200');
    if (before !== undefined && (typeof before !== 'string' || !/^\d{1,15}(-\d{1,15})?$/.test(before)))
      return refuse(ctx, 400, 'before must be the previous page’s next');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await readAuditPage(d.src.redis, d.src.keys, { limit, ...(before !== undefined ? { before } : {}) });
  });

  /** A file of `kind` for the caller's scope, or why not. */
  const makeFile = async (
    ctx: Context & { state: ApiState },
    kind: string,
  ): Promise<{ filename: string; bytes: Buffer; summary: string; month: string } | undefined> => {
    const { roster, principal } = ctx.state;
    const now = d.clock.now();
    const month = monthOf(ctx, now);
    if (kind !== 'sheet' && kind !== 'report-draft') return void refuse(ctx, 404, 'no such download');
    if (!month) return void refuse(ctx, 400, 'month must be written YYYY-MM, e.g. ?month=2026-11');
    const scope = principal.scope;
    if (kind === 'report-draft') {
      if (!scope.county) return void refuse(ctx, 403, 'for the organisation department only');
      const draft = await exportBulletin(d.src, roster, month, now);
      const filename = draftFileName(roster.data.county, month);
      return { filename, bytes: draft.bytes, month, summary: reportDraftExport(month, draft.cadres, filename) };
    }
    if (!scope.county && cadresInScope(scope, roster).length === 0)
      return void refuse(ctx, 403, 'no cadres in your scope');
    const only = scope.county ? undefined : (userid: string) => canReadCadre(scope, roster, userid);
    const sheet = await exportSheet(d.src, roster, month, now, only);
    const filename = sheetFileName(scope.county ? roster.data.county : scopeLabel(scope, roster), month);
    return { filename, bytes: sheet.bytes, month, summary: sheetExport(month, sheet.cadres, filename) };
  };

  const audit = (
    ctx: Context & { state: ApiState },
    kind: 'export.sheet' | 'export.report-draft' | 'export.send',
    ref: string,
    summary: string,
  ) => {
    const p = ctx.state.principal;
    return appendAudit(d.src.redis, d.src.keys, {
      kind,
      actor: p.kind === 'person' ? p.userid : 'admin',
      channel: p.kind === 'person' ? 'dashboard' : 'admin',
      at: d.clock.now().getTime(),
      id: oneOffId(kind, ref),
      ref,
      summary,
      ip: ctx.ip,
    });
  };

  router.get('/downloads', ...chain, (ctx) => {
    const { scope } = ctx.state.principal;
    const downloads = [];
    if (scope.county || cadresInScope(scope, ctx.state.roster).length > 0)
      downloads.push({
        kind: 'sheet',
        title: downloadTitles.sheet,
        url: '/api/downloads/sheet',
        send: '/api/downloads/sheet/send',
      });
    if (scope.county)
      downloads.push({
        kind: 'report-draft',
        title: downloadTitles['report-draft'],
        url: '/api/downloads/report-draft',
        send: '/api/downloads/report-draft/send',
      });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { downloads };
  });

  const download = (kind: 'sheet' | 'report-draft') => async (ctx: Context & { state: ApiState }) => {
    const file = await makeFile(ctx, kind);
    if (!file) return;
    // Recorded before the file goes out: one the trail cannot record is not given.
    await audit(ctx, kind === 'sheet' ? 'export.sheet' : 'export.report-draft', file.month, file.summary);
    ctx.set('Cache-Control', 'no-store');
    ctx.set(
      'Content-Disposition',
      `attachment; filename="${kind}-${file.month}${kind === 'sheet' ? '.xlsx' : '.docx'}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    );
    ctx.type = kind === 'sheet' ? XLSX : DOCX;
    ctx.body = file.bytes;
  };
  router.get('/downloads/sheet', ...chain, download('sheet'));
  router.get('/downloads/report-draft', ...chain, download('report-draft'));

  router.post('/downloads/:kind/send', ...chain, sameSite, async (ctx) => {
    const p = ctx.state.principal;
    if (p.kind !== 'person') return refuse(ctx, 403, 'the admin token reads only');
    const kind = ctx.params.kind ?? '';
    const file = await makeFile(ctx, kind);
    if (!file) return;
    const at = d.clock.now().getTime();
    const key = `dash-send:${kind}:${file.month}:${p.userid}:${at}`;
    await d.src.outbox.enqueue([
      {
        key,
        purpose: 'report',
        to: { kind: 'user', userIds: [p.userid] },
        body: { type: 'file', filename: file.filename, contentBase64: file.bytes.toString('base64') },
      },
    ]);
    // Recorded once it is queued: a send that failed to queue is answered 503 and not in the trail.
    await audit(ctx, 'export.send', file.month, exportSent(file.filename));
    ctx.status = 202;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { queued: true, filename: file.filename, key };
  });

  return router;
}

/** The month a roll-up answer is about, as every roll-up page states it first. */
function periodOf(r: Pick<Rollup, 'month' | 'previousMonth' | 'today' | 'phase'>) {
  return { month: r.month, previousMonth: r.previousMonth, today: r.today, phase: r.phase };
}
