/**
 * The WeCom callback routes on a real Koa server over real HTTP, fed with the official vectors and with
 * callbacks built exactly as WeCom builds them. The bot is a small recording object, not a mock.
 */
import { createCipheriv } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import Koa from 'koa';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalError } from '../../templates/common.js';
import { fixedClock } from '../../src/core/clock.js';
import type { Reply } from '../../src/core/reply.js';
import type { Update } from '../../src/core/update.js';
import { createHttpServer, HTTP_TIMEOUTS } from '../../src/http/server.js';
import { wecomEdge } from '../../src/http/wecom-edge.js';
import {
  createWecomRouter,
  WecomCallbacks,
  type UpdateHandler,
  type WecomRouterOptions,
} from '../../src/http/wecom-routes.js';
import { WecomCrypto } from '../../src/wecom/crypto.js';
import {
  buildAppCallback,
  buildBotCallback,
  buildVerifyQuery,
  openAppReply,
  openBotReply,
  toQueryString,
} from '../../src/wecom/simulate.js';

interface Vector {
  token: string;
  encodingAESKey: string;
  receiveId: string;
  verifyUrl: { msg_signature: string; timestamp: string; nonce: string; echostr: string; expect: string };
  post: {
    msg_signature: string;
    timestamp: string;
    nonce: string;
    encrypt: string;
    agentId: string;
    body?: string;
    expectPlaintext: string;
  };
}
const [V1, V2] = (JSON.parse(readFileSync('test/fixtures/wecom-official.json', 'utf8')) as { vectors: Vector[] })
  .vectors as [Vector, Vector];

const NOW = new Date('2026-11-18T09:00:00+08:00');
const NOW_S = NOW.getTime() / 1000;

class RecordingBot implements UpdateHandler {
  readonly updates: Update[] = [];
  constructor(private readonly answer: (u: Update) => Reply | null = (u) => ({ text: `ok:${u.text ?? ''}` })) {}
  async handle(update: Update): Promise<{ reply: Reply | null; duplicate: boolean }> {
    this.updates.push(update);
    return { reply: this.answer(update), duplicate: false };
  }
}

class FailingBot implements UpdateHandler {
  calls = 0;
  async handle(): Promise<{ reply: Reply | null; duplicate: boolean }> {
    this.calls++;
    throw new Error('store unavailable');
  }
}

const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) {
    s.close();
    await once(s, 'close');
  }
});

/** Any object of string values (an interface such as CallbackQuery included). */
type Query<Q> = { [K in keyof Q]: string };
type Options = Partial<WecomRouterOptions> & { bot: UpdateHandler };

/** Start the real router on 127.0.0.1:0 with a log that the test can read. */
async function start(opts: Options) {
  const logs: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'debug' },
    { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const callbacks = new WecomCallbacks({ toleranceS: 0, clock: fixedClock(NOW), log, ...opts });
  const app = new Koa();
  app.use(createWecomRouter(callbacks).routes());
  // As the bot serves them (POSTs through the callback edge, the rest through Koa), or through Koa alone.
  const edge = transport === 'edge' ? wecomEdge(callbacks, log) : undefined;
  const server = createHttpServer(app, HTTP_TIMEOUTS, edge).listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    logs,
    get: <Q extends Query<Q>>(path: string, query: Q) => fetch(`${base}${path}?${toQueryString(query)}`),
    post: <Q extends Query<Q>>(path: string, query: Q, body: string) =>
      fetch(`${base}${path}?${toQueryString(query)}`, { method: 'POST', body }),
  };
}

const appConfig = (v: Vector) => ({ token: v.token, aesKey: v.encodingAESKey, corpId: v.receiveId });
const cryptoFor = (v: Vector, receiveId = v.receiveId) =>
  new WecomCrypto({ token: v.token, encodingAESKey: v.encodingAESKey, receiveId });
const postQuery = (v: Vector) => ({
  msg_signature: v.post.msg_signature,
  timestamp: v.post.timestamp,
  nonce: v.post.nonce,
});
const v2Body = `<xml><ToUserName><![CDATA[${V2.receiveId}]]></ToUserName><Encrypt><![CDATA[${V2.post.encrypt}]]></Encrypt><AgentID><![CDATA[${V2.post.agentId}]]></AgentID></xml>`;

/** Every case runs through both ways a POST can arrive: the callback edge and the Koa route. */
let transport: 'edge' | 'koa' = 'edge';

