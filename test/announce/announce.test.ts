/**
 * Announcements end to end through the bot core with every command: the audience grammar (including the
 * observed cases that went county-wide), the preview that waits for 确认发送, who may send where, recall, the
 * read receipts (收到 / 已阅 / 好的) and 通知状态.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../handlers/index.js';
import { AnnounceRepo } from '../../src/announce/repo.js';
import type { Card, Reply } from '../../src/core/reply.js';
import type { Outbound } from '../../src/core/outbound.js';
import { testBot } from '../helpers/bot.js';
import { DAY, HOUR, MINUTE } from '../helpers/clock.js';
import { useTestRedis } from '../helpers/redis.js';
import { XINTIAN } from '../helpers/deps.js';

const t = useTestRedis();
const b = testBot(t, { commands, start: '2026-11-18T09:00:00+08:00' });
const { clock, outbox } = b;
const repo = new AnnounceRepo(t.redis, t.keys);

/** The cadres 县财政局 sent: two in 新田乡, one in 凤城乡. */
const CAIZHENG = ['WangJianGuo', 'LiXiaoYan', 'DengGuoQing'];
const BEIBAO = ['WangJianGuo', 'LiXiaoYan', 'ZhaoWenBo', 'SunLiJuan'];

function numberIn(reply: string): string {
  const m = /N\d{4,}/.exec(reply);
  if (!m) throw new Error(`no announcement number in: ${reply}`);
  return m[0];
}
/** The preview card of a `通知 …`, sent to the sender as an app message (a passive reply has no buttons). */
async function preview(user: string, text: string): Promise<Card> {
  const queued = outbox.queued.length;
  const reply = await b.ask(user, text);
  const m = outbox.queued.slice(queued).find((q) => q.key.startsWith(`announce-preview:${user}:`));
  if (!m || m.body.type !== 'card') throw new Error(`no preview for ${text}: ${reply}`);
  expect(m.to).toEqual({ kind: 'user', userIds: [user] });
  expect(reply).toMatch(/^通知预览：发给.+，共 \d+ 人，尚未发出。/);
  return m.body.card;
}
const field = (card: Card, key: string) => card.fields?.find((f) => f.key === key)?.value;
/** `通知 …` then `确认发送`: the number. */
async function announce(user: string, text: string): Promise<string> {
  await preview(user, text);
  return numberIn(await b.ask(user, '确认发送'));
}
const sentFor = (no: string): Outbound | undefined => outbox.queued.find((m) => m.key === `announce:${no}`);
const recipientsOf = async (no: string) => (await repo.get(no))?.recipients;
/** Nothing stored, numbered, drafted or queued by `fn`. */
async function changesNothing(user: string, fn: () => Promise<unknown>): Promise<void> {
  const before = {
    index: await t.redis.zcard(t.keys.announcements()),
    seq: await t.redis.get(t.keys.sequence('announce')),
    draft: await t.redis.hget(t.keys.announceDraft(user), 'doc'),
    queued: outbox.queued.length,
  };
  await fn();
  expect({
    index: await t.redis.zcard(t.keys.announcements()),
    seq: await t.redis.get(t.keys.sequence('announce')),
    draft: await t.redis.hget(t.keys.announceDraft(user), 'doc'),
    queued: outbox.queued.length,
  }).toEqual(before);
}

beforeAll(() => b.setup());

