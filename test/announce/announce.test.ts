import { beforeAll, describe, expect, it } from 'vitest';
import announce from '../../handlers/announce.js';
import announceAck from '../../handlers/announce-ack.js';
import announceStatus from '../../handlers/announce-status.js';
import help from '../../handlers/help.js';
import { AnnounceRepo } from '../../src/announce/repo.js';
import type { Outbound } from '../../src/core/outbound.js';
import type { Update } from '../../src/core/update.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { testBot } from '../helpers/bot.js';
import { MINUTE } from '../helpers/clock.js';

const t = useTestRedis();
const { bot, deps, clock, outbox } = testBot(t, { commands: [help, announce, announceAck, announceStatus] });
const repo = new AnnounceRepo(t.redis, t.keys);

let seq = 0;
async function say(userId: string, content: string, chatType: 'single' | 'group' = 'single'): Promise<string> {
  const u: Update = {
    id: `a${++seq}`,
    channel: 'app',
    userId,
    chatType,
    kind: 'text',
    text: content,
    time: clock.now(),
  };
  return (await bot.handle(u)).reply?.text ?? '';
}
function click(userId: string, key: string): Promise<{ reply: unknown }> {
  const u: Update = {
    id: `click${++seq}`,
    channel: 'app',
    userId,
    chatType: 'single',
    kind: 'event',
    event: {
      type: 'template_card_event',
      key,
      taskId: `ann-${key.split(':')[1]}`,
      responseCode: `rc${seq}`,
      cardType: 'button_interaction',
    },
    time: clock.now(),
  };
  return bot.handle(u);
}
function numberIn(reply: string): string {
  const m = /N\d{4,}/.exec(reply);
  if (!m) throw new Error(`no announcement number in: ${reply}`);
  return m[0];
}
const sentFor = (no: string): Outbound | undefined => outbox.queued.find((m) => m.key === `announce:${no}`);
const indexSize = () => t.redis.zcard(t.keys.announcements());

const XINTIAN = [
  'WangJianGuo',
  'LiXiaoYan',
  'ZhaoWenBo',
  'SunLiJuan',
  'ZhangZhiQiang',
  'LiuFang',
  'ChenHaoRan',
  'YangHaiTao',
  'GuoYongHong',
  'MaJunJie',
  'HeJing',
];
let toAll = '';
let toXintian = '';

beforeAll(async () => {
  await deps.roster.replace(sampleRosterData());
});

describe('permissions', () => {
  it('refuses 通知 from a cadre through the role check, storing and sending nothing', async () => {
    const queued = outbox.queued.length;
    expect(await say('WangJianGuo', '通知 明天开会')).toContain('「通知」仅供县委组织部使用');
    expect(await say('LiZhenHua', '公告 明天开会')).toContain('仅供县委组织部使用');
    expect(await indexSize()).toBe(0);
    expect(outbox.queued.length).toBe(queued);
  });

  it('refuses 通知状态 to everyone but the organisation department', async () => {
    expect(await say('LiZhenHua', '通知状态')).toContain('「通知状态」仅供县委组织部使用');
  });

  it('hides both from a cadre’s help and shows them to the organisation department', async () => {
    // Her help lists 收到 (确认收到通知), but no command that starts with 通知.
    expect(await say('LiXiaoYan', '帮助')).not.toMatch(/· 通知/);
    expect(await say('WuJianZhong', '帮助')).toContain('通知 [乡镇或工作队] 内容');
  });
});

describe('通知', () => {
  it('sends to every cadre by default, as a card with a 已阅 button', async () => {
    const reply = await say('WuJianZhong', '通知 本周五下午三点在县委党校召开驻村工作推进会');
    toAll = numberIn(reply);
    expect(reply).toContain('全体驻村干部，共 31 人');
    const sent = sentFor(toAll);
    expect(sent?.purpose).toBe('announcement');
    expect(sent?.to.kind === 'user' && sent.to.userIds).toHaveLength(31);
    expect(sent?.body).toMatchObject({
      type: 'card',
      card: {
        kind: 'button_interaction',
        taskId: `ann-${toAll}`,
        buttons: [{ text: '已阅', key: `ann-read:${toAll}` }],
      },
    });
    const doc = await t.redis.hgetall(t.keys.announcement(toAll));
    expect(doc).toMatchObject({
      no: toAll,
      text: '本周五下午三点在县委党校召开驻村工作推进会',
      sender: 'WuJianZhong',
      createdAt: clock.now().toISOString(),
    });
    expect(JSON.parse(doc.scope!)).toEqual({ kind: 'all' });
    expect(JSON.parse(doc.recipients!)).toHaveLength(31);
    expect(doc).not.toHaveProperty('renudgedAt');
  });

  it('sends to one township when the first word names it', async () => {
    clock.advance(10 * MINUTE);
    const reply = await say('ChangXiaoMin', '通知 新田乡 明天上午九点在乡政府开会');
    toXintian = numberIn(reply);
    expect(reply).toContain('新田乡，共 11 人');
    const sent = sentFor(toXintian);
    expect(sent?.to).toEqual({ kind: 'user', userIds: XINTIAN });
    expect((await repo.get(toXintian))?.text).toBe('明天上午九点在乡政府开会');
  });

  it('reads a work group or a township id as a range, and anything else as content', async () => {
    clock.advance(MINUTE);
    const group = numberIn(await say('WuJianZhong', '通知 凤城乡驻村工作队 周三交材料'));
    expect((await repo.get(group))?.recipients).toHaveLength(12);
    const byId = numberIn(await say('WuJianZhong', '通知 gaocun 周四交材料'));
    expect((await repo.get(byId))?.recipients).toHaveLength(8);
    const plain = numberIn(await say('WuJianZhong', '通知 新田 附近修路，注意绕行'));
    expect(await repo.get(plain)).toMatchObject({ scope: { kind: 'all' }, text: '新田 附近修路，注意绕行' });
  });

  it('a refused announcement changes no data and sends nothing', async () => {
    const before = {
      index: await indexSize(),
      seq: await t.redis.get(t.keys.sequence('announce')),
      queued: outbox.queued.length,
    };
    expect(await say('WuJianZhong', '通知 新田乡')).toContain('请写上通知内容');
    expect(await say('WuJianZhong', `通知 ${'很'.repeat(501)}`)).toContain('通知内容太长');
    expect(await indexSize()).toBe(before.index);
    expect(await t.redis.get(t.keys.sequence('announce'))).toBe(before.seq);
    expect(outbox.queued.length).toBe(before.queued);
  });
});

