/**
 * The WeCom access_token and the JS-SDK tickets are sealed (AES-256-GCM, key derived from the app secret) in
 * Redis: someone who can read Redis does not get a usable token, every instance with the same secret reads the
 * same cached value, and a value that does not open (another key, tampered with, or stored in plain text by an
 * older version) counts as missing: it is fetched again, never used.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { startFakeWecom } from '../../src/fakewecom/server.js';
import { Keys } from '../../src/redis/keys.js';
import { WecomApi } from '../../src/wecom/api/client.js';
import { SharedCredential } from '../../src/wecom/api/credential.js';
import { CredentialSeal } from '../../src/wecom/api/seal.js';
import { useTestRedis } from '../helpers/redis.js';
import { TestClock } from '../helpers/clock.js';

const { redis, keys } = useTestRedis();
const clock = new TestClock();
const fake = await startFakeWecom({ clock, knownUsers: ['zhangsan'] });
afterAll(() => fake.stop());

const GETTOKEN = '/cgi-bin/gettoken';
let n = 0;

function client(ns: string): WecomApi {
  return new WecomApi({
    base: fake.url,
    corpId: fake.corpId,
    agentId: fake.agentId,
    secret: fake.secret,
    redis,
    keys: new Keys(ns),
    log: silentLogger,
    clock,
    timeoutMs: 2000,
  });
}

const text = (content: string) => ({
  touser: 'zhangsan',
  msgtype: 'text',
  agentid: Number(fake.agentId),
  text: { content },
});
const sentTokens = () =>
  fake.requests.filter((r) => r.path === '/cgi-bin/message/send').map((r) => r.query.access_token);

beforeEach(() => {
  fake.requests.length = 0;
  fake.clearInjections();
});

describe('WeCom credentials at rest', () => {
  it('keep the access token and the tickets out of the raw Redis values', async () => {
    const ns = `${keys.ns}r${++n}`;
    const api = client(ns);
    await api.call('message/send', { body: text('hello') });
    const token = sentTokens()[0]!;
    expect(token).toBeTruthy();
    const k = new Keys(ns);
    const raw = (await redis.get(k.accessToken(fake.corpId, fake.agentId)))!;
    expect(raw).toBeTruthy();
    expect(raw).not.toContain(token);
    expect(raw).not.toContain('refreshAt');
    expect(Buffer.from(raw, 'utf8').toString('latin1')).not.toContain(token);
    for (const kind of ['corp', 'agent'] as const) {
      const ticket = await api.jsTicket(kind);
      const rawTicket = (await redis.get(k.jsTicket(fake.corpId, fake.agentId, kind)))!;
      expect(rawTicket).toBeTruthy();
      expect(rawTicket).not.toContain(ticket);
    }
  });

  it('are shared by two instances with the same secret', async () => {
    const ns = `${keys.ns}r${++n}`;
    const [a, b] = [client(ns), client(ns)];
    await a.call('message/send', { body: text('a') });
    await b.call('message/send', { body: text('b') });
    expect(fake.count(GETTOKEN)).toBe(1);
    expect(new Set(sentTokens()).size).toBe(1);
    expect(await b.jsTicket('corp')).toBe(await a.jsTicket('corp'));
    expect(fake.count('/cgi-bin/get_jsapi_ticket')).toBe(1);
  });

  it('refresh a tampered value instead of using it', async () => {
    const ns = `${keys.ns}r${++n}`;
    const api = client(ns);
    await api.call('message/send', { body: text('first') });
    const key = new Keys(ns).accessToken(fake.corpId, fake.agentId);
    const raw = (await redis.get(key))!;
    // Flip one bit of the ciphertext (a changed base64 character could fall in padding bits and decode the same).
    const parts = raw.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    await redis.set(key, parts.join('.'), 'PX', 60_000);
    await api.call('message/send', { body: text('second') });
    expect(fake.count(GETTOKEN)).toBe(2);
    expect(fake.requests.every((r) => r.response?.errcode === 0)).toBe(true);
  });

  it('refresh a value stored in plain text or sealed under another secret', async () => {
    const ns = `${keys.ns}r${++n}`;
    const api = client(ns);
    const key = new Keys(ns).accessToken(fake.corpId, fake.agentId);
    const planted = {
      value: 'PLANTED',
      refreshAt: clock.now().getTime() + 3_600_000,
      expiresAt: clock.now().getTime() + 3_600_000,
    };
    await redis.set(key, JSON.stringify(planted), 'PX', 60_000);
    await api.call('message/send', { body: text('plain') });
    expect(sentTokens()).not.toContain('PLANTED');
    expect(fake.count(GETTOKEN)).toBe(1);

    const other = new SharedCredential({
      redis,
      clock,
      cacheKey: key,
      lockKey: `${key}:lock-test`,
      name: 'access_token',
      seal: new CredentialSeal('another secret'),
      fetch: async () => ({ value: 'OTHER-KEY', expiresInS: 7200 }),
      waitMs: 1000,
    });
    await other.store({ value: 'OTHER-KEY', expiresInS: 7200 });
    await api.call('message/send', { body: text('other key') });
    expect(sentTokens()).not.toContain('OTHER-KEY');
    expect(fake.count(GETTOKEN)).toBe(2);
  });

  it('do not open under another cache key (a ticket copied over the token)', () => {
    const seal = new CredentialSeal('s3cret');
    const sealed = seal.seal('{"value":"x"}', 'key-a');
    expect(seal.open(sealed, 'key-a')).toBe('{"value":"x"}');
    expect(seal.open(sealed, 'key-b')).toBeNull();
    expect(new CredentialSeal('other').open(sealed, 'key-a')).toBeNull();
    expect(seal.open('garbage', 'key-a')).toBeNull();
  });
});
