/**
 * The WeCom callback edge: `/wecom/app` (self-built app, XML) and `/wecom/bot` (smart robot, JSON), each with
 * GET for URL verification and POST for messages. A route only verifies, decrypts, parses, hands the `Update`
 * to the bot core and encrypts its answer; it holds no business rule. A refused callback never reaches the core.
 */
import type Router from '@koa/router';
import { createRouter } from './router.js';
import type { Context } from 'koa';
import * as T from '../../templates/common.js';
import type { Clock } from '../core/clock.js';
import { CommitError } from '../core/errors.js';
import type { Reply } from '../core/reply.js';
import type { Update } from '../core/update.js';
import { lazyChild, type Logger } from '../log.js';
import { isStorageError } from '../redis/errors.js';
import { parseAppMessage } from '../wecom/app-message.js';
import { parseBotCallback } from '../wecom/bot-message.js';
import { CallbackError, WecomCrypto } from '../wecom/crypto.js';
import { appReplyEnvelope, botReplyEnvelope, parseAppEnvelope, parseBotEnvelope } from '../wecom/envelope.js';
import { finishedStream, renderAppReply, renderBotReply } from '../wecom/render.js';
import { readRawBody } from './body.js';

/** The bot core as the edge sees it (`Bot.handle`). */
export interface UpdateHandler {
  handle(update: Update): Promise<{ reply: Reply | null; duplicate: boolean }>;
}

/** Answer with a status WeCom retries (any non-200 is retried, up to 3 times [D:90238]). */
class RetryLater extends Error {}

export interface WecomRouterOptions {
  bot: UpdateHandler;
  /** Self-built app callback settings; without them `/wecom/app` answers 404. */
  app?: { token: string; aesKey: string; corpId: string };
  /** Smart-robot callback settings; without them `/wecom/bot` answers 404. */
  robot?: { token: string; aesKey: string };
  /** WECOM_TIMESTAMP_TOLERANCE_S: refuse callbacks further than this from now; 0 = no check. */
  toleranceS: number;
  /** Real time: signatures, timestamp freshness, reply timestamps. */
  clock: Clock;
  /** The domain clock for the time of robot messages, which carry none (the sandbox's simulated time). */
  domainClock?: Clock;
  log: Logger;
}

type ChannelName = 'app' | 'bot';

interface Query {
  msg_signature: string;
  timestamp: string;
  nonce: string;
  echostr?: string;
}

/** What a POST turned into: the plaintext reply to encrypt, or null for an empty 200. */
type Answer = (plaintext: string, log: Logger) => Promise<string | null>;

/**
 * The Koa router for both WeCom callback URLs. Every CallbackError becomes its status with the error code as a
 * short plain-text body and a warning in the log. A storage failure (Redis down, slow or refusing) is answered
 * 503, never 200, so that WeCom retries once Redis is back; a bug in a handler is logged and answered with the
 * internal-error sentence (encrypted, status 200) so the person knows nothing took effect and WeCom does not
 * retry a request that would fail the same way.
 */
