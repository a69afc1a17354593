/**
 * Where the sandbox shows what WeCom delivers and what the bot answers: app messages in each recipient's chat
 * with the app, webhook and response_url posts in the group, card updates on the card they update; and who
 * sees which conversations. Deliveries are built as the fake WeCom records them; the chat log is real Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import type { Delivered } from '../../src/fakewecom/state.js';
import { silentLogger } from '../../src/log.js';
import { Roster } from '../../src/roster/roster.js';
import { RosterStore } from '../../src/roster/store.js';
import { showDelivered, type CaptureOptions } from '../../src/sandbox/capture.js';
import { appChat, ChatLog, groupChat } from '../../src/sandbox/chatlog.js';
import { appReplyBodies, robotReplyBodies } from '../../src/sandbox/items.js';
import { conversationsOf, directory } from '../../src/sandbox/people.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const XINTIAN = 'wrkSFfCgAAxTn4Qb7LmRzK2d';
const FENGCHENG = 'wrkSFfCgAAfC9vWp3HsJ8yNe';
const roster = new Roster(sampleRosterData());
const log = new ChatLog(t.redis, t.keys, fixedClock('2026-11-24T18:00:00+08:00'));
const opts: CaptureOptions = {
  log,
  roster: new RosterStore(t.redis, t.keys),
  sendEnv: { WEBHOOK_FENGCHENG: 'real-key-1' },
  logger: silentLogger,
};
let seq = 0;

function delivered(channel: Delivered['channel'], to: string[], payload: Record<string, unknown>): Delivered {
  return { seq: ++seq, at: 0, channel, to, msgtype: String(payload.msgtype ?? ''), payload, dropped: [] };
}

const button = {
  card_type: 'button_interaction',
  task_id: 'leave-Q1001-0',
  main_title: { title: '请假审批 Q1001' },
  horizontal_content_list: [{ keyname: '申请人', value: '李晓燕（北堡村）' }],
  button_list: [{ text: '同意', style: 1, key: 'leave-approve:Q1001' }],
};

beforeAll(async () => {
  await opts.roster.replace(sampleRosterData());
});

describe('delivered messages', () => {
  it('puts an app message in the chat with the app of each recipient, markdown rendered', async () => {
    await showDelivered(
      opts,
      delivered('app', ['LiZhenHua', 'WangHaiYan'], {
        msgtype: 'markdown',
        markdown: { content: '**今日签到** 10 人' },
      }),
    );
    for (const u of ['LiZhenHua', 'WangHaiYan']) {
      const [item] = await log.read(appChat(u));
      expect(item).toMatchObject({ from: null, via: 'message/send', at: Date.parse('2026-11-24T18:00:00+08:00') });
      expect(item!.body).toEqual({
        kind: 'markdown',
        text: '**今日签到** 10 人',
        html: '<p><strong>今日签到</strong> 10 人</p>',
      });
    }
  });

  it('puts webhook posts in the group of their key, the sandbox’s own or one from the environment', async () => {
    await showDelivered(
      opts,
      delivered('webhook', [`sandbox-${XINTIAN}`], { msgtype: 'text', text: { content: '新田乡今日 10/11 人在村' } }),
    );
    await showDelivered(
      opts,
      delivered('webhook', ['real-key-1'], { msgtype: 'image', image: { base64: 'iVBORw0KGgo=', md5: 'x' } }),
    );
    expect((await log.read(groupChat(XINTIAN))).map((i) => i.body)).toEqual([
      { kind: 'text', text: '新田乡今日 10/11 人在村' },
    ]);
    expect((await log.read(groupChat(FENGCHENG))).map((i) => i.body)).toEqual([
      { kind: 'image', src: 'data:image/png;base64,iVBORw0KGgo=' },
    ]);
  });

  it('puts a response_url post in the conversation the callback came from, and drops one it did not send', async () => {
    await log.rememberCode('rc1', { kind: 'robot', chat: groupChat(XINTIAN), userId: 'LiXiaoYan' });
    await showDelivered(
      opts,
      delivered('response_url', ['rc1'], { msgtype: 'markdown', markdown: { content: '稍后的回复' } }),
    );
    await showDelivered(
      opts,
      delivered('response_url', ['unknown'], { msgtype: 'markdown', markdown: { content: '无主' } }),
    );
    const texts = (await log.read(groupChat(XINTIAN))).map((i) => (i.body.kind === 'markdown' ? i.body.text : ''));
    expect(texts).toContain('稍后的回复');
    expect(texts).not.toContain('无主');
  });

  it('updates the clicked card for the listed users only', async () => {
    await showDelivered(
      opts,
      delivered('app', ['LiZhenHua', 'WangHaiYan'], { msgtype: 'template_card', template_card: button }),
    );
    await log.rememberCode('cc1', { kind: 'card', userId: 'LiZhenHua', taskId: 'leave-Q1001-0' });
    await showDelivered(
      opts,
      delivered('card_update', ['LiZhenHua'], { response_code: 'cc1', button: { replace_name: '已同意' } }),
    );
    expect(await log.cards('LiZhenHua')).toEqual({ 'leave-Q1001-0': { replaceName: '已同意' } });
    expect(await log.cards('WangHaiYan')).toEqual({});
    const card = (await log.read(appChat('WangHaiYan'))).find((i) => i.body.kind === 'card')!.body;
    expect(card).toMatchObject({
      card: { taskId: 'leave-Q1001-0', title: '请假审批 Q1001', rows: [{ key: '申请人', value: '李晓燕（北堡村）' }] },
    });
    const v = await log.version();
    await showDelivered(
      opts,
      delivered('card_update', ['WangHaiYan'], {
        response_code: 'other',
        template_card: { ...button, main_title: { title: '已处理' } },
      }),
    );
    expect((await log.cards('WangHaiYan'))['leave-Q1001-0']!.card!.title).toBe('已处理');
    expect(await log.version()).toBeGreaterThan(v);
  });
});

describe('passive replies', () => {
  it('reads an app reply as text, or as the new label of the clicked button', () => {
    expect(appReplyBodies({ MsgType: 'text', Content: '已签到' })).toEqual({
      bodies: [{ kind: 'text', text: '已签到' }],
    });
    expect(appReplyBodies({ MsgType: 'update_button', Button: { ReplaceName: '已同意' } })).toEqual({
      bodies: [],
      replaceName: '已同意',
    });
  });

  it('reads a robot reply: stream and card together, or a card update for the listed users', () => {
    const notice = {
      card_type: 'text_notice',
      main_title: { title: '驻村签到' },
      card_action: { type: 1, url: 'http://x/checkin' },
    };
    const both = robotReplyBodies({
      msgtype: 'stream_with_template_card',
      stream: { id: 's', finish: true, content: '点击签到' },
      template_card: notice,
    });
    expect(both.bodies.map((b) => b.kind)).toEqual(['markdown', 'card']);
    expect(both.bodies[1]).toMatchObject({ card: { type: 'text_notice', url: 'http://x/checkin', buttons: [] } });
    const update = robotReplyBodies({
      response_type: 'update_template_card',
      userids: ['LiZhenHua'],
      template_card: button,
    });
    expect(update).toMatchObject({ bodies: [], update: { userIds: ['LiZhenHua'], card: { taskId: 'leave-Q1001-0' } } });
  });
});

describe('people and their conversations', () => {
  it('lists everyone once, under their widest role, cadres by township', () => {
    const groups = directory(roster);
    expect(groups.map((g) => g.label)).toEqual([
      '县委组织部',
      '派出单位领导',
      '乡镇（街道）负责同志',
      '领队（也是驻村干部）',
      '驻村干部 · 新田乡',
      '驻村干部 · 凤城乡',
      '驻村干部 · 高村乡',
      '县级领导和派出单位领导（到村调研、四包一）',
    ]);
    const all = groups.flatMap((g) => g.people.map((p) => p.userid));
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(31 + 11 + (roster.data.people ?? []).length);
    expect(groups.at(-1)!.people.map((p) => p.line)).toContain('刘雅琴 · 县财政局副局长');
    expect(groups[3]!.people.map((p) => p.line)).toContain('王建国 · 北堡村 · 书记 · 领队');
  });

  it('gives a cadre the app and their township group, and the organisation department every group', () => {
    expect(conversationsOf(roster, roster.person('LiXiaoYan')!).map((c) => c.title)).toEqual([
      '驻村助手',
      '新田乡驻村工作群',
    ]);
    expect(conversationsOf(roster, roster.person('LiZhenHua')!).map((c) => c.id)).toEqual(['app', groupChat(XINTIAN)]);
    expect(conversationsOf(roster, roster.person('WuJianZhong')!)).toHaveLength(4);
    expect(conversationsOf(roster, roster.person('DuHongWei')!).map((c) => c.title)).toEqual([
      '驻村助手',
      '新田乡驻村工作群',
      '凤城乡驻村工作群',
    ]);
  });
});