describe('the audience of 通知 (observed cases)', () => {
  it('refuses 通知 派出单位 …, naming the units, and changes nothing', async () => {
    await changesNothing('WuJianZhong', async () => {
      const reply = await b.ask('WuJianZhong', '通知 派出单位 明天上午报送考勤');
      expect(reply).toContain('“派出单位”没有说明是哪一个');
      expect(reply).toContain('县财政局');
      expect(reply).toContain('通知没有发出');
    });
  });

  it('reads 县财政局 and its short form 财政局 as the cadres that unit sent, the scope word gone', async () => {
    for (const word of ['县财政局', '财政局']) {
      const card = await preview('WuJianZhong', `通知 ${word} 请于周五前报送考勤表`);
      expect(card.description).toMatch(/^请于周五前报送考勤表\n/);
      expect(field(card, '范围')).toBe('县财政局');
      expect(field(card, '人数')).toBe('3 人');
      expect(field(card, '乡镇（街道）')).toBe('新田乡 2 人；凤城乡 1 人');
      expect(field(card, '名单')).toBe('王建国、李晓燕、邓国庆');
    }
    const no = numberIn(await b.ask('WuJianZhong', '确认发送'));
    expect(await recipientsOf(no)).toEqual(CAIZHENG);
    expect((await repo.get(no))?.text).toBe('请于周五前报送考勤表');
  });

  it('reads a village by full or short name', async () => {
    expect(await recipientsOf(await announce('WuJianZhong', '通知 北堡村 周三前交材料'))).toEqual(BEIBAO);
    expect(await recipientsOf(await announce('WuJianZhong', '通知 北堡 周三前交材料'))).toEqual(BEIBAO);
  });

  it('reads the short township name 新田 as 新田乡, and its id', async () => {
    const no = await announce('WuJianZhong', '通知 新田 附近修路，注意绕行');
    expect(await repo.get(no)).toMatchObject({
      scope: { kind: 'township', id: 'xintian', name: '新田乡' },
      text: '附近修路，注意绕行',
      recipients: XINTIAN,
    });
    expect(await recipientsOf(await announce('WuJianZhong', '通知 gaocun 周四交材料'))).toHaveLength(8);
    expect(await recipientsOf(await announce('WuJianZhong', '通知 凤城乡驻村工作队 周三交材料'))).toHaveLength(12);
  });

  it('refuses near-miss names with the close candidates, never widening them to the county', async () => {
    await changesNothing('WuJianZhong', async () => {
      const township = await b.ask('WuJianZhong', '通知 新天乡 明天开会');
      expect(township).toContain('名册中没有叫“新天乡”');
      expect(township).toContain('您是不是要写：新田乡');
      expect(await b.ask('WuJianZhong', '通知 北保村 明天开会')).toContain('北堡村');
      expect(await b.ask('WuJianZhong', '通知 县财正局 明天开会')).toContain('县财政局');
      expect(await b.ask('WuJianZhong', '通知 某某局 明天开会')).toContain('名册中没有叫“某某局”');
      const person = await b.ask('WuJianZhong', '通知 王建过、李晓燕 下午来一趟');
      expect(person).toContain('名册中没有“王建过”');
      expect(person).toContain('王建国');
    });
  });

  it('reads named people separated by 、，, or spaces', async () => {
    for (const text of [
      '通知 王建国、李晓燕 下午来乡里一趟',
      '通知 王建国，李晓燕 下午来乡里一趟',
      '通知 王建国 李晓燕 下午来乡里一趟',
    ]) {
      const card = await preview('WuJianZhong', text);
      expect(card.description).toMatch(/^下午来乡里一趟\n/);
      expect(field(card, '名单')).toBe('王建国、李晓燕');
    }
    expect(await recipientsOf(numberIn(await b.ask('WuJianZhong', '确认发送')))).toEqual(['WangJianGuo', 'LiXiaoYan']);
  });

  it('reads role words alone (county-wide) and after a place', async () => {
    expect(field(await preview('WuJianZhong', '通知 书记 明天交述职报告'), '人数')).toBe('8 人');
    expect(field(await preview('WuJianZhong', '通知 领队 明天开会'), '名单')).toBe('王建国、周明辉、范卫东');
    const no = await announce('WuJianZhong', '通知 新田乡 书记 明天交述职报告');
    expect(await recipientsOf(no)).toEqual(['WangJianGuo', 'ZhangZhiQiang', 'GuoYongHong']);
    expect((await repo.get(no))?.text).toBe('明天交述职报告');
  });

  it('sends to the whole county only when said (全县) or when the text has no scope word, and the preview says so', async () => {
    const county = await preview('WuJianZhong', '通知 全县 本周五下午三点开会');
    expect(field(county, '范围')).toBe('全县驻村干部');
    expect(field(county, '人数')).toBe('31 人');
    expect(field(county, '乡镇（街道）')).toBe('新田乡 11 人；凤城乡 12 人；高村乡 8 人');
    expect(field(county, '名单')).toBeUndefined(); // 20 or more: counts only
    const implicit = await preview('WuJianZhong', '通知 本周五下午三点在县委党校召开驻村工作推进会');
    expect(implicit.description).toContain('未写范围');
    expect(field(implicit, '人数')).toBe('31 人');
  });
});

