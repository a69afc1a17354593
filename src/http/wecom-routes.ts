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

export type ChannelName = 'app' | 'bot';

interface Query {
  msg_signature: string;
  timestamp: string;
  nonce: string;
  echostr?: string;
}

/** A finished answer to a callback: status, content type and body. */
export interface CallbackAnswer {
  status: number;
  type: string;
  body: string;
}

/** The parsed query string as either transport gives it: a value, several (repeated) or none. */
export type RawQuery = Record<string, string | string[] | undefined>;

/**
 * Both WeCom callback URLs, apart from how HTTP reaches them: `verify` answers the GET of URL verification and
 * `post` a message. Every CallbackError becomes its status with the error code as a short plain-text body and a
 * warning in the log. A storage failure (Redis down, slow or refusing) is answered 503, never 200, so that WeCom
 * retries once Redis is back; a bug in a handler is logged and answered with the internal-error sentence
 * (encrypted, status 200) so the person knows nothing took effect and WeCom does not retry a request that would
 * fail the same way.
 */
export class WecomCallbacks {
  private readonly cryptos: Record<ChannelName, WecomCrypto | undefined>;
  private readonly corpId: string;

  constructor(private readonly opts: WecomRouterOptions) {
    const { clock, toleranceS } = opts;
    this.corpId = opts.app?.corpId ?? '';
    this.cryptos = {
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
  }

  /** GET: check the signature over `echostr` and answer its plaintext. */
  verify(channel: ChannelName, query: RawQuery, path: string): Promise<CallbackAnswer> {
    return this.guard(channel, 'GET', path, async (crypto) => ({
      status: 200,
      type: 'text/plain',
      body: crypto.verifyUrl(readQuery(query, true)),
    }));
  }

  /** POST: verify, decrypt, parse, run the core and encrypt its answer; `readBody` reads the raw body. */
  post(channel: ChannelName, query: RawQuery, path: string, readBody: () => Promise<string>): Promise<CallbackAnswer> {
    return this.guard(channel, 'POST', path, async (crypto, log) => {
      const q = readQuery(query, false);
      const raw = await readBody();
      const encrypt = channel === 'app' ? parseAppEnvelope(raw).encrypt : parseBotEnvelope(raw).encrypt;
      const plaintext = crypto.decryptMessage(q.msg_signature, q.timestamp, q.nonce, encrypt);
      const reply = await (channel === 'app' ? this.answerApp(plaintext, log) : this.answerBot(plaintext, log));
      if (reply === null) return { status: 200, type: 'text/plain', body: '' };
      const timestamp = Math.floor(this.opts.clock.now().getTime() / 1000);
      // The reply reuses the callback's nonce, as the smart robot requires [D:101033] and the app accepts.
      const answer = crypto.encryptReply(reply, timestamp, q.nonce);
      const sealed = { encrypt: answer.encrypt, signature: answer.signature, timestamp, nonce: q.nonce };
      return channel === 'app'
        ? { status: 200, type: 'application/xml', body: appReplyEnvelope(sealed) }
        : { status: 200, type: 'application/json', body: botReplyEnvelope(sealed) };
    });
  }

  /**
   * Run the core. A failed commit or a storage error anywhere in the core becomes a 503 that WeCom retries. Any
   * other failure of a handler (nothing was committed) becomes the internal-error sentence with 200, so the
   * person knows it did not take effect.
   */
  private async handle(update: Update, log: Logger): Promise<Reply | null> {
    try {
      const { reply, duplicate } = await this.opts.bot.handle(update);
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

  private async answerApp(plaintext: string, log: Logger): Promise<string | null> {
    const update = parseAppMessage(plaintext);
    const reply = await this.handle(update, lazyChild(log, { update: update.id, user: update.userId }));
    return reply ? renderAppReply(reply, update, this.corpId, this.opts.clock.now()) : null;
  }

  private async answerBot(plaintext: string, log: Logger): Promise<string | null> {
    const parsed = parseBotCallback(plaintext, (this.opts.domainClock ?? this.opts.clock).now());
    if (parsed.type === 'stream_refresh') {
      // Our streams finish in their first reply, so a refresh can only be stale: close it.
      log.info({ update: parsed.id, stream: parsed.streamId }, 'stream refresh answered with finish');
      return JSON.stringify(finishedStream(parsed.streamId, ''));
    }
    const { update } = parsed;
    const reply = await this.handle(update, lazyChild(log, { update: update.id, user: update.userId }));
    const json = reply ? renderBotReply(reply, update) : null;
    return json ? JSON.stringify(json) : null;
  }

  /** Per-request logger, the channel's crypto, and one place where refusals become status codes. */
  private async guard(
    channel: ChannelName,
    method: string,
    path: string,
    work: (crypto: WecomCrypto, log: Logger) => Promise<CallbackAnswer>,
  ): Promise<CallbackAnswer> {
    const log = lazyChild(this.opts.log, { channel, method, path });
    const crypto = this.cryptos[channel];
    if (!crypto) {
      const setting =
        channel === 'app'
          ? 'WECOM_APP_TOKEN / WECOM_APP_AES_KEY / WECOM_CORP_ID'
          : 'WECOM_BOT_TOKEN / WECOM_BOT_AES_KEY';
      log.warn({ channel }, `callback for a channel that is not configured (set ${setting})`);
      return { status: 404, type: 'text/plain', body: 'not configured' };
    }
    try {
      return await work(crypto, log);
    } catch (err) {
      if (err instanceof RetryLater) {
        log.warn({ channel, reason: err.message }, 'callback answered 503 so that WeCom retries');
        return { status: 503, type: 'text/plain', body: 'retry' };
      }
      if (!(err instanceof CallbackError)) throw err;
      log.warn({ ...err.detail, code: err.code, channel, status: err.status, reason: err.message }, 'callback refused');
      return { status: err.status, type: 'text/plain', body: err.code };
    }
  }
}

/**
 * The Koa router for both WeCom callback URLs: GET (URL verification) and POST. In the running bot the POSTs
 * are answered before Koa by the callback edge (`wecom-edge.ts`), which runs the same `WecomCallbacks`; this
 * route answers them wherever the edge is not in front (a Koa app of its own, as in some tests).
 */
export function createWecomRouter(opts: WecomRouterOptions | WecomCallbacks): Router {
  const callbacks = opts instanceof WecomCallbacks ? opts : new WecomCallbacks(opts);
  const router = createRouter();
  const send = (ctx: Context, answer: CallbackAnswer) => {
    ctx.status = answer.status;
    ctx.type = answer.type;
    ctx.body = answer.body;
  };
  for (const channel of ['app', 'bot'] as const) {
    const path = `/wecom/${channel}`;
    router.get(path, async (ctx) => send(ctx, await callbacks.verify(channel, ctx.query, ctx.path)));
    router.post(path, async (ctx) =>
      send(ctx, await callbacks.post(channel, ctx.query, ctx.path, () => readRawBody(ctx.req))),
    );
  }
  return router;
}

/**
 * The signed query values. Koa's querystring turns a raw "+" into a space; WeCom's base64 (`echostr`) and the
 * hex signature never contain spaces, so spaces there are restored to "+". A repeated parameter is malformed.
 */
function readQuery(raw: RawQuery, withEcho: boolean): Query {
  const one = (name: string): string => {
    const v = raw[name];
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