export function createWecomRouter(opts: WecomRouterOptions): Router {
  const { clock, toleranceS } = opts;
  const corpId = opts.app?.corpId ?? '';
  const cryptos: Record<ChannelName, WecomCrypto | undefined> = {
    app: opts.app
      ? new WecomCrypto({
          token: opts.app.token,
          encodingAESKey: opts.app.aesKey,
          receiveId: opts.app.corpId,
          toleranceS,
          clock,
        })
      : undefined,
    bot: opts.robot
      ? new WecomCrypto({
          token: opts.robot.token,
          encodingAESKey: opts.robot.aesKey,
          receiveId: '',
          toleranceS,
          clock,
        })
      : undefined,
  };

  /**
   * Run the core. A failed commit or a storage error anywhere in the core becomes a 503 that WeCom retries. Any other failure of a handler (nothing was committed) becomes the
   * internal-error sentence with 200, so the person knows it did not take effect.
   */
  async function handle(update: Update, log: Logger): Promise<Reply | null> {
    try {
      const { reply, duplicate } = await opts.bot.handle(update);
      // One line per callback only at debug: at the default level a busy county's log keeps what needs reading.
      log.debug({ duplicate, replied: reply !== null }, 'callback handled');
      return reply;
    } catch (err) {
      if (err instanceof CommitError) throw new RetryLater(err.message);
      if (isStorageError(err)) {
        log.error({ err }, 'storage failed on a callback; answering 503 so that WeCom retries');
        throw new RetryLater((err as Error).message);
      }
      log.error({ err }, 'bot failed on a callback; answering with the internal-error sentence');
      return { text: T.internalError };
    }
  }

  const answerApp: Answer = async (plaintext, log) => {
    const update = parseAppMessage(plaintext);
    const reply = await handle(update, lazyChild(log, { update: update.id, user: update.userId }));
    return reply ? renderAppReply(reply, update, corpId, clock.now()) : null;
  };

  const answerBot: Answer = async (plaintext, log) => {
    const parsed = parseBotCallback(plaintext, (opts.domainClock ?? clock).now());
    if (parsed.type === 'stream_refresh') {
      // Our streams finish in their first reply, so a refresh can only be stale: close it.
      log.info({ update: parsed.id, stream: parsed.streamId }, 'stream refresh answered with finish');
      return JSON.stringify(finishedStream(parsed.streamId, ''));
    }
    const { update } = parsed;
    const reply = await handle(update, lazyChild(log, { update: update.id, user: update.userId }));
    const json = reply ? renderBotReply(reply, update) : null;
    return json ? JSON.stringify(json) : null;
  };

  const router = createRouter();
  for (const channel of ['app', 'bot'] as const) {
    const path = `/wecom/${channel}`;
    router.get(path, (ctx) =>
      guard(ctx, channel, async (crypto) => {
        const echo = crypto.verifyUrl(readQuery(ctx, true));
        ctx.status = 200;
        ctx.type = 'text/plain';
        ctx.body = echo;
      }),
    );
    router.post(path, (ctx) =>
      guard(ctx, channel, async (crypto, log) => {
        const query = readQuery(ctx, false);
        const raw = await readRawBody(ctx.req);
        const encrypt = channel === 'app' ? parseAppEnvelope(raw).encrypt : parseBotEnvelope(raw).encrypt;
        const plaintext = crypto.decryptMessage(query.msg_signature, query.timestamp, query.nonce, encrypt);
        const reply = await (channel === 'app' ? answerApp : answerBot)(plaintext, log);
        ctx.status = 200;
        if (reply === null) {
          ctx.body = '';
          return;
        }
        const timestamp = Math.floor(clock.now().getTime() / 1000);
        // The reply reuses the callback's nonce, as the smart robot requires [D:101033] and the app accepts.
        const sealed = { ...crypto.encryptReply(reply, timestamp, query.nonce), timestamp, nonce: query.nonce };
        ctx.type = channel === 'app' ? 'application/xml' : 'application/json';
        ctx.body = channel === 'app' ? appReplyEnvelope(sealed) : botReplyEnvelope(sealed);
      }),
    );
  }

  /** Per-request logger, the channel's crypto, and one place where refusals become status codes. */
  async function guard(
    ctx: Context,
    channel: ChannelName,
    work: (crypto: WecomCrypto, log: Logger) => Promise<void>,
  ): Promise<void> {
    const log = lazyChild(opts.log, { channel, method: ctx.method, path: ctx.path });
    const crypto = cryptos[channel];
    if (!crypto) {
      const setting =
        channel === 'app'
          ? 'WECOM_APP_TOKEN / WECOM_APP_AES_KEY / WECOM_CORP_ID'
          : 'WECOM_BOT_TOKEN / WECOM_BOT_AES_KEY';
      log.warn({ channel }, `callback for a channel that is not configured (set ${setting})`);
      ctx.status = 404;
      ctx.type = 'text/plain';
      ctx.body = 'not configured';
      return;
    }
    try {
      await work(crypto, log);
    } catch (err) {
      if (err instanceof RetryLater) {
        log.warn({ channel, reason: err.message }, 'callback answered 503 so that WeCom retries');
        ctx.status = 503;
        ctx.type = 'text/plain';
        ctx.body = 'retry';
        return;
      }
      if (!(err instanceof CallbackError)) throw err;
      log.warn({ ...err.detail, code: err.code, channel, status: err.status, reason: err.message }, 'callback refused');
      ctx.status = err.status;
      ctx.type = 'text/plain';
      ctx.body = err.code;
    }
  }

  return router;
}

/**
 * The signed query values. Koa's querystring turns a raw "+" into a space; WeCom's base64 (`echostr`) and the
 * hex signature never contain spaces, so spaces there are restored to "+". A repeated parameter is malformed.
 */
function readQuery(ctx: Context, withEcho: boolean): Query {
  const one = (name: string): string => {
    const v = ctx.query[name];
    if (Array.isArray(v)) throw new CallbackError('malformed', `query parameter ${name} is repeated`, { field: name });
    if (v === undefined || v === '')
      throw new CallbackError('missing_field', `query parameter ${name} is missing`, { field: name });
    return v;
  };
  const query: Query = {
    msg_signature: one('msg_signature').replaceAll(' ', '+'),
    timestamp: one('timestamp'),
    nonce: one('nonce'),
  };
  if (withEcho) query.echostr = one('echostr').replaceAll(' ', '+');
  return query;
}
