import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../handlers/index.js';
import { Registry } from '../../src/core/registry.js';
import type { Update } from '../../src/core/update.js';
import { notAllowed } from '../../templates/common.js';
import * as T from '../../templates/rollup.js';
import { checkIn, days, leave } from '../attendance/seed.js';
import { testBot } from '../helpers/bot.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const registry = new Registry(commands);
const { bot, deps } = testBot(t, { commands: registry, start: '2026-11-18T09:00:00+08:00' });
const XINTIAN_GROUP = 'wrkSFfCgAAxTn4Qb7LmRzK2d';
const NAMES = sampleRosterData().cadres.map((c) => c.name);

let n = 0;
async function ask(userId: string, text: string, chatId?: string): Promise<string> {
  n += 1;
  const update: Update = chatId
    ? { id: `bot:r${n}`, channel: 'bot', userId, chatId, chatType: 'group', kind: 'text', text, time: deps.clock.now() }
    : { id: `r${n}`, channel: 'app', userId, chatType: 'single', kind: 'text', text, time: deps.clock.now() };
  return (await bot.handle(update)).reply?.text ?? '';
}

beforeAll(async () => {
  await deps.roster.replace(sampleRosterData());
  // 新田乡: two on track, one at risk (9 days, 13 needed, 13 open), one on 公差 today (counts, on track),
  // the other six cadres of the township without a check-in (cannot reach).
  await checkIn(t, 'WangJianGuo', days('2026-11-02', '2026-11-17'));
  await checkIn(t, 'LiXiaoYan', days('2026-11-02', '2026-11-13'));
  await checkIn(t, 'LiXiaoYan', ['2026-11-16'], 'message');
  await checkIn(t, 'ZhaoWenBo', days('2026-11-02', '2026-11-08'));
  await checkIn(t, 'SunLiJuan', days('2026-11-02', '2026-11-10'));
  await checkIn(t, 'LiuFang', days('2026-11-02', '2026-11-13'));
  await leave(t, 'LiuFang', '公差', '2026-11-16', '2026-11-20');
  // 凤城乡: one on sick leave today (excused days leave the rate), on track.
  await checkIn(t, 'GaoLiXin', days('2026-11-02', '2026-11-16'));
  await leave(t, 'GaoLiXin', '病假', '2026-11-17', '2026-11-19');
  // October: only 王建国 reached his target (24 days against ceil(22 × 24 / 31) = 18).
  await checkIn(t, 'WangJianGuo', days('2026-10-08', '2026-10-31'));
});