describe('preview, confirm and cancel', () => {
  it('stores only a draft: nothing is numbered or sent until 确认发送', async () => {
    await changesNothing('ChangXiaoMin', async () => {
      await b.ask('ChangXiaoMin', '取消发送'); // (no draft yet: refused, nothing changes)
    });
    const seq = await t.redis.get(t.keys.sequence('announce'));
    const queued = outbox.queued.length;
    const card = await preview('ChangXiaoMin', '通知 新田乡 明天上午九点在乡政府开会');
    expect(card.buttons?.map((x) => x.text)).toEqual(['确认发送', '取消']);
    expect(await t.redis.get(t.keys.sequence('announce'))).toBe(seq);
    expect(outbox.queued.slice(queued).map((m) => m.purpose)).toEqual(['announcement-preview']);
    const reply = await b.ask('ChangXiaoMin', '确认发送');
    expect(reply).toContain('已发给新田乡，共 11 人');
    const no = numberIn(reply);
    expect(sentFor(no)?.to).toEqual({ kind: 'user', userIds: XINTIAN });
    expect(sentFor(no)?.body).toMatchObject({
      type: 'card',
      card: { kind: 'button_interaction', taskId: `ann-${no}`, buttons: [{ text: '已阅', key: `ann-read:${no}` }] },
    });
    expect(await b.ask('ChangXiaoMin', '确认发送')).toContain('没有待发送的通知');
  });

  it('the preview’s buttons send or cancel that draft only', async () => {
    const first = await preview('ChangXiaoMin', '通知 北堡村 第一稿');
    const second = await preview('ChangXiaoMin', '通知 北堡村 第二稿');
    const stale = (await b.click('ChangXiaoMin', first.buttons![0]!.key, first.taskId!)) as Reply;
    expect(stale.text).toContain('已被您后来的通知替换');
    const queued = outbox.queued.length;
    const sent = (await b.click('ChangXiaoMin', second.buttons![0]!.key, second.taskId!)) as Reply;
    expect(sent).toEqual({ replaceButton: '已发送' });
    // A click only relabels its button: the number, needed for 撤回, reaches the sender as a message.
    const told = outbox.queued.slice(queued).find((m) => m.key.startsWith('announce-sent:'));
    expect(told?.to).toEqual({ kind: 'user', userIds: ['ChangXiaoMin'] });
    const content = told?.body.type === 'text' ? told.body.content : '';
    expect((await repo.get(numberIn(content)))?.text).toBe('第二稿');

    const third = await preview('ChangXiaoMin', '通知 北堡村 第三稿');
    await changesNothing('nobody', async () => {
      const cancelled = (await b.click('ChangXiaoMin', third.buttons![1]!.key, third.taskId!)) as Reply;
      expect(cancelled).toMatchObject({ text: '已取消，这条通知没有发出。', replaceButton: '已取消' });
    });
    expect(await b.ask('ChangXiaoMin', '确认发送')).toContain('没有待发送的通知');
  });

  it('取消发送 drops the draft; a draft older than announcements.draftMinutes is gone', async () => {
    await preview('ChangXiaoMin', '通知 北堡村 作废的通知');
    expect(await b.ask('ChangXiaoMin', '取消发送')).toBe('已取消，这条通知没有发出。');
    expect(await b.ask('ChangXiaoMin', '确认发送')).toContain('没有待发送的通知');

    await preview('ChangXiaoMin', '通知 北堡村 过期的通知');
    clock.advance(31 * MINUTE);
    await changesNothing('nobody', async () => {
      expect(await b.ask('ChangXiaoMin', '确认发送')).toContain('没有待发送的通知');
    });
  });

  it('refuses an empty or too long text, and the group chat, changing nothing', async () => {
    await changesNothing('WuJianZhong', async () => {
      expect(await b.ask('WuJianZhong', '通知 新田乡')).toContain('请写上通知内容');
      expect(await b.ask('WuJianZhong', `通知 全县 ${'很'.repeat(501)}`)).toContain('通知内容太长（最多 500 字）');
      expect((await b.sayInGroup('WuJianZhong', '通知 新田乡 明天开会'))?.text).toContain('单聊');
    });
  });

  it('drafts are per sender', async () => {
    await preview('WuJianZhong', '通知 北堡村 武建中的稿');
    expect(await b.ask('ChangXiaoMin', '确认发送')).toContain('没有待发送的通知');
    expect(await b.ask('WuJianZhong', '取消发送')).toContain('已取消');
  });
});

