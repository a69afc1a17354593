/**
 * The villagers' 评议 page: `GET /pingyi/<village>` shows a short form (code, 满意/基本满意/不满意, optional
 * comment and name), `POST /pingyi/<village>` answers it once per code, `GET /pingyi/<village>/qr.svg` is the QR
 * code of the page's link. No WeCom sign-in and no script: it works in WeChat's in-app browser, where villagers
 * open it. Every route is limited per client address; a code is checked against its hash only.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import QRCode from 'qrcode';
import type { Clock } from '../core/clock.js';
import { readRawBody } from '../http/body.js';
import { createRouter } from '../http/router.js';
import type { Logger } from '../log.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { RosterStore } from '../roster/store.js';
import { PAGE_RATE_DEFAULT, rateLimited, type RateLimit } from '../checkin-page/rate-limit.js';
import * as T from '../../templates/assess.js';
import { MAX_COMMENT_CHARS, MAX_NAME_CHARS, isAnswer, type Answer } from '../assess/model.js';
import type { AssessRepo } from '../assess/repo.js';
import { answerWithCode, type AnswerOutcome } from '../assess/service.js';

export interface ReviewPageDeps {
  redis: RedisClient;
  keys: Keys;
  repo: AssessRepo;
  clock: Clock;
  log: Logger;
  roster: RosterStore;
  publicUrl: string;
  rateLimit?: RateLimit;
}

const VILLAGE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Largest form accepted (bytes): the comment's characters at most 3 bytes each, percent-encoded. */
const FORM_LIMIT = 16 * 1024;

const REFUSAL: Record<Exclude<AnswerOutcome['kind'], 'answered'>, { status: number; text: string; final: boolean }> = {
  unknown: { status: 400, text: T.pageCodeUnknown, final: false },
  'other-village': { status: 400, text: T.pageCodeOtherVillage, final: false },
  used: { status: 409, text: T.pageCodeUsed, final: true },
  expired: { status: 410, text: T.pageExpired, final: true },
  'no-round': { status: 410, text: T.pageNoRound, final: true },
};

export function createReviewRouter(d: ReviewPageDeps): Router {
  const router = createRouter();
  const limit = rateLimited(
    { redis: d.redis, keys: d.keys, log: d.log, name: 'pingyi', limit: d.rateLimit ?? PAGE_RATE_DEFAULT },
    { refused: T.messagePage(T.pageTooMany, false), unavailable: T.messagePage(T.pageUnavailable, false) },
  );

  router.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status !== undefined && status < 500) {
        ctx.status = status;
      } else {
        d.log.error({ err, method: ctx.method, path: ctx.path }, '评议 page: request failed');
        ctx.status = 503;
      }
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = T.messagePage(T.pageUnavailable, false);
    }
  });

  /** The village and its cadres of the current round, or a page saying why not. */
  async function village(id: string) {
    if (!VILLAGE_ID.test(id)) return { error: { status: 404, text: T.pageUnknownVillage } };
    const roster = await d.roster.get();
    const v = roster.villages.get(id);
    if (!v) return { error: { status: 404, text: T.pageUnknownVillage } };
    const round = await d.repo.current();
    if (!round || !round.villages.includes(v.id)) return { error: { status: 404, text: T.pageNoRound } };
    if (round.status !== 'open') return { error: { status: 410, text: T.pageExpired } };
    const cadres = round.cadres.filter((u) => roster.cadres.get(u)?.village === v.id);
    return { village: v, names: cadres.map((u) => roster.cadres.get(u)!.name) };
  }

  const html = (ctx: { type: string; set(k: string, v: string): void }) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
  };

  /** An HTML answer for the village in the path: its round's cadres, or (undefined) the page saying why not. */
  async function pageVillage(ctx: Context & { params: Record<string, string | undefined> }) {
    html(ctx);
    const found = await village(ctx.params.village!);
    if (!('error' in found)) return found;
    ctx.status = found.error!.status;
    ctx.body = T.messagePage(found.error!.text, false);
    return undefined;
  }

  router.get('/pingyi/:village/qr.svg', limit, async (ctx) => {
    const id = ctx.params.village!;
    if (!VILLAGE_ID.test(id) || !(await d.roster.get()).villages.get(id)) {
      ctx.status = 404;
      return;
    }
    ctx.type = 'image/svg+xml';
    ctx.body = await QRCode.toString(`${d.publicUrl}/pingyi/${id}`, { type: 'svg', margin: 1 });
  });

  router.get('/pingyi/:village', limit, async (ctx) => {
    const found = await pageVillage(ctx);
    if (!found) return;
    const code = typeof ctx.query.code === 'string' ? ctx.query.code.slice(0, 16) : undefined;
    ctx.body = T.reviewPage({
      village: found.village.name,
      cadres: found.names,
      action: `/pingyi/${found.village.id}`,
      maxComment: MAX_COMMENT_CHARS,
      ...(code ? { code } : {}),
    });
  });

  router.post('/pingyi/:village', limit, async (ctx) => {
    const found = await pageVillage(ctx);
    if (!found) return;
    const form = new URLSearchParams(await readRawBody(ctx.req, FORM_LIMIT));
    const code = (form.get('code') ?? '').trim().slice(0, 32);
    const answerWord = form.get('answer') ?? '';
    const comment = (form.get('comment') ?? '').trim();
    const name = (form.get('name') ?? '').trim();
    const again = (error: string, status = 400) => {
      ctx.status = status;
      ctx.body = T.reviewPage({
        village: found.village.name,
        cadres: found.names,
        action: `/pingyi/${found.village.id}`,
        maxComment: MAX_COMMENT_CHARS,
        error,
        code,
        comment,
        name,
        ...(isAnswer(answerWord) ? { answer: answerWord } : {}),
      });
    };
    if (!isAnswer(answerWord)) return again(T.pageNoChoice);
    if ([...comment].length > MAX_COMMENT_CHARS) return again(T.pageTooLong(MAX_COMMENT_CHARS));
    if ([...name].length > MAX_NAME_CHARS) return again(T.pageTooLong(MAX_NAME_CHARS));
    const answer: Answer = answerWord;
    const outcome = await answerWithCode(
      { redis: d.redis, repo: d.repo },
      {
        village: found.village.id,
        code,
        answer,
        now: d.clock.now(),
        ...(comment ? { comment } : {}),
        ...(name ? { name } : {}),
      },
    );
    if (outcome.kind === 'answered') {
      d.log.info({ village: found.village.id }, '评议 answered');
      ctx.body = T.messagePage(T.pageThanks, true);
      return;
    }
    const r = REFUSAL[outcome.kind];
    d.log.warn({ village: found.village.id, outcome: outcome.kind }, '评议 refused');
    if (!r.final) return again(r.text, r.status);
    ctx.status = r.status;
    ctx.body = T.messagePage(r.text, false);
  });

  return router;
}
