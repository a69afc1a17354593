/**
 * The dashboard's pages: one shell per page (templates/dash-pages.ts) that the browser code (src/dash/web/)
 * fills from the JSON API, and the bundled browser files (assets.ts). A page needs a session (without one it
 * goes to `/dash`, which signs in); a page about a township, work group, sending unit, village or cadre
 * outside the person's scope is refused here already (403), and the API refuses it again. Every page carries a
 * content security policy that allows only this site's files: no inline script or style.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { unavailableOnFailure } from '../http/guard.js';
import { createRouter } from '../http/router.js';
import type { Logger } from '../log.js';
import type { Roster } from '../roster/roster.js';
import type { RosterStore } from '../roster/store.js';
import * as P from '../../templates/dash-pages.js';
import * as T from '../../templates/dash.js';
import { ASSET_PREFIX, dashAssets, serveAsset } from './assets.js';
import { principalOf, type Principal } from './principal.js';
import { canReadCadre, canReadGroup, canReadTownship, canReadUnit, canReadVillage, type DashScope } from './scope.js';
import type { DashSessions } from './session.js';

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

/** The sign-in and refusal pages (templates/dash.ts): their own style element, and no script at all. */
const CSP_PLAIN =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; " +
  "frame-ancestors 'self'";

/** An id in a page's path as a roster writes ids (no spaces, separators or control characters, at most 64). */
// A dot segment (`.`, `..`) is another spelling of the folder above, never an id.
const PAGE_ID = /^(?!\.{1,2}$)[^\s/\\;\p{Cc}]{1,64}$/u;

type Person = Extract<Principal, { kind: 'person' }>;

export interface PagesDeps {
  roster: RosterStore;
  sessions: DashSessions;
  log: Logger;
}

/** The navigation of a scope: the person's own pages first, then the lists everyone has. */
export function navOf(s: DashScope, roster: Roster): P.NavLink[] {
  const links: P.NavLink[] = [];
  if (s.county) links.push({ label: P.nav.county, href: '/dash/county' });
  for (const id of s.townships)
    links.push({ label: roster.townships.get(id)?.name ?? id, href: `/dash/townships/${encodeURIComponent(id)}` });
  for (const id of s.workGroups)
    links.push({ label: roster.workGroups.get(id)?.name ?? id, href: `/dash/groups/${encodeURIComponent(id)}` });
  if (!s.county)
    for (const unit of s.units) links.push({ label: unit, href: `/dash/units/${encodeURIComponent(unit)}` });
  if (s.self) links.push({ label: P.nav.self, href: `/dash/cadres/${encodeURIComponent(s.self)}` });
  links.push({ label: P.nav.announcements, href: '/dash/announcements' });
  links.push({ label: P.nav.approvals, href: '/dash/approvals' });
  links.push({ label: P.nav.downloads, href: '/dash/downloads' });
  if (s.county) {
    links.push({ label: P.nav.outbox, href: '/dash/outbox' });
    links.push({ label: P.nav.audit, href: '/dash/audit' });
  }
  return links;
}

/** The page `/dash` opens on: the widest view of the scope. */
export function homeOf(s: DashScope): P.ShellPage {
  if (s.county) return { page: 'county' };
  if (s.townships[0]) return { page: 'township', id: s.townships[0] };
  if (s.workGroups[0]) return { page: 'group', id: s.workGroups[0] };
  if (s.units[0]) return { page: 'unit', id: s.units[0] };
  return { page: 'cadre', id: s.self ?? '' };
}

const hrefOf = (p: P.ShellPage) =>
  ({
    county: '/dash/county',
    township: '/dash/townships/',
    group: '/dash/groups/',
    unit: '/dash/units/',
    village: '/dash/villages/',
    cadre: '/dash/cadres/',
  })[p.page] + (p.id === undefined ? '' : encodeURIComponent(p.id));

/** Whether the scope may open the page (the API checks each call again). */
function mayOpen(s: DashScope, roster: Roster, p: P.ShellPage, person: Person): boolean {
  const id = p.id ?? '';
  switch (p.page) {
    case 'township':
      return canReadTownship(s, id);
    case 'cadre':
      return canReadCadre(s, roster, id);
    case 'group':
      return canReadGroup(s, roster, id);
    case 'unit':
      return canReadUnit(s, id);
    case 'village':
      return canReadVillage(s, roster, id);
    case 'county':
      return s.county;
    case 'outbox':
    case 'audit':
      return s.county && person.roles.includes('org');
    default:
      return true;
  }
}