describe('who may announce where', () => {
  it('refuses cadres through the role check', async () => {
    await changesNothing('WangJianGuo', async () => {
      expect(await b.ask('WangJianGuo', '通知 明天开会')).toContain('「通知」仅供');
    });
  });

  it('a township supervisor: own township or part of it, nothing outside', async () => {
    const own = await preview('LiZhenHua', '通知 明天上午九点在乡政府开会');
    expect(field(own, '范围')).toBe('新田乡');
    expect(field(own, '人数')).toBe('11 人');
    const no = await announce('LiZhenHua', '通知 北堡村 明天交材料');
    expect(await repo.get(no)).toMatchObject({ recipients: BEIBAO, from: '新田乡' });
    expect((sentFor(no)?.body as { card: Card }).card.title).toBe(`新田乡通知 ${no}`);
    await changesNothing('LiZhenHua', async () => {
      expect(await b.ask('LiZhenHua', '通知 凤城乡 明天开会')).toContain('您只能给新田乡的驻村干部发通知');
      expect(await b.ask('LiZhenHua', '通知 全县 明天开会')).toContain('您只能给新田乡');
      expect(await b.ask('LiZhenHua', '通知 书记 明天开会')).toContain('您只能给新田乡');
    });
    expect(field(await preview('LiZhenHua', '通知 本乡镇 书记 明天开会'), '人数')).toBe('3 人');
    await b.ask('LiZhenHua', '取消发送');
  });

  it('a sending-unit leader: only the cadres the unit sent', async () => {
    const own = await preview('DuHongWei', '通知 派出单位 请报送季度考勤');
    expect(field(own, '名单')).toBe('王建国、李晓燕、邓国庆');
    const no = await announce('DuHongWei', '通知 请报送季度考勤');
    expect(await repo.get(no)).toMatchObject({ recipients: CAIZHENG, from: '县财政局' });
    await changesNothing('DuHongWei', async () => {
      expect(await b.ask('DuHongWei', '通知 新田乡 明天开会')).toContain('您只能给县财政局的驻村干部发通知');
      expect(await b.ask('DuHongWei', '通知 赵文博 明天开会')).toContain('您只能给县财政局');
    });
  });
});

