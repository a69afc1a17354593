/**
 * The sandbox playing WeCom's servers towards the bot: it builds each callback exactly as WeCom does (message
 * XML or robot JSON, encrypted and signed with the sandbox's app and robot credentials), posts it to the bot's
 * own `/wecom/app` or `/wecom/bot`, and opens the encrypted passive reply. The signature timestamp is real
 * time, which the bot checks against its real clock; `CreateTime` follows the simulated clock, as the time a
 * message was sent.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { WecomCrypto } from '../wecom/crypto.js';
import type { XmlObject } from '../wecom/envelope.js';
import type { FakeLongConnection } from '../fakewecom/longconn.js';
import {
  buildAppCallback,
  buildBotCallback,
  openAppReply,
  openBotReply,
  toQueryString,
  type CallbackQuery,
} from '../wecom/simulate.js';

export interface SandboxWecomOptions {
  app: { corpId: string; agentId: string; token: string; aesKey: string };
  robot: { token: string; aesKey: string };
  /** The simulated clock (CreateTime, robot event create_time). */
  clock: Clock;
  /** The robot over the fake WeCom's long connection instead of callbacks (ZHUCUN_SANDBOX_CHANNEL=long-connection). */
  longConnection?: { server: FakeLongConnection; botId: string };
}

/** The smart robot's id in callbacks (`aibotid`); WeCom gives each robot one. */
export const SANDBOX_AIBOT_ID = 'sandbox-aibot';

export class SandboxWecom {
  private readonly appCrypto: WecomCrypto;
  private readonly robotCrypto: WecomCrypto;
  private counter = 0;

  constructor(private readonly opts: SandboxWecomOptions) {
    this.appCrypto = new WecomCrypto({
      token: opts.app.token,
      encodingAESKey: opts.app.aesKey,
      receiveId: opts.app.corpId,
    });
    this.robotCrypto = new WecomCrypto({ token: opts.robot.token, encodingAESKey: opts.robot.aesKey, receiveId: '' });
  }

  /** How a robot message reaches the bot, as the sandbox's chat shows it. */
  get robotVia(): string {
    return this.opts.longConnection ? 'long connection → aibot_msg_callback' : 'callback → /wecom/bot';
  }

  /** Simulated seconds, as WeCom stamps `CreateTime`. */
  createTime(): number {
    return Math.floor(this.opts.clock.now().getTime() / 1000);
  }

  /**
   * A 64-bit-looking message id, unique across restarts and resets of the sandbox (the bot de-duplicates
   * updates by it): real milliseconds and a per-process counter.
   */
  msgId(): string {
    this.counter = (this.counter + 1) % 1000;
    return `${Date.now()}${String(this.counter).padStart(3, '0')}`;
  }

  /**
   * Post an app callback from `userId` with these fields (MsgType and its own fields); ToUserName,
   * FromUserName, CreateTime and AgentID are added. Returns the decrypted passive reply, or null for an empty one.
   */
  async app(baseUrl: string, userId: string, fields: Record<string, string | number>): Promise<XmlObject | null> {
    const all = {
      ToUserName: this.opts.app.corpId,
      FromUserName: userId,
      CreateTime: this.createTime(),
      ...fields,
      AgentID: Number(this.opts.app.agentId),
    };
    const cb = buildAppCallback(this.appCrypto, all, this.sealing());
    const body = await post(`${baseUrl}/wecom/app`, cb.query, cb.body);
    return body ? openAppReply(this.appCrypto, body).fields : null;
  }

  /** Post a smart-robot callback (JSON as WeCom sends it); returns the decrypted reply JSON, or null. */
  async robot(baseUrl: string, json: Record<string, unknown>): Promise<Record<string, unknown> | null> {
    const lc = this.opts.longConnection;
    // Over the long connection: the frame the bot answers with carries the same JSON as a passive reply.
    if (lc) return (await lc.server.callback(lc.botId, { aibotid: lc.botId, ...json }, 3_000))?.body ?? null;
    const cb = buildBotCallback(this.robotCrypto, { aibotid: SANDBOX_AIBOT_ID, ...json }, this.sealing());
    const body = await post(`${baseUrl}/wecom/bot`, cb.query, cb.body);
    return body ? openBotReply(this.robotCrypto, body).json : null;
  }

  private sealing() {
    return { timestamp: Math.floor(Date.now() / 1000), nonce: randomBytes(8).toString('hex') };
  }
}

async function post(url: string, query: CallbackQuery, body: string): Promise<string> {
  const res = await fetch(`${url}?${toQueryString(query)}`, { method: 'POST', body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${new URL(url).pathname} answered ${res.status}: ${text}`);
  return text;
}
