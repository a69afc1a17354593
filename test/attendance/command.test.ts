import { beforeAll, describe, expect, it } from 'vitest';
import attendance from '../../handlers/attendance.js';
import type { Update } from '../../src/core/update.js';
import * as T from '../../templates/attendance.js';
import { testBot } from '../helpers/bot.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { checkIn, days, leave } from './seed.js';

const t = useTestRedis();
const { bot, deps } = testBot(t, { commands: [attendance], start: '2026-11-18T09:00:00+08:00' });

let n = 0;
async function ask(userId: string, text: string): Promise<string> {
  n += 1;
  const update: Update = {
    id: `att${n}`,
    channel: 'app',
    userId,
    chatType: 'single',
    kind: 'text',
    text,
    time: deps.clock.now(),
  };
  return (await bot.handle(update)).reply?.text ?? '';
}

beforeAll(async () => {
  await deps.roster.replace(sampleRosterData());
  await checkIn(t, 'LiXiaoYan', days('2026-11-02', '2026-11-13'));
  await checkIn(t, 'LiXiaoYan', ['2026-11-16'], 'message');
  await leave(t, 'LiXiaoYan', '病假', '2026-10-19', '2026-10-21');
});

describe('我的考勤 / 考勤', () => {
  it('shows a cadre their own month, year and day line', async () => {
    const text = await ask('LiXiaoYan', '我的考勤');
    expect(text).toContain('您的考勤 · 2026年11月（截至11月18日）');
    expect(text).toContain('在村 13 天（其中自报位置 1 天）');
    expect(text).toContain('月目标 22 天');
    expect(text).toContain('还需 9 天，本月还可在村 13 天（含今天）：进度正常');
    expect(text).toContain('本年度（任期年 2026年4月28日至2027年4月27日）');
    expect(text).toContain('16日 ◐ · 　 　 　 　 　');
    expect(text).toContain('✓在村 ◐自报位置 假请假 节放假 ·未在村');
    // An app's passive reply holds at most 2048 bytes.
    expect(Buffer.byteLength(text)).toBeLessThan(2048);
  });

  it('`考勤` with a month, in any of the usual spellings, shows that month', async () => {
    const iso = await ask('LiXiaoYan', '考勤 2026-10');
    expect(iso).toContain('您的考勤 · 2026年10月（已结束）');
    expect(iso).toContain('准假 3 天');
    expect(await ask('LiXiaoYan', '考勤 10月')).toContain('2026年10月（已结束）');
    expect(await ask('LiXiaoYan', '我的考勤 上月')).toContain('2026年10月（已结束）');
  });

  it('a cadre may name themselves but nobody else', async () => {
    expect(await ask('LiXiaoYan', '考勤 李晓燕')).toContain('您的考勤');
    expect(await ask('LiXiaoYan', '考勤 ZhaoWenBo')).toBe(T.onlyOwn);
  });

  it('a team leader sees the cadres of their township', async () => {
    const text = await ask('WangJianGuo', '考勤 李晓燕');
    expect(text).toContain('李晓燕（北堡村，县财政局） · 2026年11月');
    expect(text).toContain('在村 13 天');
    expect(await ask('WangJianGuo', '考勤 周明辉')).toBe(T.notInScope('周明辉'));
    expect(await ask('WangJianGuo', '我的考勤')).toContain('您的考勤');
  });

  it('a township supervisor sees their township only, by name or userid', async () => {
    expect(await ask('LiZhenHua', '考勤 LiXiaoYan 2026-10')).toContain('李晓燕（北堡村，县财政局） · 2026年10月');
    expect(await ask('ZhangGuoDong', '考勤 李晓燕')).toBe(T.notInScope('李晓燕'));
    expect(await ask('ZhangGuoDong', '考勤 10月 周明辉')).toContain('周明辉（香邑村，县教育局） · 2026年10月');
  });

  it('the organisation department sees everyone but must name someone', async () => {
    expect(await ask('WuJianZhong', '考勤 范卫东')).toContain('范卫东（西台神村，县交通局）');
    expect(await ask('WuJianZhong', '考勤')).toBe(T.nameNeeded);
    expect(await ask('WuJianZhong', '我的考勤')).toBe(T.nameNeeded);
  });

  it('refuses a malformed month or two names', async () => {
    expect(await ask('LiXiaoYan', '考勤 2026-13')).toBe(T.badMonth);
    expect(await ask('WuJianZhong', '考勤 李晓燕 王建国')).toBe(T.tooManyWords);
  });

  it('says when excused leave lowered the annual target', async () => {
    await leave(t, 'HeJing', '产假', '2026-12-01', '2027-05-07');
    const text = await ask('HeJing', '我的考勤');
    // 148 of the 158 days fall in the term year: ceil(250 × (365 − 148) / 365) = 149.
    expect(text).toContain('目标 149 天，扣除准假 148 天，按每年 250 天比例折算');
    expect(Buffer.byteLength(text)).toBeLessThan(2048);
    expect(await ask('LiXiaoYan', '我的考勤')).toContain('扣除准假 3 天'); // 病假 in October
    expect(await ask('WangJianGuo', '我的考勤')).not.toContain('扣除准假');
  });

  it('answers only in the one-to-one chat: in a group chat nobody’s figures are posted', async () => {
    n += 1;
    const update: Update = {
      id: `att${n}`,
      channel: 'bot',
      userId: 'WangJianGuo',
      chatType: 'group',
      chatId: 'wrkSFfCgAAxTn4Qb7LmRzK2d',
      kind: 'text',
      text: '考勤 王建国',
      time: deps.clock.now(),
    };
    const text = (await bot.handle(update)).reply?.text ?? '';
    expect(text).toContain('只在与本助手的单聊中回复');
    expect(text).not.toContain('在村');
    expect(await ask('WangJianGuo', '考勤 王建国')).toContain('您的考勤');
  });

  it('reads a month of a year without holiday data as pending', async () => {
    const text = await ask('LiXiaoYan', '考勤 2027-02');
    expect(text).toContain('2027年2月（尚未开始）');
    expect(text).toContain('月目标待定：2027 年放假安排尚未公布。');
    expect(text).toContain('放假安排公布后再计算');
  });
});
