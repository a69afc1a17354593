/**
 * The fake WeCom's smart-robot long connection [D:101463]: a WebSocket endpoint (`/aibot` on the fake's port)
 * that takes `aibot_subscribe` (bot id and secret), answers `ping`, delivers `aibot_msg_callback` and
 * `aibot_event_callback` frames given by a test or the sandbox, acknowledges and records the bot's replies
 * (`aibot_respond_msg`, `aibot_respond_welcome_msg`, `aibot_respond_update_msg`, same req_id as the callback)
 * and pushes (`aibot_send_msg`, only into a chat where someone wrote to the robot). One live connection per
 * bot: a second subscription sends `disconnected_event` to the first and closes it. A test can cut every
 * connection, or the one that delivers the next callback right after delivering it.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Delivered, FakeState } from './state.js';

export const LONGCONN_PATH = '/aibot';

export interface RobotFrame {
  cmd?: string;
  headers: { req_id: string };
  body?: Record<string, unknown>;
  errcode?: number;
  errmsg?: string;
}

/** What happened to connections, in order, for assertions (`refused` carries the reason). */
export interface LongConnEvent {
  at: number;
  kind: 'subscribed' | 'refused' | 'replaced' | 'cut' | 'closed';
  botId: string;
  reason?: string;
}

const REPLY_CMDS = new Set(['aibot_respond_msg', 'aibot_respond_welcome_msg', 'aibot_respond_update_msg']);

