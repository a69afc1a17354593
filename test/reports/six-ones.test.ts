import { beforeAll, describe, expect, it } from 'vitest';
import help from '../../handlers/help.js';
import report from '../../handlers/report.js';
import sixOnes from '../../handlers/six-ones.js';
import type { Update } from '../../src/core/update.js';
import { sixOnesProgress, type ReportFacts } from '../../src/reports/six-ones.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { testBot } from '../helpers/bot.js';

const t = useTestRedis();
const { bot, deps, clock } = testBot(t, { commands: [help, report, sixOnes], start: '2026-05-10T09:00:00+08:00' });

let seq = 0;
async function say(userId: string, content: string): Promise<string> {
  const u: Update = {
    id: `s${++seq}`,
    channel: 'app',
    userId,
    chatType: 'single',
    kind: 'text',
    text: content,
    time: clock.now(),
  };
  return (await bot.handle(u)).reply?.text ?? '';
}

beforeAll(async () => {
  const data = sampleRosterData();
  // 隘口村 with a handful of households, so a visit round can be completed in a test.
  data.villages.find((v) => v.id === 'aikou')!.households = 4;
  await deps.roster.replace(data);
});

describe('sixOnesProgress (pure)', () => {
  const r = (no: string, tags: ReportFacts['tags'], createdAt: string, households = 0): ReportFacts => ({
    no,
    tags,
    households,
    createdAt,
  });

  it('counts tagged reports of the first 30 days and households against the village', () => {
    const reports = [
      r('H1', ['走访'], '2026-04-28T20:00:00+08:00', 150),
      r('H2', ['走访', '党课'], '2026-05-20T20:00:00+08:00', 300),
      r('H3', ['计划'], '2026-05-27T23:00:00+08:00'),
      r('H4', ['承诺'], '2026-05-28T08:00:00+08:00'),
    ];
    const p = sixOnesProgress(
      reports,
      { termStart: '2026-04-28', households: 420, firstMonthDays: 30 },
      new Date('2026-05-27T09:00:00+08:00'),
    );
    expect(p).toMatchObject({
      start: '2026-04-28',
      end: '2026-05-27',
      phase: 'during',
      daysLeft: 1,
      doneCount: 3,
      complete: false,
    });
    expect(p.households).toEqual({ visited: 450, target: 420 });
    expect(p.items.map((i) => [i.item, i.done])).toEqual([
      ['visit', true],
      ['lecture', true],
      ['practical', false],
      ['talk', false],
      ['plan', true],
      ['pledge', false],
    ]);
    expect(p.items[0]!.reports).toEqual(['H1', 'H2']);
  });

  it('takes one visit as done when the roster gives no household count, and knows before and after', () => {
    const reports = [r('H1', ['走访'], '2026-05-01T10:00:00+08:00', 2)];
    const during = sixOnesProgress(
      reports,
      { termStart: '2026-04-28', firstMonthDays: 30 },
      new Date('2026-05-01T10:00:00+08:00'),
    );
    expect(during.items[0]!.done).toBe(true);
    expect(during.households).toEqual({ visited: 2 });
    expect(during.daysLeft).toBe(27);
    expect(
      sixOnesProgress([], { termStart: '2026-04-28', firstMonthDays: 30 }, new Date('2026-04-01T10:00:00+08:00')),
    ).toMatchObject({
      phase: 'before',
      daysLeft: 30,
    });
    expect(
      sixOnesProgress([], { termStart: '2026-04-28', firstMonthDays: 30 }, new Date('2026-06-01T10:00:00+08:00')),
    ).toMatchObject({
      phase: 'after',
      daysLeft: 0,
    });
  });

  it('takes the length of the first month from the policy', () => {
    const p = sixOnesProgress(
      [],
      { termStart: '2026-04-28', firstMonthDays: 45 },
      new Date('2026-06-01T10:00:00+08:00'),
    );
    expect(p).toMatchObject({ end: '2026-06-11', phase: 'during', daysLeft: 11 });
  });
});

describe('六个一', () => {
  it('shows ✓/✗ per item, households x/y and the days left', async () => {
    clock.set('2026-05-10T09:00:00+08:00');
    expect(await say('LiXiaoYan', '汇报 #走访 3户 看望困难户')).toContain('“六个一”已完成 0/6');
    await say('LiXiaoYan', '走访：五户，了解用种');
    await say('LiXiaoYan', '汇报 #党课 讲授“两学一做”专题党课');
    await say('LiXiaoYan', '承诺：公开承诺三件事');
    const reply = await say('LiXiaoYan', '六个一');
    expect(reply).toContain('第一个月到 5月27日，还剩 18 天');
    expect(reply).toContain('✗ 走访全村农户一遍（8/420 户）');
    expect(reply).toContain('✓ 讲一次党课');
    expect(reply).toContain('✗ 办一件实事');
    expect(reply).toContain('✓ 作一次公开承诺');
    expect(reply).toContain('已完成 2/6');
  });

  it('completes the visit item when the households reach the village total', async () => {
    clock.set('2026-05-02T09:00:00+08:00');
    await say('RenBaoPing', '汇报 #走访 3户');
    await say('RenBaoPing', '汇报 #走访 入户了解情况');
    for (const tag of ['党课', '实事', '村民说事', '计划', '承诺']) await say('RenBaoPing', `汇报 #${tag} 已完成`);
    const reply = await say('RenBaoPing', '六个一');
    expect(reply).toContain('✓ 走访全村农户一遍（4/4 户）');
    expect(reply).toContain('已完成 6/6。全部完成。');
  });

  it('does not count reports filed after the first month', async () => {
    clock.set('2026-06-05T09:00:00+08:00');
    await say('HeJing', '汇报 #党课 补讲党课');
    const reply = await say('HeJing', '六个一');
    expect(reply).toContain('已结束');
    expect(reply).toContain('✗ 讲一次党课');
  });

  it('lets a supervisor see a cadre within scope, and refuses outside it', async () => {
    clock.set('2026-05-10T12:00:00+08:00');
    expect(await say('LiZhenHua', '六个一 李晓燕')).toContain('李晓燕的“六个一”');
    expect(await say('ZhangGuoDong', '六个一 李晓燕')).toContain('不在您可查看的范围内');
    expect(await say('ZhangGuoDong', '六个一')).toContain('请写上要查看的干部姓名');
  });
});
