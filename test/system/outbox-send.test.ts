import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/core/outbound.js';
import type { Injection } from '../../src/fakewecom/server.js';
import { jobIdFor } from '../../src/outbox/jobid.js';
import { useTestRedis } from '../helpers/redis.js';
import { startRig } from './fixtures/outbox-rig.js';

const { redis, keys, url } = useTestRedis();
const rig = await startRig({ redis, url, keys, fake: { knownUsers: ['zhangsan', 'lisi', 'wangwu'] } });
const { fake, outbox } = rig;
afterAll(() => rig.close());

beforeEach(() => fake.clearInjections());

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452-chart-bytes');
let seq = 0;
const key = (name: string) => `${name}:${++seq}`;
const text = (k: string, userIds = ['zhangsan']): Outbound => ({
  key: k,
  purpose: 'test',
  to: { kind: 'user', userIds },
  body: { type: 'text', content: k },
});
const contents = () =>
  fake
    .sent()
    .map(
      (d) =>
        (d.payload.text as { content?: string } | undefined)?.content ??
        (d.payload.markdown as { content?: string } | undefined)?.content,
    );

describe('sending through the outbox', () => {
  it('sends each kind of message in WeCom’s shapes', async () => {
    const card = {
      kind: 'button_interaction' as const,
      title: '请假审批 Q1024',
      fields: [{ key: '请假人', value: '王五' }],
      buttons: [{ text: '同意', key: 'approve:Q1024' }],
    };
    const responseUrl = fake.issueResponseUrl().replace(fake.url, 'https://qyapi.weixin.qq.com');
    const messages: Outbound[] = [
      { key: 'kinds:card', purpose: 'approval', to: { kind: 'user', userIds: ['lisi'] }, body: { type: 'card', card } },
      {
        key: 'kinds:md',
        purpose: 'digest',
        to: { kind: 'webhook', keyEnv: 'WEBHOOK_T1' },
        body: { type: 'markdown', content: '# 日报' },
      },
      {
        key: 'kinds:notice',
        purpose: 'announcement',
        to: { kind: 'webhook', keyEnv: 'WEBHOOK_T2' },
        body: { type: 'card', card: { kind: 'text_notice', title: '通知 N5' } },
      },
      {
        key: 'kinds:img-app',
        purpose: 'chart',
        to: { kind: 'user', userIds: ['wangwu'] },
        body: { type: 'image', pngBase64: PNG.toString('base64') },
      },
      {
        key: 'kinds:img-wh',
        purpose: 'chart',
        to: { kind: 'webhook', keyEnv: 'WEBHOOK_T1' },
        body: { type: 'image', pngBase64: PNG.toString('base64') },
      },
      {
        key: 'kinds:robot',
        purpose: 'reply',
        to: { kind: 'response_url', url: responseUrl },
        body: { type: 'text', content: '已收到' },
      },
    ];
    await outbox.enqueue(messages);
    for (const m of messages) expect(await rig.finish(m.key)).toMatchObject({ sent: true });

    const app = fake.sent('app');
    const cardMsg = app.find((d) => d.msgtype === 'template_card')!;
    expect(cardMsg.to).toEqual(['lisi']);
    expect(cardMsg.payload.template_card).toMatchObject({
      card_type: 'button_interaction',
      main_title: { title: '请假审批 Q1024' },
      horizontal_content_list: [{ keyname: '请假人', value: '王五' }],
      button_list: [{ text: '同意', style: 1, key: 'approve:Q1024' }],
      task_id: 'kinds_card',
    });
    const img = app.find((d) => d.msgtype === 'image')!;
    expect(img.to).toEqual(['wangwu']);
    expect(fake.requests.some((r) => r.path === '/cgi-bin/media/upload' && r.query.type === 'image')).toBe(true);
    const wh = fake.sent('webhook');
    expect(wh.find((d) => d.msgtype === 'markdown')?.to).toEqual(['wh-key-1']);
    expect(wh.find((d) => d.msgtype === 'template_card')?.payload.template_card).toMatchObject({
      card_type: 'text_notice',
      card_action: { type: 1, url: 'https://bot.example.cn/' },
    });
    expect(wh.find((d) => d.msgtype === 'image')?.payload.image).toEqual({
      base64: PNG.toString('base64'),
      md5: createHash('md5').update(PNG).digest('hex'),
    });
    expect(fake.sent('response_url')[0]?.payload).toEqual({ msgtype: 'markdown', markdown: { content: '已收到' } });

    // The click on the card: its response_code replaces the button for the member who clicked.
    const responseCode = String(fake.requests.find((r) => r.response?.response_code)?.response?.response_code);
    const update: Outbound = {
      key: 'kinds:update',
      purpose: 'approval',
      to: { kind: 'card_update', userIds: ['lisi'], responseCode },
      body: { type: 'button_replace', replaceName: '已同意' },
    };
    await outbox.enqueue([update]);
    await rig.finish(update.key);
    expect(fake.sent('card_update')[0]).toMatchObject({
      to: ['lisi'],
      msgtype: 'update_button',
      payload: { button: { replace_name: '已同意' }, response_code: responseCode },
    });
  });

  it('sends a key once however often it is queued, during and after sending', async () => {
    const k = key('digest:township-3:2026-11-18');
    await Promise.all([outbox.enqueue([text(k)]), outbox.enqueue([text(k)]), outbox.enqueue([text(k), text(k)])]);
    await rig.finish(k);
    await outbox.enqueue([text(k)]);
    // Even after the completed job is gone, the sent-marker keeps the key from being queued again.
    await (await rig.job(k))!.remove();
    await outbox.enqueue([text(k)]);
    expect(await rig.job(k)).toBeUndefined();
    expect(contents().filter((c) => c === k)).toHaveLength(1);
  });

  it('does not send again when WeCom accepted it before a crash (the sent-marker is set)', async () => {
    const k = key('accepted-before-crash');
    await redis.set(keys.outboxSent(k), '1');
    // Straight into the queue, as a job left over from the process that died would be.
    await outbox.queue.add('test', text(k), { jobId: jobIdFor(k) });
    expect(await rig.finish(k)).toEqual({ sent: false, reason: 'already sent' });
    expect(contents()).not.toContain(k);
  });

  const transient: [string, Injection, string][] = [
    ['45009', { errcode: 45009 }, '/cgi-bin/message/send'],
    ['45033', { errcode: 45033 }, '/cgi-bin/message/send'],
    ['-1', { errcode: -1 }, '/cgi-bin/message/send'],
    ['HTTP 500', { status: 500 }, '/cgi-bin/message/send'],
    ['HTTP 503', { status: 503 }, '/cgi-bin/webhook/send'],
    ['a connection reset', { reset: true }, '/cgi-bin/message/send'],
    ['a stalled request (timeout)', { stall: true }, '/cgi-bin/message/send'],
    ['45009 from a group robot', { errcode: 45009 }, '/cgi-bin/webhook/send'],
  ];
  it.each(transient)('retries after %s and delivers once', async (_name, spec, path) => {
    const k = key(`transient-${_name}`);
    const msg: Outbound = path.includes('webhook')
      ? { key: k, purpose: 'test', to: { kind: 'webhook', keyEnv: 'WEBHOOK_T2' }, body: { type: 'text', content: k } }
      : text(k);
    fake.inject(spec, 1, { path });
    await outbox.enqueue([msg]);
    expect(await rig.finish(k)).toMatchObject({ sent: true });
    const tries = fake.requests.filter(
      (r) => r.path === path && (r.body as { text?: { content?: string } }).text?.content === k,
    );
    expect(tries.map((r) => r.outcome)).toEqual([
      'stall' in spec ? 'stalled' : 'reset' in spec ? 'reset' : 'injected',
      'answered',
    ]);
    expect(contents().filter((c) => c === k)).toHaveLength(1);
    expect((await rig.job(k))!.attemptsMade).toBe(2);
  });

  it('refreshes the token on 42001 inside the same attempt', async () => {
    const k = key('token-expired');
    const before = fake.count('/cgi-bin/gettoken');
    fake.inject({ errcode: 42001 }, 1, { path: '/cgi-bin/message/send' });
    await outbox.enqueue([text(k)]);
    await rig.finish(k);
    expect(fake.count('/cgi-bin/gettoken')).toBe(before + 1);
    expect((await rig.job(k))!.attemptsMade).toBe(1);
  });
});

