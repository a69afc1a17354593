/**
 * Replays the bad-input corpus (test/fixtures/bad-input/) against the running app — the sandbox build, which
 * serves every surface: WeCom app and robot callbacks (with the sandbox's credentials), admin, check-in page,
 * sandbox API. Each case must get its expected refusal, never a 5xx, never an error log line, never a polluted
 * Object.prototype, and must write nothing to Redis beyond the side effects it names (side-effects.json). Writes
 * are seen through keyspace notifications (every written key, new or existing) and a key snapshot before/after.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { getSignature } from '@wecom/crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import type { FakeWecom } from '../../src/fakewecom/server.js';
import { policyWithoutCatchUp } from '../helpers/no-catch-up.js';
import { loadEnv } from '../../src/config/env.js';
import { SANDBOX_APP, SANDBOX_ROBOT } from '../../src/sandbox/config.js';
import { WecomCrypto } from '../../src/wecom/crypto.js';
import { openAppReply, openBotReply } from '../../src/wecom/simulate.js';
import { freePort } from '../global-setup.js';
import {
  expandRepeats,
  fill,
  loadCorpus,
  loadSideEffects,
  type LoadedCase,
  type SignSpec,
} from '../helpers/bad-input.js';
import { rawRequest, type RawResponse } from '../helpers/raw-http.js';

const NS = `bad${randomBytes(3).toString('hex')}`;
const ADMIN_TOKEN = 'bad-input-admin-token';
const MARKER = `${NS}~marker`;
const corpus = loadCorpus();
const effects = loadSideEffects(NS);

const CHANNELS = {
  app: { token: SANDBOX_APP.token, aesKey: SANDBOX_APP.aesKey, receiveId: SANDBOX_APP.corpId, path: '/wecom/app' },
  bot: { token: SANDBOX_ROBOT.token, aesKey: SANDBOX_ROBOT.aesKey, receiveId: '', path: '/wecom/bot' },
} as const;
const DEFAULT_ENVELOPE = {
  app: `<xml><ToUserName><![CDATA[${SANDBOX_APP.corpId}]]></ToUserName><Encrypt><![CDATA[{{encrypt}}]]></Encrypt><AgentID><![CDATA[${SANDBOX_APP.agentId}]]></AgentID></xml>`,
  bot: '{"encrypt":"{{encrypt}}"}',
};

/** Log lines at error level or above, per case: a refusal is a warning, never an error. */
const errors: Record<string, unknown>[] = [];
const log = pino(
  { level: 'warn' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) {
        const line = JSON.parse(l) as { level: number };
        if (line.level >= 50) errors.push(line);
      }
      done();
    },
  }),
);

let app: RunningApp;
let redis: Redis;
let sub: Redis;
let keyspaceBefore = '';
const written: string[] = [];
let markerSeen: (() => void) | undefined;

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'));
  sub = new Redis(inject('redisUrl'));
  keyspaceBefore = ((await redis.config('GET', 'notify-keyspace-events')) as string[])[1] ?? '';
  await redis.config('SET', 'notify-keyspace-events', 'KA');
  await sub.psubscribe(`__keyspace@*__:${NS}*`);
  sub.on('pmessage', (_p: string, channel: string) => {
    const key = channel.slice(channel.indexOf(':') + 1);
    if (key === MARKER) markerSeen?.();
    else written.push(key);
  });
  const env = loadEnv({
    ZHUCUN_SANDBOX: '1',
    REDIS_URL: inject('redisUrl'),
    ZHUCUN_NAMESPACE: NS,
    PORT: String(await freePort()),
    ADMIN_TOKEN,
    // Nothing made up at start: the replay must not see the day's jobs writing beside it.
    ZHUCUN_POLICY: policyWithoutCatchUp(),
  });
  app = await startApp(env, log);
  // Scheduled jobs write on their own time; they are not what is replayed here.
  await app.scheduler.stop();
  // The seeded history's assessment round sends its rating cards after the start: delivered before the replay.
  await sentAll(app.fake!);
}, 90_000);

/** Resolves once `fake` has received nothing for 1.5 s: what the start queued is out. */
async function sentAll(fake: FakeWecom): Promise<void> {
  let last = -1;
  for (let i = 0; i < 40 && fake.sent().length !== last; i++) {
    last = fake.sent().length;
    await new Promise((r) => setTimeout(r, 1_500));
  }
}

