/**
 * Self-reported locations (a point picked on the map) under the policy's three choices: `confirm` (the default:
 * pending until the team leader or township confirms, one card a day per confirmer), `count` (at once, marked)
 * and `refuse` (never). Through the real bot core, the confirmation job and the attendance command.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../handlers/index.js';
import { Bot } from '../../src/core/bot.js';
import type { Card } from '../../src/core/reply.js';
import type { Update } from '../../src/core/update.js';
import { selfReportConfirm } from '../../src/jobs/selfreport-confirm.js';
import { defaultPolicy, readPolicy, type Policy } from '../../src/policy/policy.js';
import type { JobContext } from '../../src/schedule/job.js';
import { clickUpdate, textUpdate } from '../helpers/bot.js';
import { TestClock } from '../helpers/clock.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const roster = sampleRosterData();
const villageOf = (userid: string) => {
  const c = roster.cadres.find((x) => x.userid === userid)!;
  return roster.villages.find((v) => v.id === c.village)!;
};
/** A point `metres` north of a cadre's village centre. */
const near = (userid: string, metres = 300) => ({
  lat: villageOf(userid).lat + metres / 111_195,
  lng: villageOf(userid).lng,
});

/** A bot under `policy` with its own clock and outbox. */
function botWith(policy: Policy, start: string) {
  const clock = new TestClock(start);
  const outbox = new RecordingOutbox();
  const deps = testDeps(t, { clock, outbox, policy });
  const bot = new Bot(deps, createRegistry());
  let n = 0;
  const id = () => `sr:${policy.checkin.selfReported}:${++n}`;
  const location = (userId: string, source: 'message' | 'page', at = clock.now()) => {
    const u: Update = {
      id: id(),
      channel: source === 'page' ? 'page' : 'app',
      userId,
      chatType: 'single',
      kind: 'location',
      location: { ...near(userId), source, ...(source === 'page' ? { precision: 20 } : { label: '村委会' }) },
      time: at,
    };
    return bot.handle(u).then((r) => r.reply);
  };
  const say = (userId: string, text: string) =>
    bot.handle(textUpdate(id(), userId, text, clock.now())).then((r) => r.reply);
  const click = (userId: string, key: string) =>
    bot.handle(clickUpdate(id(), userId, key, 'task', clock.now())).then((r) => r.reply);
  const runJob = async (now = clock.now()) => {
    const ctx: JobContext = deps;
    return selfReportConfirm.plan(now, await selfReportConfirm.load(ctx, now));
  };
  return { clock, outbox, deps, location, say, click, runJob };
}

const day = async (userId: string, date: string) =>
  (await testDeps(t).repos.checkins.day(userId, date)).map((r) => ({
    source: r.source,
    counts: r.counts,
    review: r.review?.status,
  }));

beforeAll(async () => {
  await testDeps(t).roster.replace(roster);
});

