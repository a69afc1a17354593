import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { startFakeWecom } from '../../src/fakewecom/server.js';
import { WecomApi, type WecomApiOptions } from '../../src/wecom/api/client.js';
import { WecomApiError, WecomConfigError, WecomHttpError } from '../../src/wecom/api/errors.js';
import { Keys } from '../../src/redis/keys.js';
import { useTestRedis } from '../helpers/redis.js';
import { TestClock } from '../helpers/clock.js';

const { redis, keys } = useTestRedis();
const clock = new TestClock();
const fake = await startFakeWecom({ clock, knownUsers: ['zhangsan', 'lisi'] });
afterAll(() => fake.stop());

const GETTOKEN = '/cgi-bin/gettoken';
let n = 0;

/** A client on a fresh key namespace unless `ns` names a shared one (so token caches do not leak between tests). */
function client(over: Partial<WecomApiOptions> = {}, ns = `${keys.ns}x${++n}`): WecomApi {
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
    ...over,
  });
}

const text = (content: string, touser = 'zhangsan') => ({
  touser,
  msgtype: 'text',
  agentid: Number(fake.agentId),
  text: { content },
});

beforeEach(() => {
  fake.requests.length = 0;
  fake.clearInjections();
});

describe('access token', () => {
  it('is fetched once for two clients (two instances) and shared through Redis', async () => {
    const ns = `${keys.ns}shared`;
    const [a, b] = [client({}, ns), client({}, ns)];
    await Promise.all([
      a.call('message/send', { body: text('a1') }),
      b.call('message/send', { body: text('b1') }),
      a.call('message/send', { body: text('a2') }),
    ]);
    expect(fake.count(GETTOKEN)).toBe(1);
    const tokens = new Set(
      fake.requests.filter((r) => r.path === '/cgi-bin/message/send').map((r) => r.query.access_token),
    );
    expect(tokens.size).toBe(1);
  });

  it('is refreshed before it expires, not after WeCom refuses it', async () => {
    const api = client();
    await api.call('message/send', { body: text('before') });
    clock.advance(6000 * 1000);
    await api.call('message/send', { body: text('still fresh') });
    expect(fake.count(GETTOKEN)).toBe(1);
    clock.advance(1000 * 1000); // 7000 s after issue: inside the last five minutes
    await api.call('message/send', { body: text('refreshed') });
    expect(fake.count(GETTOKEN)).toBe(2);
    // WeCom gave the same token for its last 200 s; it is used to the end rather than fetched again and again.
    clock.advance(150 * 1000);
    await api.call('message/send', { body: text('same token, no new fetch') });
    expect(fake.count(GETTOKEN)).toBe(2);
    clock.advance(7200 * 1000); // long past expiry
    await api.call('message/send', { body: text('after expiry') });
    expect(fake.count(GETTOKEN)).toBe(3);
    expect(fake.requests.every((r) => r.response?.errcode === 0)).toBe(true);
  });

  it('is refreshed once and the call retried on 42001 and on 40014', async () => {
    for (const errcode of [42001, 40014]) {
      const api = client();
      await api.call('message/send', { body: text('warm up') });
      fake.requests.length = 0;
      fake.inject({ errcode }, 1, { path: '/cgi-bin/message/send' });
      const res = await api.call('message/send', { body: text(`after ${errcode}`) });
      expect(res.errcode).toBe(0);
      expect(fake.requests.map((r) => [r.path, r.response?.errcode])).toEqual([
        ['/cgi-bin/message/send', errcode],
        [GETTOKEN, 0],
        ['/cgi-bin/message/send', 0],
      ]);
    }
  });

  it('is not refreshed in a loop when WeCom keeps refusing it', async () => {
    const api = client();
    fake.inject({ errcode: 42001 }, 5, { path: '/cgi-bin/message/send' });
    await expect(api.call('message/send', { body: text('x') })).rejects.toMatchObject({
      errcode: 42001,
      endpoint: 'message/send',
    });
    expect(fake.count(GETTOKEN)).toBe(2);
    expect(fake.count('/cgi-bin/message/send')).toBe(2);
  });
});

