/**
 * The 领队's view of a township: `本组情况` on demand and the weekly `team-digest` job, both from the same read.
 * Cadres by work group (roster order), by village and name inside a group, with the month so far, leave now or
 * within the week, the last seven days' reports; who may ask for which township; nothing in a group chat.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../handlers/index.js';
import { Registry } from '../../src/core/registry.js';
import type { Update } from '../../src/core/update.js';
import { teamModel, type TeamCadre } from '../../src/digest/team.js';
import { teamDigest } from '../../src/jobs/team-digest.js';
import { Tx } from '../../src/redis/tx.js';
import { ReportRepo } from '../../src/reports/repo.js';
import { notAllowed } from '../../templates/common.js';
import * as T from '../../templates/team.js';
import { checkIn, days, leave } from '../attendance/seed.js';
import { testBot } from '../helpers/bot.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const registry = new Registry(commands);
const { bot, deps } = testBot(t, { commands: registry, start: '2026-11-18T09:00:00+08:00' });
const XINTIAN_GROUP = 'wrkSFfCgAAxTn4Qb7LmRzK2d';

let n = 0;
async function ask(userId: string, text: string, chatId?: string): Promise<string> {
  n += 1;
  const update: Update = chatId
    ? { id: `bot:t${n}`, channel: 'bot', userId, chatId, chatType: 'group', kind: 'text', text, time: deps.clock.now() }
    : { id: `t${n}`, channel: 'app', userId, chatType: 'single', kind: 'text', text, time: deps.clock.now() };
  return (await bot.handle(update)).reply?.text ?? '';
}

const report = (no: string, userId: string, createdAt: string) => ({
  no,
  userId,
  text: '#走访 2户',
  tags: ['走访' as const],
  households: 2,
  createdAt: new Date(createdAt).toISOString(),
});

beforeAll(async () => {
  await deps.roster.replace(sampleRosterData());
  await checkIn(t, 'WangJianGuo', days('2026-11-02', '2026-11-17'));
  await checkIn(t, 'ZhaoWenBo', days('2026-11-02', '2026-11-08'));
  await leave(t, 'LiuFang', '公差', '2026-11-16', '2026-11-20');
  await leave(t, 'ZhaoWenBo', '事假', '2026-11-23', '2026-11-24');
  // Later than a week ahead: not shown.
  await leave(t, 'SunLiJuan', '事假', '2026-11-26', '2026-11-27');
  const reports = new ReportRepo(t.redis, t.keys);
  const tx = new Tx();
  reports.save(tx, report('H2001', 'LiXiaoYan', '2026-11-12T20:00:00+08:00'));
  reports.save(tx, report('H2002', 'LiXiaoYan', '2026-11-17T20:00:00+08:00'));
  // Eight days ago: outside the last seven days.
  reports.save(tx, report('H2003', 'GuoYongHong', '2026-11-10T20:00:00+08:00'));
  await tx.commit(t.redis);
});

describe('本组情况', () => {
  it('shows the 领队 their township by work group, with month, leave, reports, problems, and no ranking', async () => {
    expect(await ask('LiXiaoYan', '问题 村东头的机井坏了，三十多户浇地困难')).toContain('P1001');
    const text = await ask('WangJianGuo', '本组情况');
    // The village's open problem shows on each of its cadres' lines, and once in the township's total.
    expect(text).toMatch(/\*\*孙丽娟\*\*（北堡村）：[^\n]*村里待办问题 1 个/);
    expect(text).not.toMatch(/（牛村）：[^\n]*待办问题/);
    expect(text).toContain('待办问题 1 个。');
    expect(text).not.toContain('机井');
    expect(text).toContain('**新田乡驻村干部情况**（11月18日）');
    const first = text.indexOf('**新田乡第一工作小组**');
    const second = text.indexOf('**新田乡第二工作小组**');
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    // 北堡村 before 牛村 in the first group, whatever their figures.
    expect(text.indexOf('**王建国**（北堡村）')).toBeLessThan(text.indexOf('（牛村）'));
    expect(text.slice(first, second)).toContain('**王建国**（北堡村）：本月 16/22 天；');
    expect(text).toMatch(/\*\*李晓燕\*\*（北堡村）：本月 0\/\d+ 天.*；近 7 天汇报 2 篇/);
    expect(text).toMatch(/\*\*刘芳\*\*（牛村）：[^\n]*请假中（公差，11月16日至20日）/);
    expect(text).toMatch(/\*\*赵文博\*\*（北堡村）：[^\n]*将请假（事假，11月23日至24日）/);
    expect(text).not.toMatch(/孙丽娟[^\n]*请假/);
    expect(text).toMatch(/\*\*郭永红\*\*（[^）]+）：[^\n]*近 7 天无汇报/);
    expect(text).toContain('共 11 人');
    expect(text).toContain('请假中 1 人');
    expect(text).toContain('近 7 天汇报 2 篇');
  });

  it('lets a township supervisor see their township and the organisation department a township it names', async () => {
    expect(await ask('LiZhenHua', '本组情况')).toContain('**新田乡驻村干部情况**');
    expect(await ask('WuJianZhong', '本组情况')).toBe(T.whichTownship(['新田乡', '凤城乡', '高村乡']));
    expect(await ask('WuJianZhong', '本组情况 凤城乡')).toContain('**凤城乡驻村干部情况**');
    expect(await ask('WuJianZhong', '本组情况 火星乡')).toBe(
      T.unknownTownship('火星乡', ['新田乡', '凤城乡', '高村乡']),
    );
    expect(await ask('LiZhenHua', '本组情况 凤城乡')).toBe(T.notInScope('凤城乡', ['新田乡']));
  });

  it('refuses a cadre who is not a 领队, and answers nothing personal in a group', async () => {
    expect(await ask('LiXiaoYan', '本组情况')).toBe(notAllowed('本组情况', ['team-leader', 'township', 'org']));
    const inGroup = await ask('WangJianGuo', '本组情况', XINTIAN_GROUP);
    expect(inGroup).not.toContain('李晓燕');
    expect(inGroup).toContain('单聊');
  });
});

describe('team-digest', () => {
  it('sends each township its 领队 the same view privately on Monday, once per week', async () => {
    const now = new Date('2026-11-23T08:00:00+08:00');
    const state = await teamDigest.load(deps, now);
    const msgs = teamDigest.plan(now, state);
    const byKey = new Map(msgs.map((m) => [m.key, m]));
    // Split at WeCom's size limit where long: `…:2` continues under the same title.
    expect(new Set([...byKey.keys()].map((k) => k.replace(/:\d+$/, '')))).toEqual(
      new Set(['digest:team:fengcheng:2026-W48', 'digest:team:gaocun:2026-W48', 'digest:team:xintian:2026-W48']),
    );
    for (const m of msgs)
      expect(Buffer.byteLength(m.body.type === 'markdown' ? m.body.content : '')).toBeLessThan(2048);
    const xintianAll = msgs
      .filter((m) => m.key.startsWith('digest:team:xintian:'))
      .map((m) => (m.body.type === 'markdown' ? m.body.content : ''));
    expect(xintianAll.join('\n')).toContain('**新田乡第二工作小组**');
    expect(xintianAll.at(-1)).toContain(T.teamWeeklyWhy);
    const xintian = byKey.get('digest:team:xintian:2026-W48')!;
    expect(xintian.to).toEqual({ kind: 'user', userIds: ['WangJianGuo'] });
    // Planned again from the same state: the same keys, so the outbox sends nothing twice.
    expect(teamDigest.plan(now, state).map((m) => m.key)).toEqual(msgs.map((m) => m.key));
  });
});

describe('teamModel', () => {
  const cadre = (name: string, village: string, workGroup: string | undefined, status = 'on-track'): TeamCadre => ({
    userid: name,
    name,
    village,
    ...(workGroup ? { workGroup } : {}),
    month: { present: 3, target: 22, needed: 19, remaining: 20, status: status as 'on-track' },
    reportsWeek: 1,
    openProblems: 0,
  });

  it('keeps the roster order of work groups, puts villages in no group last, and counts the totals', () => {
    const m = teamModel({
      township: { id: 'x', name: '某乡' },
      workGroups: [
        { id: 'b', name: '第二组' },
        { id: 'a', name: '第一组' },
        { id: 'empty', name: '空组' },
      ],
      cadres: [
        cadre('乙', '甲村', 'a', 'at-risk'),
        cadre('甲', '甲村', 'a'),
        cadre('丙', '乙村', 'b', 'cannot-reach'),
        cadre('丁', '丙村', undefined),
      ],
      openProblems: 2,
      date: '2026-11-18',
    });
    expect(m.groups.map((g) => g.name)).toEqual(['第二组', '第一组', undefined]);
    expect(m.groups[1]!.cadres.map((c) => c.name)).toEqual(['甲', '乙']);
    expect(m.totals).toEqual({ cadres: 4, atRisk: 2, onLeave: 0, reportsWeek: 4, openProblems: 2 });
    expect(T.teamReport(m)).toContain('**未编入工作小组的村**');
  });
});
