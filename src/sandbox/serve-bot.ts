/**
 * Serve a bot's WeCom routes on a real HTTP server composed as the bot's own (loopback, free port) and post callbacks built exactly as
 * WeCom builds them with the sandbox credentials: for system tests and the benchmark of the whole callback path.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { systemClock } from '../core/clock.js';
import type { Bot } from '../core/bot.js';
import { createHttpServer, HTTP_TIMEOUTS } from '../http/server.js';
import { wecomEdge } from '../http/wecom-edge.js';
import { createWecomRouter, WecomCallbacks } from '../http/wecom-routes.js';
import { silentLogger } from '../log.js';
import { WecomCrypto } from '../wecom/crypto.js';
import { buildAppCallback, buildBotCallback, openAppReply, openBotReply, toQueryString } from '../wecom/simulate.js';
import { SANDBOX_APP, SANDBOX_ROBOT } from './config.js';

export interface HttpBot {
  url: string;
  /** Post an app (自建应用) callback with these XML fields; returns the decrypted passive reply fields. */
  app(fields: Record<string, string | number>): Promise<Record<string, string> | null>;
  /** Post a smart-robot callback; returns the decrypted reply JSON. */
  robot(json: Record<string, unknown>): Promise<Record<string, unknown> | null>;
  close(): Promise<void>;
}

/** Start `bot`'s `/wecom/app` and `/wecom/bot` on 127.0.0.1 (free port); `close()` stops the server. */
export async function serveBot(bot: Bot): Promise<HttpBot> {
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
  const callbacks = new WecomCallbacks({
    bot,
    app: SANDBOX_APP,
    robot: SANDBOX_ROBOT,
    toleranceS: 300,
    clock: systemClock,
    log: silentLogger,
  });
  const koa = new Koa();
  koa.use(createWecomRouter(callbacks).routes());
  // Composed as the running bot composes it: the callback edge in front of Koa.
  const server: Server = createHttpServer(koa, HTTP_TIMEOUTS, wecomEdge(callbacks, silentLogger)).listen(
    0,
    '127.0.0.1',
  );
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let nonce = 1000;
  const opts = () => ({ timestamp: Math.floor(Date.now() / 1000), nonce: String(nonce++) });
  return {
    url,
    async app(fields) {
      const cb = buildAppCallback(appCrypto, fields, opts());
      const res = await fetch(`${url}/wecom/app?${toQueryString(cb.query)}`, { method: 'POST', body: cb.body });
      if (res.status !== 200) throw new Error(`callback answered ${res.status}: ${await res.text()}`);
      const body = await res.text();
      return body ? (openAppReply(appCrypto, body).fields as Record<string, string>) : null;
    },
    async robot(json) {
      const cb = buildBotCallback(robotCrypto, json, opts());
      const res = await fetch(`${url}/wecom/bot?${toQueryString(cb.query)}`, { method: 'POST', body: cb.body });
      if (res.status !== 200) throw new Error(`callback answered ${res.status}: ${await res.text()}`);
      const body = await res.text();
      return body ? openBotReply(robotCrypto, body).json : null;
    },
    async close() {
      server.close();
      server.closeAllConnections();
      await once(server, 'close');
    },
  };
}