describe('撤回', () => {
  it('recalls an announcement within 24 hours through WeCom, and marks it withdrawn', async () => {
    const no = await announce('WuJianZhong', '通知 北堡村 发错了的通知');
    clock.advance(2 * HOUR);
    const reply = await b.ask('WuJianZhong', `撤回 ${no}`);
    expect(reply).toContain(`通知 ${no} 已撤回`);
    expect(outbox.queued.find((m) => m.key === `announce-recall:${no}`)).toEqual({
      key: `announce-recall:${no}`,
      to: { kind: 'recall', keys: [`announce:${no}`, `announce-renudge:${no}`] },
      body: { type: 'recall' },
      purpose: 'recall',
    });
    expect((await repo.get(no))?.withdrawnAt).toBe(clock.now().toISOString());
    expect(await b.ask('WuJianZhong', `撤回 ${no}`)).toContain('无需重复操作');
  });

  it('after 24 hours only marks it withdrawn and says it stays in the chats', async () => {
    const no = await announce('WuJianZhong', '通知 北堡村 昨天的通知');
    clock.advance(25 * HOUR);
    const reply = await b.ask('WuJianZhong', `撤回 ${no}`);
    expect(reply).toContain('已标记为撤回');
    expect(reply).toContain('超过 24 小时');
    expect(outbox.queued.find((m) => m.key === `announce-recall:${no}`)).toBeUndefined();
    expect((await repo.get(no))?.withdrawnAt).toBeDefined();
  });

  it('only the sender or the organisation department may recall', async () => {
    const no = await announce('LiZhenHua', '通知 北堡村 乡里的通知');
    await changesNothing('ZhangGuoDong', async () => {
      expect(await b.ask('ZhangGuoDong', `撤回 ${no}`)).toContain('只有发出通知');
      expect(await b.ask('WangJianGuo', `撤回 ${no}`)).toContain('只有发出通知');
    });
    expect(await b.ask('ChangXiaoMin', `撤回 ${no}`)).toContain('已撤回');
  });

  it('dispatches on the number: Q is leave (cadres only), N an announcement', async () => {
    const leave = await b.ask('HeJing', '请假 事假 11月25日至26日 家中有事');
    const q = /Q\d+/.exec(leave)?.[0];
    expect(q).toBeDefined();
    expect(await b.ask('HeJing', `撤回 ${q}`)).toContain(`已撤回请假 ${q}`);
    expect(await b.ask('HeJing', '撤回')).toBe('您没有审批中的请假可以撤回。');
    expect(await b.ask('LiZhenHua', '撤回')).toContain('撤回请假仅限驻村干部本人');
    expect(await b.ask('LiZhenHua', '撤回 N9999')).toContain('没有找到通知 N9999');
  });

  it('a withdrawn announcement is no longer acknowledged, and its card says it was withdrawn', async () => {
    const no = await announce('WuJianZhong', '通知 王建国 会议取消');
    await b.ask('WuJianZhong', `撤回 ${no}`);
    const click = (await b.click('WangJianGuo', `ann-read:${no}`, `ann-${no}`)) as Reply;
    expect(click.text).toContain(`通知 ${no} 已于`);
    expect(click.text).toContain('被发布人撤回');
    expect(await b.ask('WangJianGuo', `收到 ${no}`)).toContain('被发布人撤回');
    expect(await repo.readAt(no, 'WangJianGuo')).toBeUndefined();
    expect((await repo.unreadFor('WangJianGuo')).map((a) => a.no)).not.toContain(no);
    expect(await b.ask('WuJianZhong', `通知状态 ${no}`)).toContain('已撤回');
  });
});

describe('收到 / 已阅 / 好的', () => {
  it('acknowledges the latest unread announcement addressed to the person, newest first', async () => {
    clock.advance(DAY);
    const older = await announce('WuJianZhong', '通知 何静 第一件事');
    const newer = await announce('WuJianZhong', '通知 何静 第二件事');
    const unread = (await repo.unreadFor('HeJing')).length;
    expect(await b.ask('HeJing', '收到')).toContain(`已确认收到通知 ${newer}`);
    expect(await b.ask('HeJing', '好的')).toContain(`已确认收到通知 ${older}`);
    expect((await repo.unreadFor('HeJing')).length).toBe(unread - 2);
  });

  it('with nothing to acknowledge, or for someone who gets no announcements, says 好的。 and changes nothing', async () => {
    while ((await repo.unreadFor('HeJing')).length) await b.ask('HeJing', '已阅');
    await changesNothing('HeJing', async () => {
      expect(await b.ask('HeJing', '好的')).toBe('好的。');
      expect(await b.ask('HeJing', '收到')).toBe('好的。');
      expect(await b.ask('LiZhenHua', '好的')).toBe('好的。');
      expect(await b.ask('WuJianZhong', '收到')).toBe('好的。');
    });
  });

  it('a card click marks it read and relabels the button; a second click changes nothing', async () => {
    const no = await announce('WuJianZhong', '通知 孙丽娟 点卡片');
    expect(await b.click('SunLiJuan', `ann-read:${no}`, `ann-${no}`)).toEqual({ replaceButton: '已阅' });
    const at = await repo.readAt(no, 'SunLiJuan');
    clock.advance(5 * MINUTE);
    expect(((await b.click('SunLiJuan', `ann-read:${no}`, `ann-${no}`)) as Reply).text).toContain('无需重复操作');
    expect(await repo.readAt(no, 'SunLiJuan')).toBe(at);
    expect(((await b.click('ZhouMingHui', `ann-read:${no}`, `ann-${no}`)) as Reply).text).toContain('不是发给您的');
  });
});

