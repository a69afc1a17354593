/**
 * The check-in page. `GET /checkin/start` (the link posted in chat) issues an OAuth `state` bound to this
 * browser and redirects to WeCom's authorize URL; WeCom redirects to `GET /checkin?code=…&state=…`, which
 * checks and uses up the state, turns the code into a user (once per code, see code-exchange.ts) and renders
 * the page with the JS-SDK signatures and a single-use session token. The page posts the device location
 * with its accuracy to `POST /checkin/submit`, which becomes a normal `Update` (channel `page`, kind
 * `location`) handed to the bot core, so the page obeys the same rules and de-duplication as every other
 * source. Both GETs are limited per client address, since each can cost the WeCom API quota or storage.
 */
import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { getJsApiSignature } from '@wecom/crypto';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { HandleResult } from '../core/bot.js';
import type { Update } from '../core/update.js';
import type { Logger } from '../log.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { RosterStore } from '../roster/store.js';
import { checkinPage, pageScript } from '../../templates/checkin-page.js';
import * as T from '../../templates/checkin.js';
import * as V from '../../templates/visits.js';
import { isVisitor } from '../visits/visitors.js';
import { jsonApi, unavailableOnFailure } from '../http/guard.js';
import { readJson } from '../http/json.js';
import { userOfCode, type ExchangeLimits } from './code-exchange.js';
import { consumeState, issueState } from './oauth-state.js';
import { PAGE_RATE_DEFAULT, rateLimited, type RateLimit } from './rate-limit.js';

/** What the page needs from WeCom: OAuth and the two JS-SDK tickets. */
export interface PageWecom {
  corpId: string;
  agentId: string;
  /** WeCom's authorize URL that comes back to `GET /checkin` with `state` ([D:91022]). */
  authorizeUrl(state: string): string;
  userIdFromCode(code: string): Promise<string>;
  jsapiTicket(): Promise<string>;
  agentTicket(): Promise<string>;
}

export interface CheckinPageDeps {
  bot: { handle(u: Update): Promise<HandleResult> };
  wecom: PageWecom;
  redis: RedisClient;
  keys: Keys;
  clock: Clock;
  log: Logger;
  roster: RosterStore;
  publicUrl: string;
  /** JS-SDK script URLs (WeCom's, or the sandbox stand-in). */
  scripts: string[];
  /** Requests per client address to each of the two GETs (default 60 a minute). */
  rateLimit?: RateLimit;
  exchange?: ExchangeLimits;
}

/** Life of a session token and of an OAuth state (s): long enough to get a GPS fix, short enough to matter. */
const SESSION_TTL_S = 10 * 60;
/** What a session key holds once its token has been submitted. */
const USED = 'used';
/** Between the user and the village in a visit's session (`u:<userid>|v:<village>`); no userid holds it. */
const VISIT_MARK = '|v:';
/** A village id as the roster writes them. */
const VILLAGE_ID = /^[A-Za-z0-9_-]{1,64}$/;

const submission = z.object({
  token: z.string().regex(/^[0-9a-f]{32}$/),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  accuracy: z.number().min(0).max(1_000_000),
});

