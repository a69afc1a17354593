/**
 * The audit record of announcements, through the real bot core: sent (确认发送, typed or the preview's button)
 * and recalled (撤回 N…, within WeCom's 24 hours or after). A preview, a cancelled draft and a refused recall
 * record nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../handlers/index.js';
import type { Card } from '../../src/core/reply.js';
import { testBot } from '../helpers/bot.js';
import { HOUR } from '../helpers/clock.js';
import { useTestRedis } from '../helpers/redis.js';
import { trail } from './helpers.js';

const t = useTestRedis();
const b = testBot(t, { commands: createRegistry(), start: '2026-11-18T09:00:00+08:00', idPrefix: 'ann' });
beforeAll(() => b.setup());

async function recordedBy(act: () => Promise<unknown>) {
  const before = (await trail(t)).length;
  await act();
  return (await trail(t)).slice(before);
}
const numberIn = (text: string) => /N\d+/.exec(text)![0];
/** The preview card queued for the sender of `通知 …`. */
async function preview(user: string, text: string): Promise<Card> {
  const queued = b.outbox.queued.length;
  await b.ask(user, text);
  const m = b.outbox.queued.slice(queued).find((q) => q.key.startsWith(`announce-preview:${user}:`));
  if (m?.body.type !== 'card') throw new Error(`no preview for ${text}`);
  return m.body.card;
}

describe('announcements', () => {
  it('records 确认发送 (not the preview): who sent it, to whom, the start of the text', async () => {
    expect(await recordedBy(() => preview('WuJianZhong', '通知 北堡村 明天九点在村委会开会'))).toEqual([]);
    b.clock.set('2026-11-18T09:20:00+08:00');
    let no = '';
    const sent = await recordedBy(async () => (no = numberIn(await b.ask('WuJianZhong', '确认发送'))));
    expect(sent).toEqual([
      {
        kind: 'announce.send',
        actor: 'WuJianZhong',
        channel: 'app',
        at: new Date('2026-11-18T09:20:00+08:00').getTime(),
        id: expect.stringMatching(new RegExp(`:announce\\.send:${no}$`)),
        ref: no,
        summary: '北堡村，4 人：明天九点在村委会开会',
      },
    ]);
  });

  it('records a send by the preview’s button, and nothing for a cancelled draft', async () => {
    const card = await preview('LiZhenHua', '通知 北堡村 周五交材料');
    const sent = await recordedBy(() => b.click('LiZhenHua', card.buttons![0]!.key, card.taskId!));
    expect(sent).toMatchObject([{ kind: 'announce.send', actor: 'LiZhenHua', summary: '北堡村，4 人：周五交材料' }]);
    const dropped = await preview('LiZhenHua', '通知 北堡村 作废');
    expect(await recordedBy(() => b.click('LiZhenHua', dropped.buttons![1]!.key, dropped.taskId!))).toEqual([]);
    await preview('LiZhenHua', '通知 北堡村 也作废');
    expect(await recordedBy(() => b.ask('LiZhenHua', '取消发送'))).toEqual([]);
  });

  it('records a recall, from the chats within 24 hours or only marked after them', async () => {
    await preview('WuJianZhong', '通知 北堡村 发错了');
    const early = numberIn(await b.ask('WuJianZhong', '确认发送'));
    await preview('WuJianZhong', '通知 王建国 昨天的通知');
    const late = numberIn(await b.ask('WuJianZhong', '确认发送'));
    b.clock.advance(2 * HOUR);
    const at = b.clock.now().getTime();
    expect(await recordedBy(() => b.ask('WuJianZhong', `撤回 ${early}`))).toEqual([
      {
        kind: 'announce.recall',
        actor: 'WuJianZhong',
        channel: 'app',
        at,
        id: expect.stringMatching(new RegExp(`:announce\\.recall:${early}$`)),
        ref: early,
        summary: '4 人，已从聊天中撤回',
      },
    ]);
    b.clock.advance(23 * HOUR);
    expect(await recordedBy(() => b.ask('ChangXiaoMin', `撤回通知 ${late}`))).toMatchObject([
      { kind: 'announce.recall', actor: 'ChangXiaoMin', ref: late, summary: '1 人，超过 24 小时，仅标记为已撤回' },
    ]);
  });

  it('records nothing for a refused recall: not the sender, already withdrawn, unknown', async () => {
    await preview('LiZhenHua', '通知 北堡村 乡里的通知');
    const no = numberIn(await b.ask('LiZhenHua', '确认发送'));
    expect(await recordedBy(() => b.ask('ZhangGuoDong', `撤回 ${no}`))).toEqual([]);
    expect(await recordedBy(() => b.ask('LiZhenHua', '撤回 N9999'))).toEqual([]);
    expect(await recordedBy(() => b.ask('LiZhenHua', `撤回 ${no}`))).toHaveLength(1);
    expect(await recordedBy(() => b.ask('LiZhenHua', `撤回 ${no}`))).toEqual([]);
  });
});