describe.each(['edge', 'koa'] as const)('through %s', (via) => {
  beforeAll(() => {
    transport = via;
  });

  describe('self-built app callbacks with the official vectors', () => {
    it('GET with V1 URL-encoded as WeCom sends it answers exactly the echo plaintext', async () => {
      const s = await start({ bot: new RecordingBot(), app: appConfig(V1) });
      const res = await s.get('/wecom/app', V1.verifyUrl);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe('1616140317555161061');
    });

    it('GET restores a raw "+" that the query string turned into a space', async () => {
      const s = await start({ bot: new RecordingBot(), app: appConfig(V1) });
      const { msg_signature, timestamp, nonce, echostr } = V1.verifyUrl;
      expect(echostr).toContain('+');
      const raw = `msg_signature=${msg_signature}&timestamp=${timestamp}&nonce=${nonce}&echostr=${echostr}`;
      const res = await fetch(`${s.base}/wecom/app?${raw}`);
      expect(await res.text()).toBe('1616140317555161061');
    });

    it('GET with V2 answers its echo', async () => {
      const s = await start({ bot: new RecordingBot(), app: appConfig(V2) });
      expect(await (await s.get('/wecom/app', V2.verifyUrl)).text()).toBe('1288432023552776189');
    });

    it('POST V1: the bot gets the text update and the encrypted reply opens and verifies', async () => {
      const bot = new RecordingBot();
      const s = await start({ bot, app: appConfig(V1) });
      const res = await s.post('/wecom/app', postQuery(V1), V1.post.body!);
      expect(res.status).toBe(200);
      expect(bot.updates).toHaveLength(1);
      expect(bot.updates[0]).toMatchObject({
        id: 'app:msg:4561255354251345929',
        channel: 'app',
        userId: 'mycreate',
        kind: 'text',
        text: 'hello',
      });
      const opened = openAppReply(cryptoFor(V1), await res.text());
      expect(opened.nonce).toBe(V1.post.nonce);
      expect(opened.timestamp).toBe(String(NOW_S));
      expect(opened.fields).toEqual({
        ToUserName: 'mycreate',
        FromUserName: V1.receiveId,
        CreateTime: String(NOW_S),
        MsgType: 'text',
        Content: 'ok:hello',
      });
    });

    it('POST V2 likewise', async () => {
      const bot = new RecordingBot();
      const s = await start({ bot, app: appConfig(V2) });
      const res = await s.post('/wecom/app', postQuery(V2), v2Body);
      expect(res.status).toBe(200);
      expect(bot.updates[0]).toMatchObject({ id: 'app:msg:1456453720', userId: 'ChenJiaShun', text: '你好' });
      expect(openAppReply(cryptoFor(V2), await res.text()).fields.Content).toBe('ok:你好');
    });

    it('a null reply is a 200 with an empty body', async () => {
      const s = await start({ bot: new RecordingBot(() => null), app: appConfig(V1) });
      const res = await s.post('/wecom/app', postQuery(V1), V1.post.body!);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
    });

    it('a failing bot is logged and answered with the internal-error sentence', async () => {
      const bot = new FailingBot();
      const s = await start({ bot, app: appConfig(V1) });
      const res = await s.post('/wecom/app', postQuery(V1), V1.post.body!);
      expect(res.status).toBe(200);
      expect(openAppReply(cryptoFor(V1), await res.text()).fields.Content).toBe(internalError);
      expect(bot.calls).toBe(1);
      expect(s.logs.some((l) => l.level === 50 && l.update === 'app:msg:4561255354251345929')).toBe(true);
    });

    it('a storage failure is answered 503 (WeCom retries), never 200 with a sentence', async () => {
      // A real ioredis client whose server is gone, set up as connect.ts sets up the bot's: it fails at once.
      const gone = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
      const bot: UpdateHandler = {
        handle: async () => ({ reply: { text: (await gone.get('k')) ?? '' }, duplicate: false }),
      };
      const s = await start({ bot, app: appConfig(V1) });
      const res = await s.post('/wecom/app', postQuery(V1), V1.post.body!);
      expect(res.status).toBe(503);
      expect(await res.text()).toBe('retry');
      gone.disconnect();
    });

    it('a card click with replaceButton is answered with update_button', async () => {
      const c = cryptoFor(V1);
      const bot = new RecordingBot(() => ({ text: '已同意', replaceButton: '已同意' }));
      const s = await start({ bot, app: appConfig(V1) });
      const { query, body } = buildAppCallback(
        c,
        {
          ToUserName: V1.receiveId,
          FromUserName: 'lisi',
          CreateTime: NOW_S,
          MsgType: 'event',
          Event: 'template_card_event',
          EventKey: 'leave-approve:Q1',
          TaskId: 'leave-Q1',
          CardType: 'button_interaction',
          ResponseCode: 'RC',
          AgentID: 218,
        },
        { timestamp: NOW_S, nonce: 'n1' },
      );
      const res = await s.post('/wecom/app', query, body);
      expect(bot.updates[0]!.id).toBe(`app:evt:lisi:${NOW_S}:template_card_event:leave-Q1:leave-approve:Q1`);
      expect(openAppReply(c, await res.text()).fields).toMatchObject({
        MsgType: 'update_button',
        Button: { ReplaceName: '已同意' },
      });
    });
  });

  describe('smart robot callbacks', () => {
    const robotCrypto = cryptoFor(V1, '');
    const robot = { token: V1.token, aesKey: V1.encodingAESKey };
    const message = {
      msgid: 'MSG1',
      aibotid: 'AIBOT',
      chatid: 'CHAT1',
      chattype: 'group',
      from: { userid: 'zhangsan' },
      msgtype: 'text',
      text: { content: '@RobotA hello robot' },
    };

    it('GET verifies with receive-id ""', async () => {
      const s = await start({ bot: new RecordingBot(), robot });
      const res = await s.get(
        '/wecom/bot',
        buildVerifyQuery(robotCrypto, '9876543210', { timestamp: NOW_S, nonce: 'v1' }),
      );
      expect(await res.text()).toBe('9876543210');
    });

    it('POST round trip: mention stripped, finished stream, the callback nonce and a numeric timestamp', async () => {
      const bot = new RecordingBot();
      const s = await start({ bot, robot });
      const { query, body } = buildBotCallback(robotCrypto, message, { timestamp: NOW_S, nonce: 'nonce-7' });
      const res = await s.post('/wecom/bot', query, body);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(bot.updates[0]).toMatchObject({
        id: 'bot:MSG1',
        channel: 'bot',
        userId: 'zhangsan',
        chatId: 'CHAT1',
        chatType: 'group',
        text: 'hello robot',
      });
      const opened = openBotReply(robotCrypto, await res.text());
      expect(opened.nonce).toBe('nonce-7');
      expect(opened.timestamp).toBe(NOW_S);
      expect(opened.json).toMatchObject({ msgtype: 'stream', stream: { finish: true, content: 'ok:hello robot' } });
    });

    it('a stream refresh is finished at once with the same id, without the bot', async () => {
      const bot = new RecordingBot();
      const s = await start({ bot, robot });
      const { query, body } = buildBotCallback(
        robotCrypto,
        { ...message, msgtype: 'stream', stream: { id: 'S-42' } },
        { timestamp: NOW_S, nonce: 'n' },
      );
      const opened = openBotReply(robotCrypto, await (await s.post('/wecom/bot', query, body)).text());
      expect(opened.json).toEqual({ msgtype: 'stream', stream: { id: 'S-42', finish: true, content: '' } });
      expect(bot.updates).toHaveLength(0);
    });
  });

  /** Encrypt a hand-made (deliberately mis-padded) plaintext with V1's key. */
  function rawEncrypt(plain: Buffer): string {
    const key = Buffer.from(`${V1.encodingAESKey}=`, 'base64');
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
  }

  describe('refusals never reach the bot', () => {
    async function refused<Q extends Query<Q>>(
      opts: Options & { bot: RecordingBot },
      path: string,
      query: Q,
      body: string | null,
    ) {
      const s = await start(opts);
      const res = body === null ? await s.get(path, query) : await s.post(path, query, body);
      const text = await res.text();
      expect(opts.bot.updates).toHaveLength(0);
      return { status: res.status, text, logs: s.logs };
    }

    it('a tampered signature: 401 and a structured warning', async () => {
      const r = await refused(
        { bot: new RecordingBot(), app: appConfig(V1) },
        '/wecom/app',
        { ...postQuery(V1), msg_signature: 'f'.repeat(40) },
        V1.post.body!,
      );
      expect([r.status, r.text]).toEqual([401, 'bad_signature']);
      expect(r.logs.find((l) => l.code === 'bad_signature')).toMatchObject({ level: 40, channel: 'app' });
    });

    it('a tampered GET signature: 401', async () => {
      const r = await refused(
        { bot: new RecordingBot(), app: appConfig(V1) },
        '/wecom/app',
        { ...V1.verifyUrl, nonce: '1' },
        null,
      );
      expect(r.status).toBe(401);
    });

    it('a stale timestamp: 401 when a tolerance is set', async () => {
      const r = await refused(
        { bot: new RecordingBot(), app: appConfig(V1), toleranceS: 300 },
        '/wecom/app',
        postQuery(V1),
        V1.post.body!,
      );
      expect([r.status, r.text]).toEqual([401, 'stale_timestamp']);
    });

    it('a wrong receive-id: an app-encrypted message sent to the robot URL is 400', async () => {
      const bot = new RecordingBot();
      const r = await refused(
        { bot, robot: { token: V1.token, aesKey: V1.encodingAESKey } },
        '/wecom/bot',
        postQuery(V1),
        JSON.stringify({ encrypt: V1.post.encrypt }),
      );
      expect([r.status, r.text]).toEqual([400, 'bad_receive_id']);
    });

    it('bad padding: 400', async () => {
      const c = cryptoFor(V1);
      const plain = Buffer.alloc(64, 7);
      plain[60] = 8;
      const encrypt = rawEncrypt(plain);
      const body = `<xml><ToUserName><![CDATA[${V1.receiveId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
      const r = await refused(
        { bot: new RecordingBot(), app: appConfig(V1) },
        '/wecom/app',
        { msg_signature: c.sign('1', '2', encrypt), timestamp: '1', nonce: '2' },
        body,
      );
      expect([r.status, r.text]).toEqual([400, 'bad_padding']);
    });

    it('a missing query parameter: 400', async () => {
      const r = await refused(
        { bot: new RecordingBot(), app: appConfig(V1) },
        '/wecom/app',
        { timestamp: '1', nonce: '2' },
        V1.post.body!,
      );
      expect([r.status, r.text]).toEqual([400, 'missing_field']);
    });

    it('a body over 256 KB: 413', async () => {
      const big = `<xml><Encrypt><![CDATA[${'A'.repeat(300 * 1024)}]]></Encrypt></xml>`;
      const r = await refused({ bot: new RecordingBot(), app: appConfig(V1) }, '/wecom/app', postQuery(V1), big);
      expect([r.status, r.text]).toEqual([413, 'too_large']);
    });

    it('malformed XML, an XML DOCTYPE, malformed JSON: 400', async () => {
      const app = { bot: new RecordingBot(), app: appConfig(V1) };
      expect((await refused(app, '/wecom/app', postQuery(V1), '<xml><Encrypt>')).status).toBe(400);
      expect((await refused(app, '/wecom/app', postQuery(V1), '{"encrypt":"x"}')).status).toBe(400);
      const doctype = `<!DOCTYPE xml [<!ENTITY e "${V1.post.encrypt}">]><xml><Encrypt>&e;</Encrypt></xml>`;
      expect(await refused(app, '/wecom/app', postQuery(V1), doctype)).toMatchObject({
        status: 400,
        text: 'malformed',
      });
      const bot = { bot: new RecordingBot(), robot: { token: V1.token, aesKey: V1.encodingAESKey } };
      expect(await refused(bot, '/wecom/bot', postQuery(V1), '{"encrypt":')).toMatchObject({
        status: 400,
        text: 'malformed',
      });
      expect((await refused(bot, '/wecom/bot', postQuery(V1), '')).status).toBe(400);
    });

    it('a correctly signed and encrypted but malformed message: 400', async () => {
      const c = cryptoFor(V1);
      const { encrypt, signature } = c.encryptReply('<xml><MsgType>text</xml>', NOW_S, 'n');
      const body = `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
      const r = await refused(
        { bot: new RecordingBot(), app: appConfig(V1) },
        '/wecom/app',
        { msg_signature: signature, timestamp: String(NOW_S), nonce: 'n' },
        body,
      );
      expect([r.status, r.text]).toEqual([400, 'malformed']);
      const robotCrypto = cryptoFor(V1, '');
      const { query, body: botBody } = buildBotCallback(
        robotCrypto,
        { msgid: 'm', msgtype: 'text' },
        { timestamp: NOW_S, nonce: 'n' },
      );
      const r2 = await refused(
        { bot: new RecordingBot(), robot: { token: V1.token, aesKey: V1.encodingAESKey } },
        '/wecom/bot',
        query,
        botBody,
      );
      expect([r2.status, r2.text]).toEqual([400, 'missing_field']);
    });

    it('a channel that is not configured: 404 with a log line', async () => {
      const r = await refused({ bot: new RecordingBot(), app: appConfig(V1) }, '/wecom/bot', postQuery(V1), '{}');
      expect(r.status).toBe(404);
      expect(r.logs.some((l) => l.channel === 'bot' && l.level === 40)).toBe(true);
    });
  });
});