describe('the failed set', () => {
  async function failedReason(msg: Outbound): Promise<string> {
    await outbox.enqueue([msg]);
    await expect(rig.finish(msg.key)).rejects.toThrow();
    const job = (await rig.job(msg.key))!;
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    return job.failedReason;
  }

  it('holds a message whose recipients are all invalid (81013), with errcode, errmsg and endpoint', async () => {
    const k = key('nobody-known');
    const reason = await failedReason(text(k, ['ghost1', 'ghost2']));
    expect(reason).toContain('message/send');
    expect(reason).toContain('81013');
    expect(reason).toContain('all invalid');
    expect(fake.requests.filter((r) => (r.body as { text?: { content?: string } }).text?.content === k)).toHaveLength(
      1,
    );
  });

  it('holds a message WeCom refuses for bad parameters', async () => {
    const buttons = Array.from({ length: 7 }, (_, i) => ({ text: `b${i}`, key: `b${i}` }));
    const reason = await failedReason({
      key: key('seven-buttons'),
      purpose: 'test',
      to: { kind: 'user', userIds: ['lisi'] },
      body: { type: 'card', card: { kind: 'button_interaction', title: 't', buttons } },
    });
    expect(reason).toContain('40058');
  });

  it('holds messages a channel cannot carry or whose webhook key is not set, saying why', async () => {
    const noKey = await failedReason({
      key: key('no-key'),
      purpose: 'digest',
      to: { kind: 'webhook', keyEnv: 'WEBHOOK_UNSET' },
      body: { type: 'text', content: 'x' },
    });
    expect(noKey).toContain('WEBHOOK_UNSET');
    const buttons = await failedReason({
      key: key('buttons-to-group'),
      purpose: 'approval',
      to: { kind: 'webhook', keyEnv: 'WEBHOOK_T1' },
      body: { type: 'card', card: { kind: 'button_interaction', title: 't', buttons: [{ text: 'ok', key: 'ok' }] } },
    });
    expect(buttons).toContain('webhook');
  });

  it('holds messages stopped by a configuration error, with the fix', async () => {
    await redis.del(keys.accessToken(fake.corpId, fake.agentId));
    fake.inject({ errcode: 60020, errmsg: 'not allow to access from your ip, hint: [x], from ip: 203.0.113.9' }, 1, {
      path: '/cgi-bin/gettoken',
    });
    const reason = await failedReason(text(key('ip-not-trusted')));
    expect(reason).toContain('60020');
    expect(reason).toContain('企业可信IP');
    expect(reason).toContain('203.0.113.9');
  });
});