export function createCheckinRouter(d: CheckinPageDeps): Router {
  const router = createRouter();
  const limit = (name: string) =>
    rateLimited(
      { redis: d.redis, keys: d.keys, log: d.log, name, limit: d.rateLimit ?? PAGE_RATE_DEFAULT },
      { refused: T.pageTooManyRequests, unavailable: T.pageUnavailable },
    );

  // A storage (or other unexpected) failure is answered 503 with a sentence: nothing was recorded.
  router.use(
    unavailableOnFailure(d.log, 'check-in page', (ctx) => {
      if (ctx.method === 'POST') ctx.body = { ok: false, text: T.pageUnavailable };
      else {
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = T.pageUnavailable;
      }
    }),
  );

  router.get('/checkin/page.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.body = pageScript;
  });

  // `?visit=<village id>`: the page opened for a leader's visit (到村调研) instead of a cadre's check-in.
  router.get('/checkin/start', limit('checkin-start'), async (ctx) => {
    const visit = ctx.query.visit;
    if (visit !== undefined && (typeof visit !== 'string' || !VILLAGE_ID.test(visit))) {
      ctx.status = 400;
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = V.pageUnknownVillage;
      return;
    }
    const state = await issueState(ctx, d.redis, d.keys, {
      ttlS: SESSION_TTL_S,
      secure: d.publicUrl.startsWith('https:'),
      ...(visit !== undefined ? { purpose: { kind: 'visit' as const, village: visit } } : {}),
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(d.wecom.authorizeUrl(state));
  });

  router.get('/checkin', limit('checkin'), async (ctx) => {
    const code = typeof ctx.query.code === 'string' ? ctx.query.code : '';
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    const purpose = await consumeState(ctx, d.redis, d.keys);
    // A state issued for the dashboard's sign-in is no check-in's.
    if (!purpose || purpose.kind === 'dashboard') {
      d.log.warn({ path: ctx.path, ip: ctx.ip }, 'check-in page: OAuth state missing, forged or used');
      ctx.status = 401;
      ctx.body = T.pageExpired;
      return;
    }
    const who = await userOfCode(d, code);
    if ('refused' in who) {
      d.log.warn({ err: who.refused, path: ctx.path }, 'check-in page: OAuth code refused');
      ctx.status = 401;
      ctx.body = T.pageExpired;
      return;
    }
    const userId = who.userid;
    const roster = await d.roster.get();
    const cadre = roster.cadres.get(userId);
    let shown: { name: string; villageName: string; title?: string; retry?: string; session: string };
    if (purpose.kind === 'visit') {
      const person = roster.person(userId);
      const village = roster.villages.get(purpose.village);
      if (!person || !isVisitor(roster, person)) {
        ctx.status = 403;
        ctx.body = V.pageNotAVisitor;
        return;
      }
      if (!village) {
        ctx.status = 404;
        ctx.body = V.pageUnknownVillage;
        return;
      }
      shown = {
        name: person.name,
        villageName: village.name,
        title: V.pageTitle,
        retry: `checkin/start?visit=${encodeURIComponent(village.id)}`,
        session: `u:${userId}${VISIT_MARK}${village.id}`,
      };
    } else if (!cadre) {
      ctx.status = 403;
      ctx.body = T.notACadre;
      return;
    } else shown = { name: cadre.name, villageName: roster.villageOf(cadre).name, session: `u:${userId}` };
    let corpTicket: string;
    let agentTicket: string;
    try {
      [corpTicket, agentTicket] = await Promise.all([d.wecom.jsapiTicket(), d.wecom.agentTicket()]);
    } catch (err) {
      d.log.error({ err, user: userId }, 'check-in page: JS-SDK tickets unavailable');
      ctx.status = 503;
      ctx.body = T.pageUnavailable;
      return;
    }
    const token = randomBytes(16).toString('hex');
    await d.redis.set(d.keys.checkinSession(token), shown.session, 'EX', SESSION_TTL_S);
    // The JS-SDK signs the exact page URL without the fragment.
    const url = `${d.publicUrl}${ctx.originalUrl}`.split('#')[0]!;
    const config = getJsApiSignature({ url, ticket: corpTicket });
    const agent = getJsApiSignature({ url, ticket: agentTicket });
    ctx.body = checkinPage({
      name: shown.name,
      villageName: shown.villageName,
      ...(shown.title ? { title: shown.title } : {}),
      ...(shown.retry ? { retry: shown.retry } : {}),
      token,
      config: { corpId: d.wecom.corpId, agentId: d.wecom.agentId, ...config, timestamp: Number(config.timestamp) },
      agentConfig: { ...agent, timestamp: Number(agent.timestamp) },
      scripts: d.scripts,
    });
  });

  // A browser on another site must not be able to submit a position with a stolen token.
  router.post('/checkin/submit', jsonApi({ log: d.log, publicUrl: d.publicUrl }), async (ctx) => {
    const parsed = submission.safeParse(await readJson(ctx, 4096));
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join('.'));
      d.log.warn({ issues: fields }, 'check-in page: bad submission');
      ctx.status = 400;
      ctx.body = { ok: false, text: fields.includes('accuracy') ? T.pageNoAccuracy : T.pageSubmitFailed };
      return;
    }
    const { token, lat, lng, accuracy } = parsed.data;
    // One submission per token: mark it used and read what it held in one step, keeping its expiry.
    const held = await d.redis.set(d.keys.checkinSession(token), USED, 'KEEPTTL', 'XX', 'GET');
    if (held === USED) {
      d.log.warn({ token: token.slice(0, 8) }, 'check-in page: session token submitted again');
      ctx.status = 409;
      ctx.body = { ok: false, text: T.pageUsed };
      return;
    }
    if (!held?.startsWith('u:')) {
      ctx.status = 401;
      ctx.body = { ok: false, text: T.pageExpired };
      return;
    }
    const [userId = '', village] = held.slice(2).split(VISIT_MARK);
    const update: Update = {
      id: `page:${token}`,
      channel: 'page',
      userId,
      chatType: 'single',
      kind: 'location',
      location: { lat, lng, source: 'page', precision: accuracy, ...(village ? { visit: village } : {}) },
      time: d.clock.now(),
    };
    const { reply } = await d.bot.handle(update);
    ctx.body = { ok: true, text: reply?.text ?? '', counts: reply?.meta?.counts ?? false };
  });

  return router;
}