describe('通知状态', () => {
  it('groups by township for a township-wide announcement', async () => {
    const no = await announce('WuJianZhong', '通知 新田乡 状态测试');
    await b.ask('LiXiaoYan', `收到 ${no}`);
    const reply = await b.ask('WuJianZhong', `通知状态 ${no}`);
    expect(reply).toContain('已阅 1/11，未阅 10');
    expect(reply).toContain('【新田乡】已阅 1/11');
    expect(reply).toMatch(/已阅：[^\n]*李晓燕/);
    expect(reply).not.toContain('凤城乡');
  });

  it('groups by village when the audience is smaller than a township', async () => {
    const no = await announce('LiZhenHua', '通知 新田乡 书记 状态测试');
    await b.ask('WangJianGuo', `收到 ${no}`);
    const reply = await b.ask('LiZhenHua', `通知状态 ${no}`);
    expect(reply).toContain('【北堡村】已阅 1/1');
    expect(reply).toContain('【牛村】已阅 0/1');
    expect(reply).toContain('【柳河村】已阅 0/1');
  });

  it('groups a county-wide one by township', async () => {
    const no = await announce('WuJianZhong', '通知 全县 全县状态');
    const reply = await b.ask('WuJianZhong', `通知状态 ${no}`);
    expect(reply).toContain('【凤城乡】已阅 0/12');
    expect(reply).toContain('【高村乡】已阅 0/8');
  });

  it('a township supervisor sees their own announcements only; the latest first, then the others', async () => {
    const county = await announce('WuJianZhong', '通知 全县 组织部的通知');
    const mine = await announce('ZhangGuoDong', '通知 香邑村 凤城乡的通知');
    const latest = await b.ask('ZhangGuoDong', '通知状态');
    expect(latest).toContain(`通知 ${mine}（香邑村`);
    expect(latest).not.toContain(county);
    expect(await b.ask('ZhangGuoDong', `通知状态 ${county}`)).toContain(`没有找到通知 ${county}`);
    // The organisation department sees everyone's: the township's latest first, its own among the others.
    const org = await b.ask('WuJianZhong', '通知状态');
    expect(org).toContain(`通知 ${mine}（香邑村`);
    expect(org).toMatch(new RegExp(`近期其他通知：[\\s\\S]*${county}（全县驻村干部）：已阅 0/31`));
  });

  it('refuses the group chat and cadres', async () => {
    expect((await b.sayInGroup('WuJianZhong', '通知状态'))?.text).toContain('单聊');
    expect(await b.ask('WangJianGuo', '通知状态')).toContain('「通知状态」仅供');
  });
});

describe('帮助', () => {
  it('shows 通知 with the audience to senders and hides it from cadres', async () => {
    expect(await b.ask('LiXiaoYan', '帮助')).not.toContain('通知 范围 内容');
    expect(await b.ask('WuJianZhong', '帮助')).toContain('通知 范围 内容');
    expect(await b.ask('LiZhenHua', '帮助')).toContain('通知 范围 内容');
  });
});
