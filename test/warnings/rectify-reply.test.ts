import { beforeAll, describe, expect, it } from 'vitest';
import rectifyReply from '../../handlers/rectify-reply.js';
import { Bot } from '../../src/core/bot.js';
import { fixedClock } from '../../src/core/clock.js';
import { Registry } from '../../src/core/registry.js';
import type { Update } from '../../src/core/update.js';
import { Tx } from '../../src/redis/tx.js';
import { openWarnings } from '../../src/warnings/open.js';
import { noticeToAnswer, RectifyReplyRepo } from '../../src/warnings/replies.js';
import { WarningRepo } from '../../src/warnings/store.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { rectifyToCadre } from '../../templates/warnings.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const outbox = new RecordingOutbox();
const now = new Date('2026-11-05T20:00:00+08:00');
const deps = testDeps(t, { outbox, clock: fixedClock(now) });
const bot = new Bot(deps, new Registry([rectifyReply]));

let seq = 0;
async function say(userId: string, text: string): Promise<string> {
  const u: Update = { id: `r${++seq}`, channel: 'app', userId, chatType: 'single', kind: 'text', text, time: now };
  return (await bot.handle(u)).reply?.text ?? '';
}

beforeAll(async () => {
  await deps.roster.replace(sampleRosterData());
  const store = new WarningRepo(t.redis, t.keys);
  const tx = new Tx();
  store.record(tx, 'LiXiaoYan', '2026-09', 'rectify', new Date('2026-10-03T10:00:00+08:00'));
  store.record(tx, 'LiXiaoYan', '2026-10', 'rectify', new Date('2026-11-03T10:00:00+08:00'));
  store.record(tx, 'ZhaoWenBo', '2026-11', 'remind', new Date('2026-11-03T10:00:00+08:00'));
  // Answered long ago: too old to answer now.
  store.record(tx, 'HeJing', '2026-08', 'rectify', new Date('2026-09-03T10:00:00+08:00'));
  await tx.commit(t.redis);
});

