import { beforeAll, describe, expect, it } from 'vitest';
import help from '../../handlers/help.js';
import report from '../../handlers/report.js';
import type { Update } from '../../src/core/update.js';
import { parseDateFilter } from '../../src/reports/date-filter.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { testBot } from '../helpers/bot.js';

const t = useTestRedis();
const { bot, deps, clock } = testBot(t, { commands: [help, report], start: '2026-11-17T10:00:00+08:00' });

let seq = 0;
function text(userId: string, content: string, chatType: 'single' | 'group' = 'single'): Update {
  return { id: `q${++seq}`, channel: 'app', userId, chatType, kind: 'text', text: content, time: clock.now() };
}
async function say(userId: string, content: string, chatType: 'single' | 'group' = 'single'): Promise<string> {
  return (await bot.handle(text(userId, content, chatType))).reply?.text ?? '';
}
const count = (userId: string) => t.redis.hlen(t.keys.reports(userId));

beforeAll(async () => {
  await deps.roster.replace(sampleRosterData());
  clock.set('2026-11-17T10:00:00+08:00');
  await say('LiXiaoYan', '汇报 #走访 2户 昨天看望两户困难群众');
  clock.set('2026-11-18T09:00:00+08:00');
  await say('LiXiaoYan', '汇报 #实事 协调修好了村口路灯');
  await say('ZhouMingHui', '汇报 #党课 给党员讲党课');
});

describe('parseDateFilter', () => {
  const now = new Date('2026-11-18T09:00:00+08:00');
  it('reads ISO dates, month-day and relative words', () => {
    expect(parseDateFilter('2026-11-18', now)).toBe('2026-11-18');
    expect(parseDateFilter('11月17日', now)).toBe('2026-11-17');
    expect(parseDateFilter('12月1日', now)).toBe('2025-12-01');
    expect(parseDateFilter('今天', now)).toBe('2026-11-18');
    expect(parseDateFilter('昨天', now)).toBe('2026-11-17');
    expect(parseDateFilter('2026-02-30', now)).toBeUndefined();
    expect(parseDateFilter('明年', now)).toBeUndefined();
  });
});

describe('supervisors reading reports (汇报 姓名 [日期])', () => {
  it('lets the township supervisor read a cadre of the township', async () => {
    const reply = await say('LiZhenHua', '汇报 李晓燕');
    expect(reply).toContain('新田乡北堡村 李晓燕最近的汇报（共 2 条）');
    expect(reply).toContain('协调修好了村口路灯');
    expect(reply).toContain('#走访（2户）');
    expect(reply.indexOf('路灯')).toBeLessThan(reply.indexOf('困难群众'));
  });

  it('filters by date (YYYY-MM-DD, 11月17日, 昨天) and reads by userid', async () => {
    const yesterday = await say('LiZhenHua', '汇报 李晓燕 昨天');
    expect(yesterday).toContain('11月17日的汇报（共 1 条）');
    expect(yesterday).toContain('困难群众');
    expect(yesterday).not.toContain('路灯');
    expect(await say('LiZhenHua', '汇报 LiXiaoYan 2026-11-18')).toContain('路灯');
    expect(await say('LiZhenHua', '汇报 李晓燕 11月16日')).toContain('11月16日没有汇报');
  });

  it('refuses a cadre outside the scope, and an unknown name', async () => {
    expect(await say('LiZhenHua', '汇报 周明辉')).toContain('不在您可查看的范围内');
    expect(await say('LiZhenHua', '汇报 不存在的人')).toContain('名册中没有名为「不存在的人」');
    expect(await say('LiZhenHua', '汇报')).toContain('请写上要查看的干部姓名');
    expect(await say('LiZhenHua', '汇报 李晓燕 明年')).toContain('看不懂日期「明年」');
  });

  it('scopes the sending unit to its own cadres and lets the organisation department read all', async () => {
    expect(await say('DuHongWei', '汇报 李晓燕')).toContain('协调修好了村口路灯');
    expect(await say('DuHongWei', '汇报 孙丽娟')).toContain('不在您可查看的范围内');
    expect(await say('WuJianZhong', '汇报 周明辉')).toContain('给党员讲党课');
  });

  it('refuses reading another person in a group chat', async () => {
    expect(await say('LiZhenHua', '汇报 李晓燕', 'group')).toContain('单聊');
  });
});

describe('cadres and the same word', () => {
  it('a team leader reads a cadre of the township by name, filing nothing', async () => {
    const before = await count('WangJianGuo');
    expect(await say('WangJianGuo', '汇报 李晓燕 今天')).toContain('路灯');
    expect(await count('WangJianGuo')).toBe(before);
  });

  it('a name followed by more than a date is a new report', async () => {
    const before = await count('WangJianGuo');
    expect(await say('WangJianGuo', '汇报 李晓燕 一起走访了3户')).toContain('汇报已记录');
    expect(await count('WangJianGuo')).toBe(before + 1);
  });

  it('a team leader is refused outside his township and nothing is filed', async () => {
    const before = await count('WangJianGuo');
    expect(await say('WangJianGuo', '汇报 周明辉')).toContain('不在您可查看的范围内');
    expect(await count('WangJianGuo')).toBe(before);
  });

  it('a plain cadre may read only their own reports', async () => {
    expect(await say('SunLiJuan', '汇报 李晓燕')).toContain('不在您可查看的范围内');
    expect(await count('SunLiJuan')).toBe(0);
    expect(await say('LiXiaoYan', '汇报 李晓燕')).toContain('李晓燕最近的汇报');
  });
});
