import { beforeAll, describe, expect, it } from 'vitest';
import { BackfillRepo } from '../../src/attendance/backfill.js';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { useTestRedis } from '../helpers/redis.js';
import { clickUpdate } from '../helpers/bot.js';
import { dataSnapshot, leaveAndBackfillRegistry, leaveBot } from '../helpers/leave-bot.js';

const t = useTestRedis();
// Friday 20 November 2026. The sample cadres serve 2026-04-28 to 2027-04-27.
const b = leaveBot(t, '2026-11-20T09:00:00+08:00', { registry: leaveAndBackfillRegistry() });
const ledger = new CheckinRepo(t.redis, t.keys);
const backfills = new BackfillRepo(t.redis, t.keys);

beforeAll(() => b.setup());

/** Runs `act` and checks it changed no data and queued no message; returns the reply text. */
async function unchanged(act: () => Promise<{ text?: string } | null>): Promise<string> {
  const before = await dataSnapshot(t);
  const queued = b.outbox.queued.length;
  const reply = await act();
  expect(await dataSnapshot(t)).toEqual(before);
  expect(b.outbox.queued.length).toBe(queued);
  return reply?.text ?? '';
}

const numberIn = (text: string | undefined) => /B\d+/.exec(text ?? '')![0];

describe('补登 covers one day of the term that no approved leave covers', () => {
  it('refuses a range of days, saying only single days can be back-filled', async () => {
    expect(await unchanged(() => b.say('LiXiaoYan', '补登 11月18日至19日 山里没信号'))).toBe(
      '补登一次只能补一天，请每天分别发送，例如「补登 昨天 山里没信号」。',
    );
    expect(await unchanged(() => b.say('LiXiaoYan', '补登 昨天到今天 山里没信号'))).toContain('补登一次只能补一天');
  });

  it('refuses a day inside an approved leave, and accepts it after 销假 gives the day back', async () => {
    expect((await b.say('ZhaoWenBo', '请假 事假 11月18日至20日 家中有事'))?.text).toContain('Q1001');
    await b.say('LiZhenHua', '同意 Q1001');
    // His sending unit has no leader: the organisation department decides that step (issue 12, never skipped).
    await b.say('WuJianZhong', '同意 Q1001');
    expect(await unchanged(() => b.say('ZhaoWenBo', '补登 昨天 山里没信号'))).toBe(
      '11月19日在您已批准的请假 Q1001（事假）期间，不需要补登。如当天已提前返岗，请先发「销假 Q1001 最后一天休假的日期」，再补登。',
    );
    expect((await b.say('ZhaoWenBo', '销假 Q1001 11月18日'))?.text).toContain('已销假');
    expect((await b.say('ZhaoWenBo', '补登 昨天 山里没信号'))?.text).toContain('补登申请 B1001 已提交：11月19日');
  });

  it('allows today (no signal all day)', async () => {
    const reply = await b.say('LiXiaoYan', '补登 今天 一直没信号');
    expect(reply?.text).toContain('补登申请 B1002 已提交：11月20日');
    expect(await backfills.get('B1002')).toMatchObject({ userId: 'LiXiaoYan', date: '2026-11-20', status: 'pending' });
  });
});

describe('the term', () => {
  it('refuses a day before the term began, even within the 48 hours', async () => {
    b.clock.set('2026-04-29T09:00:00+08:00');
    try {
      expect(await unchanged(() => b.say('LiXiaoYan', '补登 4月27日 山里没信号'))).toBe(
        '4月27日不在您的驻村任期（2026年4月28日至2027年4月27日）内，不能补登。',
      );
      // The first day of the term may be back-filled.
      expect((await b.say('LiXiaoYan', '补登 4月28日 山里没信号'))?.text).toContain('已提交');
    } finally {
      b.clock.set('2026-11-20T09:00:00+08:00');
    }
  });

  it('refuses a day after the term ended', async () => {
    b.clock.set('2027-04-28T09:00:00+08:00');
    try {
      expect(await unchanged(() => b.say('LiXiaoYan', '补登 今天 山里没信号'))).toBe(
        '4月28日不在您的驻村任期（2026年4月28日至2027年4月27日）内，不能补登。',
      );
    } finally {
      b.clock.set('2026-11-20T09:00:00+08:00');
    }
  });
});

describe('确认补登 and 驳回补登 are two commands', () => {
  it('`/确认补登 B…` confirms (the slash is dropped before matching) and the day counts', async () => {
    const no = numberIn((await b.say('SunLiJuan', '补登 昨天 手机没电'))?.text);
    const reply = await b.say('LiZhenHua', `/确认补登 ${no}`);
    expect(reply?.text).toBe('已确认 孙丽娟 11月19日 的补登，当天计为在村。');
    expect(await backfills.get(no)).toMatchObject({ status: 'confirmed', by: 'LiZhenHua' });
    expect((await ledger.day('SunLiJuan', '2026-11-19')).map((r) => [r.source, r.counts])).toEqual([
      ['backfill', true],
    ]);
  });

  it('`／确认补登` with a full-width slash confirms too', async () => {
    const no = numberIn((await b.say('HeJing', '补登 昨天 手机没电'))?.text);
    expect((await b.say('WangJianGuo', `／确认补登 ${no}`))?.text).toContain('已确认 何静');
    expect((await backfills.get(no))?.status).toBe('confirmed');
  });

  it('`/驳回补登 B… 原因` rejects, keeping the reason; the day does not count', async () => {
    const no = numberIn((await b.say('LiuFang', '补登 昨天 山里没信号'))?.text);
    expect((await b.say('WangHaiYan', `/驳回补登 ${no} 当天在县城开会`))?.text).toBe('已驳回 刘芳 11月19日 的补登。');
    expect(await backfills.get(no)).toMatchObject({ status: 'rejected', comment: '当天在县城开会' });
    expect(await ledger.day('LiuFang', '2026-11-19')).toEqual([]);
  });

  it('the card buttons still decide, and a second decision changes nothing', async () => {
    const no = numberIn((await b.say('MaJunJie', '补登 昨天 山里没信号'))?.text);
    const click = await b.bot.handle(
      clickUpdate('click-1', 'LiZhenHua', `backfill-reject:${no}`, `backfill-${no}`, b.clock.now()),
    );
    expect(click.reply).toMatchObject({ replaceButton: '已驳回' });
    expect(await unchanged(() => b.say('WangJianGuo', `确认补登 ${no}`))).toBe(`补登申请 ${no} 已驳回，无需再次处理。`);
  });
});
