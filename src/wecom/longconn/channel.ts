/**
 * The smart robot over its long connection [D:101463], a channel beside `/wecom/app` and `/wecom/bot`: the bot
 * dials out to WeCom over WebSocket (no public URL, no callback crypto) through WeCom's SDK, which subscribes
 * with the bot id and secret, keeps the `ping` heartbeat and reconnects with back-off. `aibot_msg_callback` and
 * `aibot_event_callback` become the same `Update`s as callbacks (same parser, same msgid de-duplication in the
 * core); the answer goes back with the callback's req_id: `aibot_respond_welcome_msg` for enter_chat,
 * `aibot_respond_update_msg` for a card click answered with a card, `aibot_respond_msg` otherwise.
 *
 * Nothing is lost across reconnects: a reply the connection could not send is kept in Redis and goes out as an
 * `aibot_send_msg` push once the connection is back. `start()` and `stop()` are idempotent, so a leader lease
 * can call them as it gains and loses the connection; `stop()` closes the socket at once.
 */
import { isStorageError } from '../../redis/errors.js';
import { WSClient, type WsFrame } from '@wecom/aibot-node-sdk';
import * as T from '../../../templates/common.js';
import type { Clock } from '../../core/clock.js';
import type { Reply } from '../../core/reply.js';
import type { Update } from '../../core/update.js';
import type { Logger } from '../../log.js';
import type { RedisClient } from '../../redis/client.js';
import type { Keys } from '../../redis/keys.js';
import { parseBotCallback } from '../bot-message.js';
import { renderBotReply } from '../render.js';

/** The bot core as the channel sees it (`Bot.handle`). */
export interface UpdateHandler {
  handle(update: Update): Promise<{ reply: Reply | null; duplicate: boolean }>;
}

export interface LongConnectionOptions {
  botId: string;
  secret: string;
  /** WECOM_BOT_WS_URL: WeCom's address, a private deployment's, or the fake WeCom's. */
  wsUrl: string;
  bot: UpdateHandler;
  redis: RedisClient;
  keys: Keys;
  /** The domain clock for the time of messages, which carry none (the sandbox's simulated time). */
  clock: Clock;
  log: Logger;
  /** First reconnect delay (ms), doubled each attempt up to 30 s; default 1000. */
  reconnectBaseMs?: number;
  /** Heartbeat interval (ms); default 30 000, as WeCom asks. */
  heartbeatMs?: number;
}

/** A push as `aibot_send_msg` takes it. */
export interface RobotPush {
  chatid: string;
  body: { msgtype: 'markdown'; markdown: { content: string } } | { msgtype: 'template_card'; template_card: unknown };
}

/** The channel's state, for the health of the instance and the log. */
export type LongConnectionState = 'stopped' | 'connecting' | 'connected';

export class LongConnection {
  private client?: WSClient;
  private authenticated = false;
  private readonly inFlight = new Set<Promise<void>>();
  private draining?: Promise<void>;

  constructor(private readonly opts: LongConnectionOptions) {}

  get state(): LongConnectionState {
    if (!this.client) return 'stopped';
    return this.authenticated ? 'connected' : 'connecting';
  }

  /** Dial out and keep the connection (reconnecting with back-off) until `stop()`; a second call does nothing. */
  start(): void {
    if (this.client) return;
    const { log } = this.opts;
    const client = new WSClient({
      botId: this.opts.botId,
      secret: this.opts.secret,
      wsUrl: this.opts.wsUrl,
      reconnectInterval: this.opts.reconnectBaseMs ?? 1000,
      heartbeatInterval: this.opts.heartbeatMs ?? 30_000,
      maxReconnectAttempts: -1,
      maxAuthFailureAttempts: -1,
      logger: sdkLogger(log),
    });
    this.client = client;
    client.on('authenticated', () => {
      this.authenticated = true;
      log.info({ url: this.opts.wsUrl }, 'long connection subscribed');
      this.drain();
    });
    client.on('disconnected', (reason) => {
      this.authenticated = false;
      log.warn({ reason }, 'long connection lost; reconnecting with back-off');
    });
    client.on('error', (err) => {
      if (/Authentication failed/.test(err.message))
        log.error(
          { reason: err.message },
          'long connection refused: check WECOM_BOT_ID and WECOM_BOT_SECRET (the smart robot in API mode, long connection); retrying with back-off',
        );
    });
    client.on('event.disconnected_event', () => {
      this.authenticated = false;
      log.warn('long connection replaced by another connection of this robot; this instance no longer holds it');
    });
    client.on('message', (frame) => this.track(this.onFrame(frame)));
    client.on('event', (frame) => {
      if (frame.body?.event?.eventtype !== 'disconnected_event') this.track(this.onFrame(frame));
    });
    client.connect();
  }