afterAll(async () => {
  await app?.close();
  await redis.config('SET', 'notify-keyspace-events', keyspaceBefore);
  sub.disconnect();
  for await (const batch of redis.scanStream({ match: `${NS}*`, count: 1000 }))
    if ((batch as string[]).length) await redis.unlink(...(batch as string[]));
  redis.disconnect();
});

async function keySnapshot(): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const batch of redis.scanStream({ match: `${NS}:*`, count: 1000 }))
    for (const k of batch as string[]) keys.add(k);
  return keys;
}

/** Every keyspace event so far has arrived once the marker's own event has. */
async function drainEvents(): Promise<void> {
  const seen = new Promise<void>((resolve) => (markerSeen = resolve));
  await redis.set(MARKER, String(Date.now()), 'EX', 600);
  await seen;
}

const vars = (): Record<string, string | number> => ({
  adminToken: ADMIN_TOKEN,
  corpId: SANDBOX_APP.corpId,
  agentId: SANDBOX_APP.agentId,
  now: unixNow(),
  uid: randomBytes(8).toString('hex'),
});
const unixNow = () => Math.floor(Date.now() / 1000);
const text = (s: string) => expandRepeats(fill(s, vars()));

function timestampOf(spec: string | undefined): string {
  const m = /^now([+-]\d+)?$/.exec(spec ?? 'now');
  return m ? String(unixNow() + Number(m[1] ?? 0)) : spec!;
}

/** random ‖ msg_len ‖ msg ‖ receive-id, PKCS#7 to 32 bytes (or the case's own pad), AES-256-CBC as WeCom does. */
function encryptFor(sign: SignSpec, plaintext: string): string {
  const ch = CHANNELS[sign.channel];
  const key = Buffer.from(`${sign.aesKey ?? ch.aesKey}=`, 'base64');
  const receiveId = Buffer.from(sign.receiveId ?? ch.receiveId, 'utf8');
  let msg = Buffer.from(plaintext, 'utf8');
  // A wrong pad value still fills whole blocks: the message gets trailing spaces until it does.
  // Numbers in a template's `vary` arrive as text.
  const padValue = sign.pad === undefined ? undefined : Number(sign.pad);
  const padLength = padValue === undefined ? undefined : padValue === 0 ? 32 : padValue;
  if (padLength !== undefined)
    while ((20 + msg.length + receiveId.length + padLength) % 32 !== 0) msg = Buffer.concat([msg, Buffer.from(' ')]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(sign.declaredLength === undefined ? msg.length : Number(sign.declaredLength));
  const body = Buffer.concat([randomBytes(16), len, msg, receiveId]);
  const pad = padLength ?? 32 - (body.length % 32);
  const padded = Buffer.concat([body, Buffer.alloc(pad, padValue ?? pad)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

interface Built {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

function build(c: LoadedCase): Built {
  const headers = Object.fromEntries(Object.entries(c.headers ?? {}).map(([k, v]) => [k, text(v)]));
  const method = c.method ?? 'GET';
  if (!c.sign) {
    const body =
      c.bodyBase64 !== undefined
        ? Buffer.from(c.bodyBase64, 'base64')
        : c.body !== undefined
          ? text(c.body)
          : undefined;
    return {
      method,
      path: `${text(c.path ?? '/')}${c.query !== undefined ? `?${text(c.query)}` : ''}`,
      headers,
      ...(body !== undefined ? { body } : {}),
    };
  }
  const s = c.sign;
  const ch = CHANNELS[s.channel];
  const encrypt = c.encrypt !== undefined ? text(c.encrypt) : encryptFor(s, text(c.plaintext ?? ''));
  const timestamp = timestampOf(s.timestamp);
  const nonce = s.nonce ?? randomBytes(5).toString('hex');
  const signature =
    s.signature ??
    getSignature(s.token ?? ch.token, timestamp, nonce, s.signOver !== undefined ? text(s.signOver) : encrypt);
  const params: [string, string][] = [
    ['msg_signature', signature],
    ['timestamp', timestamp],
    ['nonce', nonce],
  ];
  if (method === 'GET') params.push(['echostr', encrypt]);
  const query = params
    .filter(([k]) => !s.omit?.includes(k))
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .concat(c.query ? [text(c.query)] : [])
    .join('&');
  const body = method === 'GET' ? undefined : fill(text(c.envelope ?? DEFAULT_ENVELOPE[s.channel]), { encrypt });
  return { method, path: `${text(c.path ?? ch.path)}?${query}`, headers, ...(body !== undefined ? { body } : {}) };
}

/** The request bytes exactly as written; the status line of whatever comes back (0 when the server just closes). */
function sendRaw(raw: string): Promise<RawResponse> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(Buffer.from(raw, 'latin1')));
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(all.toString('latin1'))?.[1];
      const split = all.indexOf('\r\n\r\n');
      resolve({
        status: status ? Number(status) : 0,
        headers: {},
        body: split < 0 ? Buffer.alloc(0) : all.subarray(split + 4),
      });
    });
    setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer within 8 s'));
    }, 8_000).unref();
  });
}

