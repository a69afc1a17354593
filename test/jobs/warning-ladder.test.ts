import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import type { Outbound } from '../../src/core/outbound.js';
import { ladderMonths, warningLadder } from '../../src/jobs/warning-ladder.js';
import { defaultPolicy, type Policy } from '../../src/policy/policy.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import type { JobContext, RunResult } from '../../src/schedule/job.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { openWarnings } from '../../src/warnings/open.js';
import { WarningRepo } from '../../src/warnings/store.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { writePresence } from '../warnings/presence.js';

const t = useTestRedis();
const outbox = new RecordingOutbox();
const ORG = ['WuJianZhong', 'ChangXiaoMin'];
const XINTIAN = ['LiZhenHua', 'WangHaiYan'];

function ctxAt(iso: string, policy?: Policy): JobContext {
  return testDeps(t, { clock: fixedClock(new Date(`${iso}+08:00`)), outbox, policy });
}
async function runAt(iso: string, opts: { dryRun?: boolean; policy?: Policy } = {}): Promise<RunResult> {
  const ctx = ctxAt(iso, opts.policy);
  return new JobRunner(ctx, new RedisRunCoordinator(ctx.redis, ctx.keys, ctx.clock, () => 0)).runManual(warningLadder, {
    dryRun: opts.dryRun,
  });
}
const keys = (r: RunResult) => r.sent.map((m) => m.key).sort();
const text = (m: Outbound | undefined) => (m?.body.type === 'text' ? m.body.content : '');
const find = (r: RunResult, key: string) => r.sent.find((m) => m.key === key);
const stored = async () => (await new WarningRepo(t.redis, t.keys).fields()).sort();

beforeAll(async () => {
  // Five cadres of 新田乡 (supervisors LiZhenHua, WangHaiYan); the term started on 28 April.
  const data = sampleRosterData();
  const ids = ['WangJianGuo', 'LiXiaoYan', 'ZhaoWenBo', 'SunLiJuan', 'ZhangZhiQiang'];
  await testDeps(t).roster.replace({ ...data, cadres: data.cadres.filter((c) => ids.includes(c.userid)) });
  const write = (u: string, skip?: (d: string) => boolean) =>
    writePresence(t.redis, t.keys, u, '2026-04-28', '2026-12-31', skip);
  // Present every day but from 6 November on: at risk in November.
  await write('WangJianGuo', (d) => d >= '2026-11-06' && d <= '2026-11-30');
  // October 15 days of 22.
  await write('LiXiaoYan', (d) => d >= '2026-10-16' && d <= '2026-10-31');
  // September 15 and October 15: two months in a row.
  await write('ZhaoWenBo', (d) => (d >= '2026-09-16' && d <= '2026-09-30') || (d >= '2026-10-16' && d <= '2026-10-31'));
  // Away from May to August: every month since September met, but the term year is out of reach.
  await write('SunLiJuan', (d) => d >= '2026-05-01' && d <= '2026-08-31');
  // Present until 3 December only.
  await write('ZhangZhiQiang', (d) => d >= '2026-12-04');
});