describe('整改说明', () => {
  it('answers the latest 整改 notice and forwards the answer to the township', async () => {
    const reply = await say('LiXiaoYan', '整改说明 10月下旬参加县里培训未登记，已补办请假，11月按时在村');
    expect(reply).toBe('已收到您对10月情况的说明，已转给新田乡负责同志。');
    expect(outbox.queued.map((m) => m.to.kind === 'user' && m.to.userIds[0]).sort()).toEqual([
      'LiZhenHua',
      'WangHaiYan',
    ]);
    const m = outbox.queued[0]!;
    expect(m.purpose).toBe('warning');
    expect(m.body.type === 'text' && m.body.content).toContain(
      '【整改说明】北堡村李晓燕对10月在村天数不足的说明：\n10月下旬参加县里培训未登记',
    );
    expect(await new RectifyReplyRepo(t.redis, t.keys).get('LiXiaoYan', '2026-10')).toEqual({
      text: '10月下旬参加县里培训未登记，已补办请假，11月按时在村',
      at: now.toISOString(),
    });
  });

  it('replaces an earlier answer and says so', async () => {
    expect(await say('LiXiaoYan', '整改说明 补充：11月起每周五向乡党委报告在村情况')).toBe(
      '您对10月情况的说明已更新并重新转给乡镇（街道）负责同志。',
    );
    expect(outbox.queued).toHaveLength(4);
  });

  it('has nothing to answer without a recent 整改 notice', async () => {
    expect(await say('ZhaoWenBo', '整改说明 我会注意')).toContain('您目前没有需要说明的整改通知');
    expect(await say('HeJing', '整改说明 我会注意')).toContain('您目前没有需要说明的整改通知');
    expect(await say('LiXiaoYan', '整改说明')).toContain('请写上说明内容');
  });

  it('picks the latest notice within the answer window', async () => {
    const records = await new WarningRepo(t.redis, t.keys).all();
    expect(noticeToAnswer(records, 'LiXiaoYan', now, 45)?.month).toBe('2026-10');
    expect(noticeToAnswer(records, 'LiXiaoYan', new Date('2027-01-01T00:00:00+08:00'), 45)).toBeUndefined();
    // 3 November + 45 days is 18 December; with 60 days the October notice is still open on 1 January.
    expect(noticeToAnswer(records, 'LiXiaoYan', new Date('2027-01-01T00:00:00+08:00'), 60)?.month).toBe('2026-10');
  });

  it('takes the answer window from the policy, and says it', async () => {
    const policy = defaultPolicy();
    policy.warnings.rectify.answerDays = 2;
    const b = new Bot(testDeps(t, { outbox, clock: fixedClock(now), policy }), new Registry([rectifyReply]));
    const u: Update = {
      id: `r${++seq}`,
      channel: 'app',
      userId: 'LiXiaoYan',
      chatType: 'single',
      kind: 'text',
      text: '整改说明 再补充',
      time: now,
    };
    // The notice of 3 November is more than 2 days old on the evening of the 5th.
    const reply = (await b.handle(u)).reply?.text ?? '';
    expect(reply).toContain('您目前没有需要说明的整改通知');
    expect(reply).toContain('2 天');
    expect(
      rectifyToCadre({
        name: '李晓燕',
        village: '北堡村',
        township: '新田乡',
        sendingUnit: '县财政局',
        month: '2026-10',
        present: 15,
        target: 18,
        answerDays: 30,
      }),
    ).toContain('30 天内');
  });

  it('shows the answer with the open warning', async () => {
    const open = await openWarnings(deps, { now, townshipId: 'xintian' });
    const rectify = open.find((w) => w.userId === 'LiXiaoYan' && w.month === '2026-10');
    expect(rectify?.answer?.text).toContain('每周五向乡党委报告');
    expect(open.find((w) => w.userId === 'ZhaoWenBo')?.answer).toBeUndefined();
  });

  it('forwards at once outside the quiet hours', () => {
    expect(outbox.queued.every((m) => m.notBefore === undefined)).toBe(true);
  });

  it('holds the forward to the township until the quiet hours end', async () => {
    const at = async (iso: string) => {
      const quietOutbox = new RecordingOutbox();
      const time = new Date(iso);
      const b = new Bot(testDeps(t, { outbox: quietOutbox, clock: fixedClock(time) }), new Registry([rectifyReply]));
      const u: Update = {
        id: `rq${++seq}`,
        channel: 'app',
        userId: 'LiXiaoYan',
        chatType: 'single',
        kind: 'text',
        text: '整改说明 夜里补充：12月起按时在村',
        time,
      };
      expect((await b.handle(u)).reply?.text).toContain('10月');
      expect(quietOutbox.queued).toHaveLength(2);
      return quietOutbox.queued.map((m) => m.notBefore);
    };
    const morning = new Date('2026-11-06T07:30:00+08:00').getTime();
    // 21:00–07:30 by default: late in the evening, the next morning; after midnight, the same morning.
    expect(await at('2026-11-05T22:30:00+08:00')).toEqual([morning, morning]);
    expect(await at('2026-11-06T03:00:00+08:00')).toEqual([morning, morning]);
    expect(await at('2026-11-06T07:30:00+08:00')).toEqual([undefined, undefined]);
  });

  it('is refused in a group chat', async () => {
    const before = outbox.queued.length;
    const u: Update = {
      id: `r${++seq}`,
      channel: 'bot',
      userId: 'LiXiaoYan',
      chatType: 'group',
      chatId: 'wrkSFfCgAAxTn4Qb7LmRzK2d',
      kind: 'text',
      text: '整改说明 群里说一下',
      time: now,
    };
    expect((await bot.handle(u)).reply?.text).toContain('只在与本助手的单聊中回复');
    expect(outbox.queued).toHaveLength(before);
  });
});
