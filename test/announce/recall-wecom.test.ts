/**
 * `撤回 N…` through the real outbox to the fake WeCom: the cards' msgids are recorded when they are sent, the
 * recall takes them back with `message/recall` within 24 hours, a card not yet sent is never sent, and WeCom
 * refuses a msgid older than 24 hours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../handlers/index.js';
import { silentLogger } from '../../src/log.js';
import type { Job } from 'bullmq';
import type { Outbound } from '../../src/core/outbound.js';
import { DEFAULT_LIMITS, RateLimiter } from '../../src/outbox/limits.js';
import { createProcessor } from '../../src/outbox/process.js';
import { recallSent } from '../../src/outbox/recall.js';
import type { WecomApi } from '../../src/wecom/api/client.js';
import { WecomApiError } from '../../src/wecom/api/errors.js';
import { testBot } from '../helpers/bot.js';
import { HOUR, TestClock } from '../helpers/clock.js';
import { useTestRedis } from '../helpers/redis.js';
import { startRig } from '../system/fixtures/outbox-rig.js';

const t = useTestRedis();
const clock = new TestClock('2026-11-18T09:00:00+08:00');
const rig = await startRig({ redis: t.redis, url: t.url, keys: t.keys, clock });
afterAll(() => rig.close());
const b = testBot(t, { commands, clock, outbox: rig.outbox });
beforeAll(() => b.setup());

async function announce(text: string): Promise<string> {
  await b.say('WuJianZhong', text);
  const reply = await b.ask('WuJianZhong', '确认发送');
  return /N\d+/.exec(reply)![0];
}
const marker = async (key: string) =>
  JSON.parse((await t.redis.get(t.keys.outboxSent(key))) ?? '{}') as { msgid?: string };

describe('recall through WeCom', () => {
  it('records the msgid of each card and recalls it within 24 hours', async () => {
    const no = await announce('通知 王建国、李晓燕 下午的会改到明天');
    await rig.finish(`announce:${no}`);
    const card = rig.fake.sent('app').find((d) => JSON.stringify(d.payload).includes(`ann-read:${no}`))!;
    expect(card.to).toEqual(['WangJianGuo', 'LiXiaoYan']);
    const { msgid } = await marker(`announce:${no}`);
    expect(msgid).toMatch(/^msg/);

    clock.advance(3 * HOUR);
    expect(await b.ask('WuJianZhong', `撤回 ${no}`)).toContain('已撤回');
    await rig.finish(`announce-recall:${no}`);
    expect(rig.fake.recalled()).toEqual([{ msgid, delivered: card }]);
  });

  it('a card still waiting in the outbox when it is recalled is never sent', async () => {
    await rig.outbox.queue.pause();
    const no = await announce('通知 何静 这条还没发出');
    expect(await b.ask('WuJianZhong', `撤回 ${no}`)).toContain('已撤回');
    // The recall's work before the card's job runs (the worker would take the card first).
    await recallSent([`announce:${no}`], { redis: t.redis, keys: t.keys, api: rig.api, log: silentLogger });
    await rig.outbox.queue.resume();
    expect(await rig.finish(`announce:${no}`)).toEqual({ sent: false, reason: 'recalled' });
    await rig.finish(`announce-recall:${no}`);
    expect(rig.fake.sent('app').some((d) => JSON.stringify(d.payload).includes(`ann-read:${no}`))).toBe(false);
  });

  it('a card being sent while it is recalled takes itself back', async () => {
    const key = 'announce:N9001';
    const msg: Outbound = {
      key,
      to: { kind: 'user', userIds: ['ZhaoWenBo'] },
      body: { type: 'text', content: '正在发送时撤回' },
      purpose: 'announcement',
    };
    // The recall sets its cancelled-marker while WeCom is accepting the card (after the recall's second look).
    const racing = Object.create(rig.api) as WecomApi;
    racing.call = async (name, params) => {
      const answer = await rig.api.call(name, params);
      if (name === 'message/send') await t.redis.set(t.keys.outboxCancelled(key), '1');
      return answer;
    };
    const process = createProcessor({
      redis: t.redis,
      keys: t.keys,
      limiter: new RateLimiter(t.redis, t.keys, clock),
      limits: DEFAULT_LIMITS,
      deliver: { api: racing, agentId: rig.fake.agentId, env: {}, cardUrl: 'https://bot.example.cn/' },
      log: silentLogger,
      clockRate: 1,
    });
    const result = await process({ id: 'race', data: msg, attemptsMade: 0 } as unknown as Job<Outbound>);
    expect(result).toMatchObject({ sent: true });
    const sent = rig.fake.sent('app').find((d) => JSON.stringify(d.payload).includes('正在发送时撤回'));
    expect(rig.fake.recalled().map((r) => r.delivered)).toContainEqual(sent);
  });

  it('after 24 hours the bot does not ask, and WeCom would refuse', async () => {
    const no = await announce('通知 孙丽娟 昨天的通知');
    await rig.finish(`announce:${no}`);
    const { msgid } = await marker(`announce:${no}`);
    clock.advance(25 * HOUR);
    const recalled = rig.fake.recalled().length;
    expect(await b.ask('WuJianZhong', `撤回 ${no}`)).toContain('超过 24 小时');
    expect(await rig.job(`announce-recall:${no}`)).toBeUndefined();
    await expect(rig.api.call('message/recall', { body: { msgid } })).rejects.toBeInstanceOf(WecomApiError);
    expect(rig.fake.recalled()).toHaveLength(recalled);
  });
});
