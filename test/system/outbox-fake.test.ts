import { afterAll, describe, expect, it } from 'vitest';
import { startFakeWecom } from '../../src/fakewecom/server.js';
import { TestClock } from '../helpers/clock.js';

const clock = new TestClock();
const fake = await startFakeWecom({ clock, tokenTtlS: 7200, knownUsers: ['a', 'b'], webhookKeys: ['good-key'] });
afterAll(() => fake.stop());

async function call(method: 'GET' | 'POST', path: string, query: Record<string, string> = {}, body?: unknown) {
  const url = `${fake.url}${path}?${new URLSearchParams(query)}`;
  const res = await fetch(url, {
    method,
    ...(body === undefined
      ? {}
      : {
          body: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        }),
  });
  return (await res.json()) as Record<string, unknown>;
}
const token = async () =>
  String((await call('GET', '/cgi-bin/gettoken', { corpid: fake.corpId, corpsecret: fake.secret })).access_token);
const send = (access_token: string, body: Record<string, unknown>) =>
  call('POST', '/cgi-bin/message/send', { access_token }, { agentid: Number(fake.agentId), ...body });

describe('fake WeCom', () => {
  it('answers gettoken like [D:91039] and the same token while it is valid', async () => {
    const first = await call('GET', '/cgi-bin/gettoken', { corpid: fake.corpId, corpsecret: fake.secret });
    expect(first).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    expect(typeof first.access_token).toBe('string');
    clock.advance(1000 * 1000);
    expect(await call('GET', '/cgi-bin/gettoken', { corpid: fake.corpId, corpsecret: fake.secret })).toMatchObject({
      access_token: first.access_token,
      expires_in: 6200,
    });
    expect((await call('GET', '/cgi-bin/gettoken', { corpid: 'x', corpsecret: fake.secret })).errcode).toBe(40013);
    expect((await call('GET', '/cgi-bin/gettoken', { corpid: fake.corpId, corpsecret: 'x' })).errcode).toBe(40001);
  });

  it('checks access tokens: 41001 missing, 40014 unknown, 42001 expired', async () => {
    const t = await token();
    expect((await send('', { touser: 'a', msgtype: 'text', text: { content: 'x' } })).errcode).toBe(41001);
    expect((await send('made-up', { touser: 'a', msgtype: 'text', text: { content: 'x' } })).errcode).toBe(40014);
    clock.advance(7200 * 1000);
    const expired = await send(t, { touser: 'a', msgtype: 'text', text: { content: 'x' } });
    expect(expired.errcode).toBe(42001);
    expect(String(expired.errmsg)).toContain('devtool/query?e=42001');
    expect(await token()).not.toBe(t);
  });

  it('answers message/send with the fields of [D:90236], dropping a member’s 31st message in a minute', async () => {
    const t = await token();
    const res = await send(t, { touser: 'a|zz', msgtype: 'text', text: { content: 'hi' } });
    expect(res).toMatchObject({
      errcode: 0,
      errmsg: 'ok',
      invaliduser: 'zz',
      invalidparty: '',
      invalidtag: '',
      unlicenseduser: '',
    });
    expect(typeof res.msgid).toBe('string');
    expect((await send(t, { touser: 'zz', msgtype: 'text', text: { content: 'hi' } })).errcode).toBe(81013);
    expect((await send(t, { touser: 'a', msgtype: 'nope' })).errcode).toBe(40008);
    expect((await send(t, { touser: 'a', msgtype: 'text', text: { content: '' } })).errcode).toBe(44004);
    expect((await call('POST', '/cgi-bin/message/send', { access_token: t }, '{not json')).errcode).toBe(47001);
    const before = fake.sent('app').length;
    for (let i = 0; i < 31; i++) await send(t, { touser: 'b', msgtype: 'text', text: { content: `n${i}` } });
    const last = fake.sent('app').slice(before);
    expect(last.filter((d) => d.to.includes('b'))).toHaveLength(30);
    expect(last.at(-1)).toMatchObject({ to: [], dropped: ['b'] });
  });

  it('limits a group robot to 20 a minute, counting refused calls, and refuses unknown keys', async () => {
    const post = (content: string) =>
      call('POST', '/cgi-bin/webhook/send', { key: 'good-key' }, { msgtype: 'text', text: { content } });
    for (let i = 0; i < 19; i++) expect((await post(`m${i}`)).errcode).toBe(0);
    expect(
      (await call('POST', '/cgi-bin/webhook/send', { key: 'good-key' }, { msgtype: 'text', text: { content: '' } }))
        .errcode,
    ).toBe(44004);
    expect((await post('21st')).errcode).toBe(45009);
    clock.advance(30_000);
    expect((await post('still within the minute')).errcode).toBe(45009);
    clock.advance(30_001);
    expect((await post('next minute')).errcode).toBe(0);
    expect(
      (await call('POST', '/cgi-bin/webhook/send', { key: 'bad-key' }, { msgtype: 'text', text: { content: 'x' } }))
        .errcode,
    ).toBe(93000);
  });

  it('injects failures for the next N matching calls and records every request', async () => {
    const t = await token();
    fake.inject({ errcode: -1 }, 2, { path: '/cgi-bin/message/send', after: 1 });
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push((await send(t, { touser: 'a', msgtype: 'text', text: { content: `inj${i}` } })).errcode);
    expect(codes).toEqual([0, -1, -1, 0]);
    expect(fake.requests.filter((r) => r.outcome === 'injected').map((r) => r.response?.errcode)).toEqual([-1, -1]);

    fake.inject({ reset: true }, 1);
    await expect(send(t, { touser: 'a', msgtype: 'text', text: { content: 'r' } })).rejects.toThrow();
    fake.inject({ status: 500 }, 1);
    expect(
      (await fetch(`${fake.url}/cgi-bin/message/send?access_token=${t}`, { method: 'POST', body: '{}' })).status,
    ).toBe(500);
    fake.inject({ stall: true }, 1);
    const stalled = fake.waitFor('stall');
    const pending = send(t, { touser: 'a', msgtype: 'text', text: { content: 'held' } }).catch((e: unknown) => e);
    expect((await stalled).path).toBe('/cgi-bin/message/send');
    // The held request is never processed; it is dropped when the test stops the fake.
    expect(fake.sent().some((d) => (d.payload.text as { content?: string }).content === 'held')).toBe(false);
    const waiting = fake.waitForSent(fake.sent().length + 1);
    await send(t, { touser: 'a', msgtype: 'text', text: { content: 'after' } });
    expect((await waiting).at(-1)?.payload.text).toEqual({ content: 'after' });
    void pending;
  });
});