describe('checkin.selfReported: confirm (the default)', () => {
  const b = botWith(defaultPolicy(), '2026-11-18T09:00:00+08:00');

  it('stores a location picked on the map as pending and says it counts once confirmed', async () => {
    const reply = await b.location('LiXiaoYan', 'message');
    expect(reply?.text).toContain('待领队或乡镇（街道）确认后计入');
    expect(reply?.meta?.counts).toBe(false);
    expect(await day('LiXiaoYan', '2026-11-18')).toEqual([{ source: 'message', counts: false, review: 'pending' }]);
    // The work group's team leader confirms; the township supervisors only where the group has none.
    const [request] = (await b.deps.repos.backfills.ofUser('LiXiaoYan')).filter((x) => x.kind === 'location');
    expect(request).toMatchObject({ status: 'pending', confirmers: ['WangJianGuo'], date: '2026-11-18' });
    await b.location('WangJianGuo', 'message');
    const [own] = await b.deps.repos.backfills.ofUser('WangJianGuo');
    expect(own?.confirmers).toEqual(['LiZhenHua', 'WangHaiYan']);
  });

  it('leaves a check-in page (verified) check-in alone', async () => {
    const reply = await b.location('ZhaoWenBo', 'page');
    expect(reply?.text).toContain('签到成功');
    expect(await day('ZhaoWenBo', '2026-11-18')).toEqual([{ source: 'page', counts: true, review: undefined }]);
    expect(await b.deps.repos.backfills.ofUser('ZhaoWenBo')).toEqual([]);
  });

  it('shows the pending day apart in 我的考勤, not counted in the forecast', async () => {
    const text = (await b.say('LiXiaoYan', '我的考勤'))?.text ?? '';
    expect(text).toContain('在村 0 天');
    expect(text).toContain('待确认 1 天（11月18日）');
    expect(text).toContain('还没有计入这些天');
    expect(text).toContain('○自报待确认');
  });

  it('sends one card a day per confirmer, listing every pending location of their cadres', async () => {
    await b.location('SunLiJuan', 'message', new Date('2026-11-18T10:00:00+08:00'));
    b.clock.set('2026-11-18T19:00:00+08:00');
    const cards = await b.runJob();
    expect(cards.map((m) => m.key).sort()).toEqual([
      'selfreport-confirm:LiZhenHua:2026-11-18',
      'selfreport-confirm:WangHaiYan:2026-11-18',
      'selfreport-confirm:WangJianGuo:2026-11-18',
    ]);
    const mine = cards.find((m) => m.key.includes('WangJianGuo'))!;
    expect(mine.to).toEqual({ kind: 'user', userIds: ['WangJianGuo'] });
    const card = (mine.body as { card: Card }).card;
    expect(card.fields?.map((f) => f.key)).toEqual(['李晓燕（北堡村）', '孙丽娟（北堡村）']);
    expect(card.fields?.[0]?.value).toContain('11月18日 09:00，距村部 300 米，自报位置「村委会」');
    expect(card.buttons?.map((x) => x.text)).toEqual(['全部确认', '逐条处理']);
    // The same evening again plans the same keys: the outbox sends each once.
    expect((await b.runJob()).map((m) => m.key)).toEqual(cards.map((m) => m.key));
  });

  it('lists the card one by one, then confirms everything it listed with 全部确认, and nothing later', async () => {
    b.clock.set('2026-11-18T19:00:00+08:00');
    const [card] = (await b.runJob()).filter((m) => m.key.includes('WangJianGuo'));
    const [all, each] = (card!.body as { card: Card }).card.buttons!;
    const list = await b.click('WangJianGuo', each!.key);
    expect(list?.text).toContain('回复「确认签到 李晓燕」或「驳回签到 李晓燕 原因」');
    expect(list?.replaceButton).toBe('已列出');
    // A location sent after the card is not on it.
    b.clock.set('2026-11-18T20:00:00+08:00');
    await b.location('ZhaoWenBo', 'message', new Date('2026-11-18T19:30:00+08:00'));
    const done = await b.click('WangJianGuo', all!.key);
    expect(done?.replaceButton).toBe('已全部确认');
    expect(await day('LiXiaoYan', '2026-11-18')).toEqual([{ source: 'message', counts: true, review: 'confirmed' }]);
    expect(await day('SunLiJuan', '2026-11-18')).toEqual([{ source: 'message', counts: true, review: 'confirmed' }]);
    const text = (await b.say('LiXiaoYan', '我的考勤'))?.text ?? '';
    expect(text).toContain('在村 1 天（其中自报位置 1 天）');
    expect(text).not.toContain('待确认');
  });

  it('confirms and rejects by name in text; the rejected cadre is told and the day does not count', async () => {
    b.clock.set('2026-11-19T08:00:00+08:00');
    await b.location('LiXiaoYan', 'message');
    await b.location('SunLiJuan', 'message');
    expect((await b.say('LiXiaoYan', '确认签到 孙丽娟'))?.text).toContain('仅供');
    const ok = await b.say('WangJianGuo', '确认签到 孙丽娟');
    expect(ok?.text).toContain('已确认 1 条自报位置签到：孙丽娟 11月19日');
    const before = b.outbox.queued.length;
    const no = await b.say('WangJianGuo', '驳回签到 李晓燕 当天在县城开会');
    expect(no?.text).toContain('已驳回 1 条自报位置签到：李晓燕 11月19日');
    const told = b.outbox.queued.slice(before).find((m) => m.to.kind === 'user' && m.to.userIds[0] === 'LiXiaoYan');
    expect(told?.body).toMatchObject({ type: 'text', content: expect.stringContaining('当天在县城开会') });
    expect(await day('LiXiaoYan', '2026-11-19')).toEqual([{ source: 'message', counts: false, review: 'rejected' }]);
    expect(await day('SunLiJuan', '2026-11-19')).toEqual([{ source: 'message', counts: true, review: 'confirmed' }]);
    // Decided twice: nothing left to decide.
    expect((await b.say('WangJianGuo', '确认签到 李晓燕'))?.text).toContain('没有');
  });

  it('confirms all by text with 确认全部签到', async () => {
    b.clock.set('2026-11-20T08:00:00+08:00');
    await b.location('ZhangZhiQiang', 'message');
    // 张志强's group leader is 王建国 too. 赵文博's location of the 18th opened no request: his day already counted.
    expect(await b.deps.repos.backfills.ofUser('ZhaoWenBo')).toEqual([]);
    const r = await b.say('WangJianGuo', '确认全部签到');
    expect(r?.text).toContain('已确认 1 条自报位置签到：张志强 11月20日');
    expect(await day('ZhangZhiQiang', '2026-11-20')).toEqual([
      { source: 'message', counts: true, review: 'confirmed' },
    ]);
    expect(await b.runJob(new Date('2026-11-20T19:00:00+08:00'))).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ key: 'selfreport-confirm:WangJianGuo:2026-11-20' })]),
    );
  });
});