  /** Close the socket at once and stop reconnecting; waits for updates being handled. A second call does nothing. */
  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    this.authenticated = false;
    client.disconnect();
    client.removeAllListeners();
    await Promise.allSettled([...this.inFlight]);
    await this.draining;
  }

  /**
   * Push to a person's single chat with the robot. False, with nothing sent, when they never wrote to the
   * robot (WeCom delivers pushes only there) or the connection is down; throws when WeCom refuses the push.
   */
  async pushToUser(userId: string, body: RobotPush['body']): Promise<boolean> {
    if (!this.client || !this.authenticated) return false;
    if (!(await this.opts.redis.sismember(this.opts.keys.robotChats(), userId))) return false;
    await this.client.sendMessage(userId, body as never);
    return true;
  }

  /**
   * `pushToUser` for the outbox: once per message key and person, so a retried message whose app part failed
   * does not push to the robot chat twice.
   */
  async pushQueued(messageKey: string, userId: string, body: RobotPush['body']): Promise<boolean> {
    const marker = this.opts.keys.robotPushed(messageKey, userId);
    if (await this.opts.redis.exists(marker)) return true;
    if (!(await this.pushToUser(userId, body))) return false;
    await this.opts.redis.set(marker, '1', 'EX', 2 * 86_400);
    return true;
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async onFrame(frame: WsFrame): Promise<void> {
    const { log } = this.opts;
    let update: Update;
    try {
      const parsed = parseBotCallback(JSON.stringify(frame.body ?? {}), this.opts.clock.now());
      if (parsed.type !== 'update') return;
      update = parsed.update;
    } catch (err) {
      log.warn({ err, reqId: frame.headers.req_id }, 'long connection: a callback frame was refused');
      return;
    }
    if (update.chatType === 'single' && update.kind !== 'event')
      await this.opts.redis.sadd(this.opts.keys.robotChats(), update.userId).catch((err: unknown) => {
        log.warn({ err }, 'long connection: could not record the chat for pushes');
      });
    let reply: Reply | null;
    try {
      ({ reply } = await this.opts.bot.handle(update).catch((err: unknown) => {
        // A callback would be answered 503 and sent again by WeCom; this channel sends nothing again, so the bot
        // asks once more itself: an update committed before the failure (a replica that did not confirm in
        // time) is found by its MsgId and answered as committed, instead of "did not take effect".
        if (!isStorageError(err)) throw err;
        return this.opts.bot.handle(update);
      }));
    } catch (err) {
      // No redelivery on this channel: say it did not take effect, so the person sends it again.
      log.error(
        { err, update: update.id },
        'long connection: the bot failed on a message; answering the internal-error sentence',
      );
      reply = { text: T.internalError };
    }
    const json = reply ? renderBotReply(reply, update) : null;
    if (!json) return;
    const cmd =
      update.event?.type === 'enter_chat'
        ? 'aibot_respond_welcome_msg'
        : json.response_type === 'update_template_card'
          ? 'aibot_respond_update_msg'
          : 'aibot_respond_msg';
    try {
      if (!this.client) throw new Error('stopped');
      await this.client.reply(frame, json, cmd);
    } catch (err) {
      const pushes = asPushes(json, update.chatId ?? update.userId);
      log.warn(
        { update: update.id, reason: err instanceof Error ? err.message : String(err), pushes: pushes.length },
        'long connection: reply not sent; kept to go out as a push after reconnecting',
      );
      if (pushes.length)
        await this.opts.redis
          .rpush(this.opts.keys.robotPending(), ...pushes.map((p) => JSON.stringify(p)))
          .catch((e: unknown) =>
            log.error({ err: e, update: update.id }, 'long connection: a reply could not be kept'),
          );
    }
  }

  /** Send the kept replies as pushes, oldest first; one that fails stays at the head for the next connection. */
  private drain(): void {
    if (this.draining) return;
    this.draining = (async () => {
      const { redis, keys, log } = this.opts;
      try {
        for (;;) {
          const client = this.client;
          if (!client || !this.authenticated) return;
          const raw = await redis.lindex(keys.robotPending(), 0);
          if (raw === null) return;
          const push = JSON.parse(raw) as RobotPush;
          try {
            await client.sendMessage(push.chatid, push.body as never);
          } catch (err) {
            const refused = isRefusal(err);
            log.error(
              { chat: push.chatid, reason: describe(err) },
              refused
                ? 'long connection: WeCom refused a kept reply as a push; dropped'
                : 'long connection: a kept reply could not be pushed; trying after the next reconnect',
            );
            if (!refused) return;
          }
          await redis.lpop(keys.robotPending());
        }
      } catch (err) {
        log.error({ err }, 'long connection: sending the kept replies failed; trying after the next reconnect');
      } finally {
        this.draining = undefined;
      }
    })();
  }
}

/** WeCom's answer frame refusing a push (errcode ≠ 0), as against a closed connection or a timeout. */
function isRefusal(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'errcode' in err && (err as { errcode: unknown }).errcode !== 0;
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null) return JSON.stringify(err);
  return String(err);
}

/**
 * A rendered passive reply as the pushes that say the same (`aibot_send_msg` takes markdown and template_card
 * only): a stream's text as markdown, a card as a card, a welcome text as markdown.
 */
export function asPushes(json: Record<string, unknown>, chatid: string): RobotPush[] {
  const out: RobotPush[] = [];
  const stream = json.stream as { content?: string } | undefined;
  const text = stream?.content ?? (json.text as { content?: string } | undefined)?.content;
  if (text) out.push({ chatid, body: { msgtype: 'markdown', markdown: { content: text } } });
  if (json.template_card) out.push({ chatid, body: { msgtype: 'template_card', template_card: json.template_card } });
  return out;
}

/** The SDK's log lines into ours, at debug except for warnings and errors. */
function sdkLogger(log: Logger) {
  const child = log.child({ component: 'long-connection' });
  return {
    debug: (message: string) => child.debug(message),
    info: (message: string) => child.debug(message),
    warn: (message: string) => child.warn(message),
    error: (message: string, ...args: unknown[]) => child.error({ detail: args.map(String).join(' ') }, message),
  };
}
