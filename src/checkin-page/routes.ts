/**
 * The check-in page: `GET /checkin?code=…` (WeCom OAuth redirect) identifies the user, renders the page with
 * the JS-SDK signatures; the page posts the device location to `POST /checkin/submit`, which becomes a
 * normal `Update` (channel `page`, kind `location`) handed to the bot core, so the page obeys the same rules
 * and de-duplication as every other source.
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
import { readJson } from '../http/json.js';

/** What the page needs from WeCom: OAuth and the two JS-SDK tickets. */
export interface PageWecom {
  corpId: string;
  agentId: string;
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
}

const SESSION_TTL_S = 15 * 60;

const submission = z.object({
  token: z.string().regex(/^[0-9a-f]{32}$/),
  attempt: z.number().int().min(0).max(1000).default(0),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  accuracy: z.number().min(0).optional(),
});

export function createCheckinRouter(d: CheckinPageDeps): Router {
  const router = createRouter();

  router.get('/checkin/page.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.body = pageScript;
  });

  router.get('/checkin', async (ctx) => {
    const code = typeof ctx.query.code === 'string' ? ctx.query.code : '';
    ctx.type = 'text/html; charset=utf-8';
    let userId: string;
    try {
      if (!code) throw new Error('no code');
      userId = await d.wecom.userIdFromCode(code);
    } catch (err) {
      d.log.warn({ err, path: ctx.path }, 'check-in page: OAuth code refused');
      ctx.status = 401;
      ctx.body = T.pageExpired;
      return;
    }
    const roster = await d.roster.get();
    const cadre = roster.cadres.get(userId);
    if (!cadre) {
      ctx.status = 403;
      ctx.body = T.notACadre;
      return;
    }
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
    await d.redis.set(d.keys.checkinSession(token), userId, 'EX', SESSION_TTL_S);
    // The JS-SDK signs the exact page URL without the fragment.
    const url = `${d.publicUrl}${ctx.originalUrl}`.split('#')[0]!;
    // The page carries a session token: never cache it.
    ctx.set('Cache-Control', 'no-store');
    const config = getJsApiSignature({ url, ticket: corpTicket });
    const agent = getJsApiSignature({ url, ticket: agentTicket });
    ctx.body = checkinPage({
      name: cadre.name,
      villageName: roster.villageOf(cadre).name,
      token,
      config: { corpId: d.wecom.corpId, agentId: d.wecom.agentId, ...config, timestamp: Number(config.timestamp) },
      agentConfig: { ...agent, timestamp: Number(agent.timestamp) },
      scripts: d.scripts,
    });
  });

  router.post('/checkin/submit', async (ctx) => {
    const parsed = submission.safeParse(await readJson(ctx, 4096));
    if (!parsed.success) {
      d.log.warn({ issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'check-in page: bad submission');
      ctx.status = 400;
      ctx.body = { ok: false, text: T.pageSubmitFailed };
      return;
    }
    const { token, attempt, lat, lng, accuracy } = parsed.data;
    const userId = await d.redis.get(d.keys.checkinSession(token));
    if (!userId) {
      ctx.status = 401;
      ctx.body = { ok: false, text: T.pageExpired };
      return;
    }
    const update: Update = {
      id: `page:${token}:${attempt}`,
      channel: 'page',
      userId,
      chatType: 'single',
      kind: 'location',
      location: { lat, lng, source: 'page', ...(accuracy !== undefined ? { precision: accuracy } : {}) },
      time: d.clock.now(),
    };
    const { reply } = await d.bot.handle(update);
    ctx.body = { ok: true, text: reply?.text ?? '', counts: reply?.meta?.counts ?? false };
  });

  return router;
}