describe('warning-ladder', () => {
  it('looks at the current month and the months the 警示 run needs', () => {
    expect(ladderMonths('2026-01-15', 2)).toEqual(['2026-01', '2025-12', '2025-11']);
    expect(ladderMonths('2026-03-01', 1)).toEqual(['2026-03', '2026-02']);
  });

  it('before October is settled, warns only about the annual pace', async () => {
    const r = await runAt('2026-11-02T10:00:00');
    // The 警示单 goes to the cadre too, who answers it (notices.triggers.attendance).
    expect(keys(r)).toEqual([
      'warning:SunLiJuan:2026-11:warn:ChangXiaoMin',
      'warning:SunLiJuan:2026-11:warn:SunLiJuan',
      'warning:SunLiJuan:2026-11:warn:WuJianZhong',
    ]);
    const m = find(r, 'warning:SunLiJuan:2026-11:warn:WuJianZhong');
    expect(m).toMatchObject({ purpose: 'warning', to: { kind: 'user', userIds: ['WuJianZhong'] } });
    expect(text(m)).toContain('【驻村考勤警示】新田乡北堡村 孙丽娟（县人社局派驻）');
    expect(text(m)).toContain('年度（2026年4月28日至2027年4月27日）目标 250 天');
    expect(text(m)).toContain('由组织部和派出单位研究决定');
    expect(text(m)).not.toMatch(/召回|撤换|处分/);
    expect(await stored()).toEqual(['SunLiJuan:2026-11:warn']);
  });

  it('once October is settled: 整改 to cadre and township, 警示 for two months in a row', async () => {
    const r = await runAt('2026-11-03T10:00:00');
    expect(keys(r)).toEqual(
      [
        ...['LiXiaoYan', ...XINTIAN].map((u) => `warning:LiXiaoYan:2026-10:rectify:${u}`).sort(),
        ...[...ORG, 'ZhaoWenBo'].map((u) => `warning:ZhaoWenBo:2026-11:warn:${u}`).sort(),
        ...['ZhaoWenBo', ...XINTIAN].map((u) => `warning:ZhaoWenBo:2026-10:rectify:${u}`).sort(),
      ].sort(),
    );
    const toCadre = text(find(r, 'warning:LiXiaoYan:2026-10:rectify:LiXiaoYan'));
    expect(toCadre).toContain('李晓燕同志，您10月在村 15 天，低于当月目标 18 天（差 3 天）');
    // Numbered: 整改单 Z…, answered within notices.rectifyDays (7) by the number.
    expect(toCadre).toMatch(/^【整改单 Z2026-00[12]】\n/);
    expect(toCadre).toMatch(/请于11月10日前回复「整改说明 Z2026-00[12] 原因和下一步打算」/);
    expect(text(find(r, 'warning:LiXiaoYan:2026-10:rectify:LiZhenHua'))).toContain('请乡镇（街道）党委研究决定');
    const warn = text(find(r, 'warning:ZhaoWenBo:2026-11:warn:WuJianZhong'));
    expect(warn).toContain('连续 2 个月在村天数低于月目标：9月 15/20 天，10月 15/18 天');
    expect(warn).not.toContain('· 年度');
    for (const m of r.sent) expect(text(m).split('\n').at(-1)).toMatch(/^（为什么收到：.+）$/);
  });

  it('sends each stage once per cadre and month', async () => {
    expect((await runAt('2026-11-03T11:00:00')).sent).toEqual([]);
    expect((await runAt('2026-11-09T10:00:00')).sent).toEqual([]);
  });

  it('reminds the cadre alone from the 10th when the month is at risk', async () => {
    const r = await runAt('2026-11-10T10:00:00');
    expect(keys(r)).toEqual(['warning:WangJianGuo:2026-11:remind']);
    const m = r.sent[0]!;
    expect(m).toMatchObject({ purpose: 'reminder', to: { kind: 'user', userIds: ['WangJianGuo'] } });
    // 5 days present, 22 to reach, 10–30 November open.
    expect(text(m)).toContain('王建国同志，您11月已在村 5 天，月目标 22 天，还需 17 天，本月还剩 21 天可在村');
    expect(text(m)).toContain('这条提醒只发给您本人');
    expect((await runAt('2026-11-11T10:00:00')).sent).toEqual([]);
  });

  it('a dry run and a run in quiet hours record nothing', async () => {
    const dry = await runAt('2026-12-03T10:00:00', { dryRun: true });
    expect(dry.sent.length).toBeGreaterThan(0);
    const quiet = await runAt('2026-12-03T22:00:00');
    expect(quiet.sent).toEqual([]);
    expect(quiet.notes).toEqual(['quiet hours: nothing sent or recorded; the next run outside them sends']);
    expect((await stored()).filter((f) => f.includes(':2026-12:') || f.includes(':2026-11:rectify'))).toEqual([]);
  });

  it('in December: 整改 for November, and the annual pace again for the new month', async () => {
    const r = await runAt('2026-12-03T10:00:00');
    expect(keys(r)).toEqual(
      [
        ...['WangJianGuo', ...XINTIAN].map((u) => `warning:WangJianGuo:2026-11:rectify:${u}`),
        ...[...ORG, 'SunLiJuan'].map((u) => `warning:SunLiJuan:2026-12:warn:${u}`),
      ].sort(),
    );
  });

  it('tries a 提醒 the budget dropped again the next day', async () => {
    const none = defaultPolicy();
    none.push.dailyBudget = 0;
    const dropped = await runAt('2026-12-14T10:00:00', { policy: none });
    expect(dropped.sent).toEqual([]);
    expect(dropped.dropped).toEqual([
      { key: 'warning:ZhangZhiQiang:2026-12:remind', userId: 'ZhangZhiQiang', reason: 'budget' },
    ]);
    expect(await stored()).not.toContain('ZhangZhiQiang:2026-12:remind');
    expect(keys(await runAt('2026-12-15T10:00:00'))).toEqual(['warning:ZhangZhiQiang:2026-12:remind']);
    expect(await stored()).toContain('ZhangZhiQiang:2026-12:remind');
  });

  it('lists the open warnings for the digests, by township, without the private 提醒', async () => {
    const open = await openWarnings(testDeps(t), { now: new Date('2026-12-20T10:00:00+08:00') });
    expect(open.map((w) => `${w.stage}:${w.userId}:${w.month}`)).toEqual([
      'warn:SunLiJuan:2026-12',
      'warn:SunLiJuan:2026-11',
      'warn:ZhaoWenBo:2026-11',
      'rectify:WangJianGuo:2026-11',
    ]);
    // Both 提醒 were sent and stored (earlier tests), yet no digest may list them.
    expect(await stored()).toEqual(
      expect.arrayContaining(['WangJianGuo:2026-11:remind', 'ZhangZhiQiang:2026-12:remind']),
    );
    expect(open[0]).toMatchObject({
      name: '孙丽娟',
      village: '北堡村',
      township: { id: 'xintian', name: '新田乡' },
      sendingUnit: '县人社局',
    });
    expect(
      await openWarnings(testDeps(t), { now: new Date('2026-12-20T10:00:00+08:00'), townshipId: 'fengcheng' }),
    ).toEqual([]);
    // October's notices are history by December.
    expect(open.some((w) => w.month === '2026-10')).toBe(false);
  });

  it('pauses in a month without holiday data', async () => {
    // January 2027 is 待定: nobody is present, yet no 提醒, and the annual pace waits. December still has data,
    // so its shortfall is judged.
    const r = await runAt('2027-01-15T10:00:00');
    expect(keys(r)).toEqual(
      ['ZhangZhiQiang', ...XINTIAN].map((u) => `warning:ZhangZhiQiang:2026-12:rectify:${u}`).sort(),
    );
  });
});