describe('checkin.selfReported: count and refuse', () => {
  it('count: counts at once, still marked as self-reported', async () => {
    const policy = defaultPolicy();
    policy.checkin.selfReported = 'count';
    const b = botWith(policy, '2026-11-10T09:00:00+08:00');
    const reply = await b.location('HeJing', 'message');
    expect(reply?.text).toContain('签到成功（自报位置，已标注）');
    expect(await day('HeJing', '2026-11-10')).toEqual([{ source: 'message', counts: true, review: undefined }]);
    expect(await b.deps.repos.backfills.ofUser('HeJing')).toEqual([]);
  });

  it('refuse: never counts, and the reply says to use the check-in page', async () => {
    const policy = defaultPolicy();
    policy.checkin.selfReported = 'refuse';
    const b = botWith(policy, '2026-11-10T09:00:00+08:00');
    const reply = await b.location('MaJunJie', 'message');
    expect(reply?.text).toContain('不计入在村天数');
    expect(reply?.text).toContain('发送「签到」，打开签到页用手机定位签到');
    expect(await day('MaJunJie', '2026-11-10')).toEqual([{ source: 'message', counts: false, review: undefined }]);
  });

  it('reads the old boolean: selfReportedCounts true counts, false refuses', async () => {
    const yes = botWith(readPolicy('checkin:\n  selfReportedCounts: true\n').policy, '2026-11-11T09:00:00+08:00');
    expect((await yes.location('GuoYongHong', 'message'))?.meta?.counts).toBe(true);
    const no = botWith(readPolicy('checkin:\n  selfReportedCounts: false\n').policy, '2026-11-12T09:00:00+08:00');
    expect((await no.location('GuoYongHong', 'message'))?.meta?.counts).toBe(false);
    expect(await day('GuoYongHong', '2026-11-12')).toEqual([{ source: 'message', counts: false, review: undefined }]);
  });
});