describe('configuration errors', () => {
  it('a wrong secret is reported with the fix, once, and shown by the start-up check', async () => {
    const api = client({ secret: 'wrong' });
    const warning = await api.checkConfig();
    expect(warning).toContain('WECOM_APP_SECRET');
    await expect(api.call('message/send', { body: text('x') })).rejects.toBeInstanceOf(WecomConfigError);
    expect(fake.count(GETTOKEN)).toBe(2);
    expect(fake.count('/cgi-bin/message/send')).toBe(0);
  });

  it('a wrong corp id and a server IP outside 企业可信IP say what to change', async () => {
    expect(await client({ corpId: 'wwwrong' }).checkConfig()).toContain('WECOM_CORP_ID');
    fake.inject({ errcode: 60020, errmsg: 'not allow to access from your ip, hint: [x], from ip: 198.51.100.23' }, 1, {
      path: GETTOKEN,
    });
    const warning = await client().checkConfig();
    expect(warning).toContain('企业可信IP');
    expect(warning).toContain('198.51.100.23');
  });

  it('the start-up check passes and caches the token when everything is right', async () => {
    const api = client();
    expect(await api.checkConfig()).toBeNull();
    await api.call('message/send', { body: text('x') });
    expect(fake.count(GETTOKEN)).toBe(1);
  });

  it('instances starting together check with one gettoken between them, and a restart with none', async () => {
    const ns = `${keys.ns}startup`;
    const checks = await Promise.all([client({}, ns), client({}, ns), client({}, ns)].map((a) => a.checkConfig()));
    expect(checks).toEqual([null, null, null]);
    expect(fake.count(GETTOKEN)).toBe(1);
    expect(await client({}, ns).checkConfig()).toBeNull();
    expect(fake.count(GETTOKEN)).toBe(1);
    // A cached token does not hide a wrong secret: it does not open with another secret's key.
    expect(await client({ secret: 'wrong' }, ns).checkConfig()).toContain('WECOM_APP_SECRET');
  });

  it('an unreachable WeCom is a warning, not a crash', async () => {
    const warning = await client({ base: 'http://127.0.0.1:1' }).checkConfig();
    expect(warning).toContain('WECOM_API_BASE');
  });
});

