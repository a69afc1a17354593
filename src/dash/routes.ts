/**
 * Signing in to the dashboard, and its first page. Inside WeCom, `GET /dash/login` issues an OAuth `state`
 * bound to this browser (as the check-in page does, oauth-state.ts) and redirects to WeCom's authorize URL; at
 * a PC, `GET /dash/login/web` does the same towards WeCom's web login (扫码登录). Both come back to
 * `GET /dash/callback?code=…&state=…`, which uses up the state (a forged, replayed or other page's state is
 * refused before WeCom is asked), turns the code into a userid once (code-exchange.ts, `auth/getuserinfo`),
 * and starts a session (session.ts) for someone on the roster with something to see, recorded in the audit trail. `POST /dash/logout` ends
 * it. `GET /dash` opens the widest page of the person's scope (page-shell.ts); without a session it offers both
 * ways to sign in (inside WeCom's browser it goes straight to the OAuth step).
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { unavailableOnFailure } from '../http/guard.js';
import { createRouter } from '../http/router.js';
import { oneOffId } from '../audit/actor.js';
import { appendAudit } from '../audit/trail.js';
import type { Clock } from '../core/clock.js';
import { userOfCode, type ExchangeLimits } from '../checkin-page/code-exchange.js';
import { consumeState, issueState } from '../checkin-page/oauth-state.js';
import { PAGE_RATE_DEFAULT, rateLimited, type RateLimit } from '../checkin-page/rate-limit.js';
import type { Logger } from '../log.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { RosterStore } from '../roster/store.js';
import * as T from '../../templates/dash.js';
import { dashSignIn } from '../../templates/audit.js';
import { sendPage } from './page-shell.js';
import { dashScope, isEmpty } from './scope.js';
import type { DashSessions } from './session.js';

/** What signing in needs from WeCom. */
export interface DashWecom {
  /** WeCom's OAuth authorize URL (inside WeCom) coming back to `/dash/callback` with `state`. */
  authorizeUrl(state: string): string;
  /** WeCom's web login URL (扫码登录 at a PC) coming back to `/dash/callback` with `state`. */
  webLoginUrl(state: string): string;
  /** `auth/getuserinfo`: the userid of a code; throws `CodeRefused` for someone outside the organisation. */
  userIdFromCode(code: string): Promise<string>;
}

export interface DashDeps {
  redis: RedisClient;
  keys: Keys;
  log: Logger;
  roster: RosterStore;
  publicUrl: string;
  sessions: DashSessions;
  /** The domain clock: the time a sign-in is recorded at in the audit trail. */
  clock: Clock;
  wecom: DashWecom;
  rateLimit?: RateLimit;
  exchange?: ExchangeLimits;
}

/** Life of a sign-in's OAuth state (s). */
const STATE_TTL_S = 10 * 60;

export function createDashRouter(d: DashDeps): Router {
  // Full paths, no prefix: a prefixed `/` would be `/dash/` under exact routing.
  const router = createRouter();
  const secure = d.publicUrl.startsWith('https:');
  const limit = (name: string) =>
    rateLimited(
      { redis: d.redis, keys: d.keys, log: d.log, name, limit: d.rateLimit ?? PAGE_RATE_DEFAULT },
      { refused: T.tooManyRequests, unavailable: T.unavailable },
    );
  const html = (ctx: Context, status: number, body: string) => {
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  };

  // A storage failure is a sentence with 503, never a bare 500.
  router.use(unavailableOnFailure(d.log, 'dashboard', (ctx) => html(ctx, 503, T.messagePage(T.unavailable))));

  const startSignIn = (to: (state: string) => string) => async (ctx: Context) => {
    const state = await issueState(ctx, d.redis, d.keys, { ttlS: STATE_TTL_S, secure, purpose: { kind: 'dashboard' } });
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(to(state));
  };
  router.get(
    '/dash/login',
    limit('dash-login'),
    startSignIn((s) => d.wecom.authorizeUrl(s)),
  );
  router.get(
    '/dash/login/web',
    limit('dash-login'),
    startSignIn((s) => d.wecom.webLoginUrl(s)),
  );

  router.get('/dash/callback', limit('dash-callback'), async (ctx) => {
    const purpose = await consumeState(ctx, d.redis, d.keys, 'dashboard');
    if (purpose?.kind !== 'dashboard') {
      d.log.warn({ path: ctx.path, ip: ctx.ip }, 'dashboard: OAuth state missing, forged, used or not a sign-in');
      return html(ctx, 401, T.messagePage(T.expired));
    }
    const code = typeof ctx.query.code === 'string' ? ctx.query.code : '';
    const who = await userOfCode(d, code);
    if ('refused' in who) {
      d.log.warn({ err: who.refused, path: ctx.path }, 'dashboard: OAuth code refused');
      return html(ctx, 401, T.messagePage(T.expired));
    }
    const { userid } = who;
    const roster = await d.roster.get();
    const person = roster.person(userid);
    if (!person || isEmpty(dashScope(person, roster))) {
      d.log.warn({ user: userid }, 'dashboard: signed in with WeCom but has nothing to see');
      return html(ctx, 403, T.messagePage(T.notOnRoster));
    }
    await d.sessions.start(ctx, userid);
    await appendAudit(d.redis, d.keys, {
      kind: 'dash.signin',
      actor: userid,
      channel: 'dashboard',
      at: d.clock.now().getTime(),
      id: oneOffId('dash.signin', userid),
      ref: userid,
      summary: dashSignIn,
      ip: ctx.ip,
    });
    d.log.info({ user: userid, ip: ctx.ip }, 'dashboard: signed in');
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect('/dash');
  });

  // A form on the page posts here; another site's form is refused (SameSite=Lax keeps the cookie off it anyway).
  router.post('/dash/logout', async (ctx) => {
    const origin = ctx.get('origin');
    const own = [new URL(d.publicUrl).origin, `${ctx.protocol}://${ctx.host}`];
    if ((origin && !own.includes(origin)) || ctx.get('sec-fetch-site') === 'cross-site') {
      ctx.status = 403;
      ctx.body = 'cross-site requests are not accepted';
      return;
    }
    await d.sessions.end(ctx);
    html(ctx, 200, T.messagePage(T.signedOut));
  });

  // The first page: the widest view of the person's scope (page-shell.ts), or signing in.
  router.get('/dash', (ctx) => sendPage(ctx, { roster: d.roster, sessions: d.sessions, log: d.log }, 'home'));

  return router;
}