function replyText(c: LoadedCase, body: string): string {
  const ch = CHANNELS[c.sign!.channel];
  const crypto = new WecomCrypto({ token: ch.token, encodingAESKey: ch.aesKey, receiveId: ch.receiveId });
  if (c.sign!.channel === 'app') return String(openAppReply(crypto, body).fields.Content ?? '');
  return JSON.stringify(openBotReply(crypto, body).json);
}

/** What is wrong with the app's answer to a case; empty when it behaved. */
async function replay(c: LoadedCase): Promise<string[]> {
  const before = await keySnapshot();
  await drainEvents();
  written.length = 0;
  errors.length = 0;
  const res = c.raw !== undefined ? await sendRaw(text(c.raw)) : await rawRequest(app.url, build(c));
  await drainEvents();
  const after = await keySnapshot();
  const problems: string[] = [];
  const statuses = Array.isArray(c.expect.status) ? c.expect.status : [c.expect.status];
  const body = res.body.toString('utf8');
  if (res.status >= 500) problems.push(`answered ${res.status} (server error): ${body.slice(0, 200)}`);
  if (!statuses.includes(res.status))
    problems.push(`status ${res.status}, expected ${statuses.join(' or ')}; body: ${body.slice(0, 200)}`);
  if (c.expect.text !== undefined && body !== c.expect.text)
    problems.push(`body ${JSON.stringify(body.slice(0, 200))}, expected ${JSON.stringify(c.expect.text)}`);
  if (c.expect.reply === 'chinese' && res.status === 200 && !/[\u4e00-\u9fff]/.test(replyText(c, body)))
    problems.push('the reply is not a sentence for people');
  if (errors.length) problems.push(`error log lines: ${JSON.stringify(errors).slice(0, 400)}`);
  if (
    Object.keys(Object.prototype).length ||
    Object.getOwnPropertyNames(Object.prototype).some((n) => /polluted|isAdmin/.test(n))
  ) {
    problems.push(`Object.prototype polluted: ${Object.getOwnPropertyNames(Object.prototype).join(', ')}`);
  }
  const allowed = [...effects.always, ...(c.expect.writes ?? []).map((w) => effects.classes[w] ?? /$^/)];
  const changedKeys = new Set([
    ...written,
    ...[...after].filter((k) => !before.has(k)),
    ...[...before].filter((k) => !after.has(k)),
  ]);
  const unexpected = [...changedKeys].filter((k) => !allowed.some((re) => re.test(k)));
  if (unexpected.length) problems.push(`wrote to Redis: ${unexpected.slice(0, 5).join(', ')}`);
  return problems;
}

describe('the bad-input corpus', () => {
  it('holds at least 300 cases, each expecting a status', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    for (const c of corpus) expect(c.expect?.status, `${c.file}: ${c.name}`).toBeDefined();
    for (const c of corpus)
      for (const w of c.expect.writes ?? []) expect(Object.keys(effects.classes), `${c.file}: ${c.name}`).toContain(w);
  });
});

for (const file of [...new Set(corpus.map((c) => c.file))]) {
  describe(file, () => {
    for (const c of corpus.filter((x) => x.file === file)) {
      it(c.name, async () => {
        expect(await replay(c)).toEqual([]);
      });
    }
    it('the app still answers afterwards', async () => {
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    });
  });
}
