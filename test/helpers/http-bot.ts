/**
 * Serve a bot's WeCom routes on a real Koa server (loopback, free port) and post callbacks built exactly as
 * WeCom builds them, for system tests of the whole callback path.
 */
import { randomBytes } from 'node:crypto';
import { SANDBOX_APP, SANDBOX_ROBOT } from '../../src/sandbox/config.js';
import { WecomCrypto } from '../../src/wecom/crypto.js';
import type { XmlObject } from '../../src/wecom/envelope.js';
import {
  buildAppCallback,
  buildBotCallback,
  openAppReply,
  openBotReply,
  toQueryString,
  type CallbackQuery,
} from '../../src/wecom/simulate.js';

export { serveBot, type HttpBot } from '../../src/sandbox/serve-bot.js';

export interface WecomPoster {
  /** Post an app (自建应用) callback with these XML fields; the decrypted passive reply (`Button` of an update_button nested). */
  app(fields: Record<string, string | number>): Promise<XmlObject | null>;
  /** Post a smart-robot callback; the decrypted reply JSON. */
  robot(json: Record<string, unknown>): Promise<Record<string, unknown> | null>;
}

/**
 * Post callbacks to a bot already listening at `baseUrl` (its `/wecom/app` and `/wecom/bot` routes), signed and
 * encrypted with the sandbox credentials exactly as WeCom does. The signature timestamp is real time, because
 * the edge checks it against real time (300 s) whatever clock the bot runs on; `CreateTime` in the fields may
 * follow a simulated clock. A status other than 200 throws with the status and body.
 */
export function wecomPoster(baseUrl: string): WecomPoster {
  const appCrypto = new WecomCrypto({
    token: SANDBOX_APP.token,
    encodingAESKey: SANDBOX_APP.aesKey,
    receiveId: SANDBOX_APP.corpId,
  });
  const robotCrypto = new WecomCrypto({
    token: SANDBOX_ROBOT.token,
    encodingAESKey: SANDBOX_ROBOT.aesKey,
    receiveId: '',
  });
  const opts = () => ({ timestamp: Math.floor(Date.now() / 1000), nonce: randomBytes(6).toString('hex') });
  const post = async (path: string, query: CallbackQuery, body: string): Promise<string> => {
    const res = await fetch(`${baseUrl}${path}?${toQueryString(query)}`, { method: 'POST', body });
    if (res.status !== 200) throw new Error(`callback answered ${res.status}: ${await res.text()}`);
    return res.text();
  };
  return {
    async app(fields) {
      const cb = buildAppCallback(appCrypto, fields, opts());
      const body = await post('/wecom/app', cb.query, cb.body);
      return body ? openAppReply(appCrypto, body).fields : null;
    },
    async robot(json) {
      const cb = buildBotCallback(robotCrypto, json, opts());
      const body = await post('/wecom/bot', cb.query, cb.body);
      return body ? openBotReply(robotCrypto, body).json : null;
    },
  };
}