function secure(ctx: Context, csp = CSP): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Content-Security-Policy', csp);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'same-origin');
}

/** Answer a page: the shell for a person signed in and in scope; otherwise sign in, or 403. */
export async function sendPage(ctx: Context, d: PagesDeps, asked: P.ShellPage | 'home'): Promise<void> {
  const roster = await d.roster.get();
  const who = await principalOf(ctx, { sessions: d.sessions, roster, adminToken: undefined });
  secure(ctx, CSP_PLAIN);
  ctx.type = 'text/html; charset=utf-8';
  if (typeof who === 'string' || who.kind !== 'person') {
    if (/wxwork/i.test(ctx.get('user-agent'))) return ctx.redirect('/dash/login');
    if (asked !== 'home') return ctx.redirect('/dash');
    ctx.body = T.signInPage();
    return;
  }
  const page = asked === 'home' ? homeOf(who.scope) : asked;
  if (!mayOpen(who.scope, roster, page, who)) {
    d.log.warn({ user: who.userid, page: page.page, id: page.id }, 'dashboard: page outside the scope refused');
    ctx.status = 403;
    ctx.body = T.messagePage(P.refused);
    return;
  }
  const assets = await dashAssets();
  secure(ctx);
  const nav = navOf(who.scope, roster);
  ctx.body = P.shell({
    name: who.name,
    roles: who.roles.map((r) => T.roleNames[r] ?? r).join('、'),
    nav,
    apiLinks: apiLinksOf(who.scope, roster),
    page,
    current: asked === 'home' ? hrefOf(page) : ctx.path,
    script: assets.script,
    style: assets.style,
  });
}

/** The JSON behind the scope, for those who read the API. */
function apiLinksOf(s: DashScope, roster: Roster): P.NavLink[] {
  const links: P.NavLink[] = [
    { label: '/api/me', href: '/api/me' },
    { label: '/api/cadres', href: '/api/cadres' },
  ];
  for (const id of s.townships)
    links.push({ label: roster.townships.get(id)?.name ?? id, href: `/api/townships/${encodeURIComponent(id)}` });
  if (s.self) links.push({ label: P.nav.self, href: `/api/cadres/${encodeURIComponent(s.self)}/month` });
  return links;
}

export function createDashPagesRouter(d: PagesDeps): Router {
  const router = createRouter();
  // Storage down: a sentence with 503, as the sign-in pages and the API answer it.
  router.use(
    unavailableOnFailure(d.log, 'dashboard page', (ctx) => {
      ctx.type = 'text/html; charset=utf-8';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = T.messagePage(T.unavailable);
    }),
  );
  const fixed = ['county', 'announcements', 'approvals', 'outbox', 'audit', 'downloads'];
  for (const page of fixed) router.get(`/dash/${page}`, (ctx) => sendPage(ctx, d, { page }));
  const withId = {
    townships: 'township',
    groups: 'group',
    units: 'unit',
    villages: 'village',
    cadres: 'cadre',
    // One announcement's read status: the API counts only the recipients within the viewer's scope.
    announcements: 'announcement',
  };
  for (const [path, page] of Object.entries(withId))
    router.get(`/dash/${path}/:id`, async (ctx) => {
      const id = ctx.params.id ?? '';
      // Another spelling of a page (a matrix parameter, an escaped space) is no page: 404, as the API answers.
      if (!PAGE_ID.test(id)) {
        ctx.status = 404;
        ctx.set('Cache-Control', 'no-store');
        ctx.body = 'no such page';
        return;
      }
      await sendPage(ctx, d, { page, id });
    });
  router.get(`${ASSET_PREFIX}:file`, async (ctx) => {
    const asset = (await dashAssets()).files.get(ctx.params.file ?? '');
    if (!asset) {
      ctx.status = 404;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = 'no such file';
      return;
    }
    serveAsset(ctx, asset);
  });
  return router;
}