describe('read receipts', () => {
  it('收到 confirms the latest unread announcement, then the next', async () => {
    // LiXiaoYan got the county-wide one, the xintian one and the last county-wide one; the newest goes first.
    const first = await say('LiXiaoYan', '收到');
    expect(first).toContain('已确认收到通知');
    expect(first).toContain('还有 2 条通知未确认');
    expect(await say('LiXiaoYan', '已收到')).toContain(`通知 ${toXintian}`);
    expect(await say('LiXiaoYan', '已阅')).toContain(`通知 ${toAll}`);
    expect(await say('LiXiaoYan', '收到')).toContain('没有需要确认的通知');
    expect(await repo.readAt(toXintian, 'LiXiaoYan')).toBe(clock.now().toISOString());
  });

  it('a card click marks it read and relabels the button; a second click changes nothing', async () => {
    const first = await click('SunLiJuan', `ann-read:${toXintian}`);
    expect(first.reply).toEqual({ replaceButton: '已阅' });
    const at = await repo.readAt(toXintian, 'SunLiJuan');
    expect(at).toBe(clock.now().toISOString());
    clock.advance(5 * MINUTE);
    const second = await click('SunLiJuan', `ann-read:${toXintian}`);
    expect(second.reply).toMatchObject({ replaceButton: '已阅' });
    expect((second.reply as { text: string }).text).toContain('无需重复操作');
    expect(await repo.readAt(toXintian, 'SunLiJuan')).toBe(at);
  });

  it('refuses a click by someone the announcement was not sent to, recording nothing', async () => {
    const r = await click('ZhouMingHui', `ann-read:${toXintian}`);
    expect((r.reply as { text: string }).text).toContain('不是发给您的');
    expect(await repo.readAt(toXintian, 'ZhouMingHui')).toBeUndefined();
  });

  it('收到 with a number confirms that one', async () => {
    expect(await say('WangJianGuo', `收到 ${toXintian}`)).toContain(`已确认收到通知 ${toXintian}`);
    expect(await say('WangJianGuo', `收到 ${toXintian}`)).toContain('无需重复操作');
  });
});

describe('通知状态', () => {
  it('shows who has read and who has not, grouped by township', async () => {
    const reply = await say('WuJianZhong', `通知状态 ${toXintian}`);
    expect(reply).toContain('已阅 3/11，未阅 8');
    expect(reply).toContain('【新田乡】已阅 3/11');
    expect(reply).toMatch(/已阅：[^\n]*李晓燕/);
    expect(reply).toMatch(/未阅：[^\n]*赵文博/);
    expect(reply).not.toContain('凤城乡');
  });

  it('groups a county-wide announcement by township and defaults to the latest', async () => {
    const all = await say('WuJianZhong', `通知状态 ${toAll}`);
    expect(all).toContain('已阅 1/31');
    expect(all).toContain('【凤城乡】已阅 0/12');
    expect(all).toContain('【高村乡】已阅 0/8');
    expect(await say('WuJianZhong', '通知状态')).toContain('新田 附近修路');
  });

  it('refuses an unknown number and the group chat', async () => {
    expect(await say('WuJianZhong', '通知状态 N9999')).toContain('没有找到通知 N9999');
    expect(await say('WuJianZhong', `通知状态 ${toAll}`, 'group')).toContain('单聊');
  });

  it('exposes the read state the re-nudge job needs', async () => {
    const state = await repo.readState(toXintian);
    expect(state?.announcement.renudgedAt).toBeUndefined();
    expect(Object.keys(state?.reads ?? {}).sort()).toEqual(['LiXiaoYan', 'SunLiJuan', 'WangJianGuo']);
    expect(state?.unread).toEqual(XINTIAN.filter((u) => !['LiXiaoYan', 'SunLiJuan', 'WangJianGuo'].includes(u)));
  });
});