describe('every endpoint of the table against the fake', () => {
  const api = client();

  it('message/send: text, markdown and template_card; errors carry errcode, errmsg, endpoint', async () => {
    expect((await api.call('message/send', { body: text('hello') })).msgid).toBeTruthy();
    const md = {
      touser: 'zhangsan|nobody',
      msgtype: 'markdown',
      agentid: Number(fake.agentId),
      markdown: { content: '**ok**' },
    };
    expect((await api.call('message/send', { body: md })).invaliduser).toBe('nobody');
    const card = {
      card_type: 'button_interaction',
      main_title: { title: '审批' },
      task_id: 'T1',
      button_list: [{ text: '同意', style: 1, key: 'approve' }],
    };
    const sent = await api.call('message/send', {
      body: { touser: 'lisi', msgtype: 'template_card', agentid: Number(fake.agentId), template_card: card },
    });
    expect(sent.response_code).toBeTruthy();
    const err = await api.call('message/send', { body: text('x', 'ghost') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomApiError);
    expect(err).toMatchObject({ errcode: 81013, endpoint: 'message/send' });
    expect((err as WecomApiError).errmsg).toContain('all invalid');

    const update = {
      userids: ['lisi'],
      agentid: Number(fake.agentId),
      response_code: sent.response_code,
      button: { replace_name: '已同意' },
    };
    expect((await api.call('message/update_template_card', { body: update })).errcode).toBe(0);
    await expect(api.call('message/update_template_card', { body: update })).rejects.toMatchObject({ errcode: 40058 });
  });

  it('appchat/send, media/upload and an image message', async () => {
    expect(
      (await api.call('appchat/send', { body: { chatid: 'chat1', msgtype: 'text', text: { content: 'hi' } } })).errcode,
    ).toBe(0);
    const media = {
      filename: 'chart.png',
      contentType: 'image/png',
      data: Buffer.from('89504e470d0a1a0a-fake-png', 'utf8'),
    };
    const up = await api.call('media/upload', { query: { type: 'image' }, media });
    expect(up).toMatchObject({ errcode: 0, type: 'image' });
    const img = {
      touser: 'zhangsan',
      msgtype: 'image',
      agentid: Number(fake.agentId),
      image: { media_id: up.media_id },
    };
    expect((await api.call('message/send', { body: img })).errcode).toBe(0);
  });

  it('webhook/send (text, markdown, image), webhook/upload_media and the response_url', async () => {
    await api.call('webhook/send', { query: { key: 'k1' }, body: { msgtype: 'text', text: { content: 'hi' } } });
    await api.call('webhook/send', {
      query: { key: 'k1' },
      body: { msgtype: 'markdown', markdown: { content: '# hi' } },
    });
    const png = Buffer.from('not really a png but bytes');
    const md5 = (await import('node:crypto')).createHash('md5').update(png).digest('hex');
    await api.call('webhook/send', {
      query: { key: 'k1' },
      body: { msgtype: 'image', image: { base64: png.toString('base64'), md5 } },
    });
    await expect(
      api.call('webhook/send', {
        query: { key: 'k1' },
        body: { msgtype: 'image', image: { base64: png.toString('base64'), md5: '0'.repeat(32) } },
      }),
    ).rejects.toMatchObject({ errcode: 40058 });
    const file = await api.call('webhook/upload_media', {
      query: { key: 'k1', type: 'file' },
      media: { filename: 'a.txt', contentType: 'text/plain', data: Buffer.from('report text') },
    });
    await api.call('webhook/send', {
      query: { key: 'k1' },
      body: { msgtype: 'file', file: { media_id: file.media_id } },
    });
    await expect(
      api.call('webhook/send', { query: { key: 'k2' }, body: { msgtype: 'file', file: { media_id: file.media_id } } }),
    ).rejects.toMatchObject({ errcode: 40007 });

    const code = new URL(fake.issueResponseUrl()).searchParams.get('response_code')!;
    const reply = { msgtype: 'markdown', markdown: { content: '收到' } };
    expect((await api.call('aibot/response', { query: { response_code: code }, body: reply })).errcode).toBe(0);
    await expect(api.call('aibot/response', { query: { response_code: code }, body: reply })).rejects.toMatchObject({
      endpoint: 'aibot/response',
    });
    expect(fake.sent('webhook').length).toBeGreaterThanOrEqual(4);
  });

  it('checkin/getcheckindata and auth/getuserinfo return what the test registered', async () => {
    const t = Math.floor(clock.time / 1000);
    fake.addCheckinRecords([
      { userid: 'zhangsan', checkin_type: '上班打卡', checkin_time: t - 3600, location_title: '村委会' },
      { userid: 'zhangsan', checkin_type: '外出打卡', checkin_time: t - 1800 },
      { userid: 'lisi', checkin_type: '上班打卡', checkin_time: t - 3600 },
    ]);
    const res = await api.call('checkin/getcheckindata', {
      body: { opencheckindatatype: 1, starttime: t - 86400, endtime: t, useridlist: ['zhangsan'] },
    });
    expect(res.checkindata).toEqual([
      { userid: 'zhangsan', checkin_type: '上班打卡', checkin_time: t - 3600, location_title: '村委会' },
    ]);
    await expect(
      api.call('checkin/getcheckindata', {
        body: { opencheckindatatype: 3, starttime: t - 40 * 86400, endtime: t, useridlist: ['zhangsan'] },
      }),
    ).rejects.toMatchObject({ errcode: 40058 });

    const code = fake.issueOAuthCode('lisi');
    expect(await api.call('auth/getuserinfo', { query: { code } })).toMatchObject({ errcode: 0, userid: 'lisi' });
    await expect(api.call('auth/getuserinfo', { query: { code } })).rejects.toMatchObject({ errcode: 40029 });
  });

  it('JS-SDK tickets of the corp and of the app are cached', async () => {
    const corp = await api.jsTicket('corp');
    const agent = await api.jsTicket('agent');
    expect(corp).not.toBe(agent);
    expect(await api.jsTicket('corp')).toBe(corp);
    expect(await api.jsTicket('agent')).toBe(agent);
    expect(fake.count('/cgi-bin/get_jsapi_ticket')).toBe(1);
    expect(fake.requests.find((r) => r.path === '/cgi-bin/ticket/get')?.query.type).toBe('agent_config');
  });
});

describe('failures without a WeCom answer', () => {
  const api = client();
  it.each([
    [{ status: 500 }, 'status'],
    [{ status: 502 }, 'status'],
    [{ reset: true as const }, 'reset'],
    [{ stall: true as const }, 'timeout'],
  ])('%o is a WecomHttpError (%s) and retryable', async (spec, reason) => {
    fake.inject(spec, 1, { path: '/cgi-bin/message/send' });
    const err = await api.call('message/send', { body: text('x') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomHttpError);
    expect((err as WecomHttpError).reason).toBe(reason);
    expect((err as WecomHttpError).transient).toBe(true);
  });
});