describe('全县考勤 / 汇总', () => {
  it('gives the organisation department the county, each township and the cadres needing attention', async () => {
    const text = await ask('WuJianZhong', '全县考勤');
    expect(text).toContain('全县驻村考勤汇总 · 2026年11月（截至11月18日）');
    // Eligible: 31 cadres × 17 elapsed days, plus 刘芳's 公差 today, minus 高立新's sick day 17th → 527.
    expect(text).toContain('31 人，出勤率 14%（应在村 527 人·天，在村 75 人·天）');
    expect(text).toContain('按计划 4 · 有风险 1 · 无法完成 26');
    expect(text).toContain('今日请假 2 人 · 10月未达标 30 人');
    expect(text).toContain('各乡镇（街道）：');
    expect(text).toContain(
      '· 新田乡 11 人｜出勤率 32%｜按计划 3 · 有风险 1 · 无法完成 7｜今日请假 1 人 · 10月未达标 10 人',
    );
    expect(text).toContain(
      '· 高村乡 8 人｜出勤率 0%｜按计划 0 · 有风险 0 · 无法完成 8｜今日请假 0 人 · 10月未达标 8 人',
    );
    // Furthest out of reach first; the list stops where the message would outgrow an app reply.
    expect(text).toContain('需关注（27 人）：\n· 张志强（新田乡牛村）在村 0/22 天，还需 22 天，可在村 13 天：无法完成');
    expect(text).toContain('……另有 17 人，见月度考勤表。');
    expect(text).toContain(T.RATE_NOTE);
    expect(Buffer.byteLength(text)).toBeLessThan(2048);
  });

  it('gives the organisation department only county totals in a group chat', async () => {
    const text = await ask('WuJianZhong', '全县汇总', XINTIAN_GROUP);
    expect(text).toContain('31 人，出勤率 14%');
    expect(text).toContain('按计划 4 · 有风险 1 · 无法完成 26');
    expect(text).toContain(T.GROUP_NOTE);
    expect(text).not.toContain('各乡镇（街道）');
    expect(text).not.toContain('新田乡');
    for (const name of NAMES) expect(text).not.toContain(name);
  });

  it('limits a township supervisor to their own township, with names in a one-to-one chat', async () => {
    const text = await ask('LiZhenHua', '汇总');
    expect(text).toContain('新田乡驻村考勤汇总 · 2026年11月');
    expect(text).toContain('11 人，出勤率 32%（应在村 188 人·天，在村 60 人·天）');
    expect(text).toContain('今日请假 1 人 · 10月未达标 10 人');
    expect(text).toContain('需关注（8 人）：');
    // Cannot reach before at risk; the at-risk 孙丽娟 comes last.
    expect(text).toContain(
      '· 赵文博（新田乡北堡村）在村 7/22 天，还需 15 天，可在村 13 天：无法完成\n· 孙丽娟（新田乡北堡村）在村 9/22 天，还需 13 天，可在村 13 天：有风险\n\n',
    );
    expect(text).not.toContain('各乡镇（街道）');
    for (const name of ['高立新', '范卫东', '周明辉']) expect(text).not.toContain(name);
  });

  it('gives a township supervisor totals only in a group chat', async () => {
    const text = await ask('LiZhenHua', '考勤汇总', XINTIAN_GROUP);
    expect(text).toContain('新田乡驻村考勤汇总');
    expect(text).toContain('11 人，出勤率 32%');
    for (const name of NAMES) expect(text).not.toContain(name);
  });

  it('refuses cadres and team leaders', async () => {
    expect(await ask('LiXiaoYan', '全县考勤')).toBe(notAllowed('全县考勤', ['org', 'township']));
    expect(await ask('WangJianGuo', '汇总')).toBe(notAllowed('全县考勤', ['org', 'township']));
  });

  it('rolls up a closed month as met or missed', async () => {
    const text = await ask('WuJianZhong', '汇总 2026-10');
    expect(text).toContain('全县驻村考勤汇总 · 2026年10月（已结束）');
    expect(text).toContain('已达标 1 · 未达标 30');
    expect(text).toContain('9月未达标 31 人');
    expect(text).not.toContain('今日请假');
    expect(text).toContain('未达标（30 人）：');
    expect(await ask('WuJianZhong', '全县考勤 上月')).toContain('2026年10月（已结束）');
  });

  it('refuses a malformed or future month and stray words', async () => {
    expect(await ask('WuJianZhong', '全县考勤 2026-13')).toBe(T.badMonth);
    expect(await ask('WuJianZhong', '全县考勤 2026-12')).toBe(T.futureMonth('2026-12'));
    expect(await ask('WuJianZhong', '汇总 新田乡')).toBe(T.tooManyWords);
    expect(await ask('WuJianZhong', '汇总 10月 11月')).toBe(T.tooManyWords);
  });

  it('lives beside the other commands without taking their words', () => {
    expect(registry.matchText('全县考勤', { deps })?.spec.id).toBe('county-rollup');
    expect(registry.matchText('考勤汇总 10月', { deps })?.spec.id).toBe('county-rollup');
    expect(registry.matchText('考勤 2026-10', { deps })?.spec.id).toBe('attendance');
    expect(registry.matchText('汇报 走访3户', { deps })?.spec.id).not.toBe('county-rollup');
  });
});