export class FakeLongConnection {
  /** Bot id → secret of the smart robots that may subscribe. */
  readonly bots = new Map<string, string>();
  /** Every frame a bot sent (subscribe frames with the secret masked), in order. */
  readonly frames: RobotFrame[] = [];
  readonly events: LongConnEvent[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly live = new Map<string, WebSocket>();
  private readonly sockets = new Set<WebSocket>();
  /** Callbacks delivered, by req_id: the chat a reply goes to. */
  private readonly callbacks = new Map<string, { chat: string; botId: string }>();
  /** Chats (userid of a single chat, chatid of a group) where someone wrote to the robot. */
  private readonly chats = new Set<string>();
  private readonly waiters = new Map<string, (frame: RobotFrame) => void>();
  private readonly watchers: (() => void)[] = [];
  private cutNext = false;

  /** `onDelivered` is told of each reply and push recorded (the fake's `sent` event). */
  constructor(
    private readonly state: FakeState,
    private readonly onDelivered: (d: Delivered) => void = () => {},
  ) {}

  /** Take an HTTP upgrade to `/aibot`. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  /** The bot id holding the live connection (one per bot), if any. */
  isConnected(botId: string): boolean {
    return this.live.has(botId);
  }

  /** Resolves once `count` subscriptions of `botId` have succeeded in all (the first by default). */
  async subscribed(botId: string, count = 1, timeoutMs = 10_000): Promise<void> {
    const done = () => this.events.filter((e) => e.kind === 'subscribed' && e.botId === botId).length >= count;
    await this.until(done, timeoutMs, `subscription ${count} of ${botId}`);
  }

  /**
   * Deliver a message (`aibot_msg_callback`) or event (`aibot_event_callback`, when `msgtype` is event) to the
   * bot's live connection; the req_id. The chat it came from may receive pushes from then on.
   */
  deliver(botId: string, body: Record<string, unknown>, reqId = `cb_${randomBytes(8).toString('hex')}`): string {
    const ws = this.live.get(botId);
    if (!ws) throw new Error(`fake WeCom: bot ${botId} has no live long connection`);
    const from = (body.from as { userid?: string } | undefined)?.userid ?? '';
    const chat = typeof body.chatid === 'string' && body.chatid ? body.chatid : from;
    if (body.msgtype !== 'event') this.chats.add(chat);
    this.callbacks.set(reqId, { chat, botId });
    const cmd = body.msgtype === 'event' ? 'aibot_event_callback' : 'aibot_msg_callback';
    const cut = this.cutNext;
    this.cutNext = false;
    // Cut once the frame is written, so that the bot has it but can no longer answer on this connection.
    ws.send(JSON.stringify({ cmd, headers: { req_id: reqId }, body: { aibotid: botId, ...body } }), () => {
      if (cut) this.cut(botId, ws);
    });
    if (cut) this.live.delete(botId);
    return reqId;
  }

  /** Deliver and wait for the bot's first reply frame to it (null when none comes within `timeoutMs`). */
  async callback(botId: string, body: Record<string, unknown>, timeoutMs = 5_000): Promise<RobotFrame | null> {
    const reqId = `cb_${randomBytes(8).toString('hex')}`;
    const reply = this.reply(reqId, timeoutMs);
    this.deliver(botId, body, reqId);
    return reply;
  }

  /** The next reply frame to `reqId`; null after `timeoutMs`. */
  reply(reqId: string, timeoutMs = 5_000): Promise<RobotFrame | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(reqId);
        resolve(null);
      }, timeoutMs);
      this.waiters.set(reqId, (frame) => {
        clearTimeout(timer);
        this.waiters.delete(reqId);
        resolve(frame);
      });
    });
  }

  /** Close every live connection at once, as a network failure does (no close frame). */
  cutAll(): void {
    for (const [botId, ws] of this.live) this.cut(botId, ws);
  }

  /** Cut the connection that delivers the next callback right after sending it, before any reply can come. */
  cutAfterNextCallback(): void {
    this.cutNext = true;
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
  }

  private cut(botId: string, ws: WebSocket): void {
    if (this.live.get(botId) === ws) this.live.delete(botId);
    this.events.push({ at: this.state.now(), kind: 'cut', botId });
    ws.terminate();
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    let botId = '';
    ws.on('message', (data: RawData) => this.onFrame(ws, data, botId, (id) => (botId = id)));
    ws.on('close', () => {
      this.sockets.delete(ws);
      if (botId && this.live.get(botId) === ws) {
        this.live.delete(botId);
        this.events.push({ at: this.state.now(), kind: 'closed', botId });
      }
      this.notify();
    });
  }

  private onFrame(ws: WebSocket, data: RawData, botId: string, setBot: (id: string) => void): void {
    let frame: RobotFrame;
    try {
      frame = JSON.parse(String(data)) as RobotFrame;
    } catch {
      ws.send(JSON.stringify({ headers: { req_id: '' }, errcode: 40008, errmsg: 'invalid frame' }));
      return;
    }
    const reqId = frame.headers?.req_id ?? '';
    const answer = (errcode: number, errmsg: string) =>
      ws.send(JSON.stringify({ headers: { req_id: reqId }, errcode, errmsg }));
    if (frame.cmd === 'aibot_subscribe') {
      const body = frame.body ?? {};
      this.frames.push({ ...frame, body: { ...body, secret: '***' } });
      const id = String(body.bot_id ?? '');
      const secret = this.bots.get(id);
      if (!id || secret === undefined || secret !== body.secret) {
        const reason = !id || secret === undefined ? 'unknown bot_id' : 'wrong secret';
        this.events.push({ at: this.state.now(), kind: 'refused', botId: id, reason });
        answer(40001, `invalid credential: ${reason}`);
        this.notify();
        return;
      }
      const old = this.live.get(id);
      if (old && old !== ws) {
        old.send(
          JSON.stringify({
            cmd: 'aibot_event_callback',
            headers: { req_id: `ev_${randomBytes(8).toString('hex')}` },
            body: {
              msgid: `dis_${randomBytes(8).toString('hex')}`,
              create_time: Math.floor(this.state.now() / 1000),
              aibotid: id,
              from: { userid: '' },
              msgtype: 'event',
              event: { eventtype: 'disconnected_event' },
            },
          }),
        );
        this.events.push({ at: this.state.now(), kind: 'replaced', botId: id });
        this.live.delete(id);
        old.close(1000, 'replaced by a new connection');
      }
      setBot(id);
      this.live.set(id, ws);
      this.events.push({ at: this.state.now(), kind: 'subscribed', botId: id });
      answer(0, 'ok');
      this.notify();
      return;
    }
    this.frames.push(frame);
    if (!botId || this.live.get(botId) !== ws) return answer(40001, 'not subscribed');
    if (frame.cmd === 'ping') return answer(0, 'ok');
    const body = frame.body ?? {};
    if (frame.cmd && REPLY_CMDS.has(frame.cmd)) {
      const cb = this.callbacks.get(reqId);
      if (!cb || cb.botId !== botId) return answer(846605, 'invalid req_id');
      const delivered = this.state.deliver({
        channel: 'robot_reply',
        to: [cb.chat],
        dropped: [],
        msgtype: String(body.msgtype ?? body.response_type ?? ''),
        payload: { cmd: frame.cmd, req_id: reqId, ...body },
      });
      answer(0, 'ok');
      this.onDelivered(delivered);
      this.waiters.get(reqId)?.(frame);
      return;
    }
    if (frame.cmd === 'aibot_send_msg') {
      const chat = String(body.chatid ?? '');
      if (!this.chats.has(chat)) return answer(40003, `chat ${chat} has not written to the robot`);
      if (body.msgtype !== 'markdown' && body.msgtype !== 'template_card')
        return answer(40008, `invalid message type ${String(body.msgtype)}`);
      const delivered = this.state.deliver({
        channel: 'robot_push',
        to: [chat],
        dropped: [],
        msgtype: String(body.msgtype),
        payload: body,
      });
      answer(0, 'ok');
      this.onDelivered(delivered);
      return;
    }
    answer(40008, `unknown cmd ${String(frame.cmd)}`);
  }

  private notify(): void {
    for (const w of [...this.watchers]) w();
  }

  private until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.watchers.splice(this.watchers.indexOf(check), 1);
        resolve();
      };
      const timer = setTimeout(() => {
        this.watchers.splice(this.watchers.indexOf(check), 1);
        reject(new Error(`fake WeCom: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.watchers.push(check);
    });
  }
}
