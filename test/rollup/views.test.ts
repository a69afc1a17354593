/**
 * `本乡情况` and `本单位情况`: who sees what (a township supervisor their township, a unit's leaders their unit's
 * cadres, a cadre nothing, a group chat pointed to the app chat), the same figures as `全县考勤` and the 领队's
 * view for the same people, and the sending units' monthly summary job (once a unit and month, content of a
 * closed month).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../handlers/index.js';
import { closeMonth } from '../../src/close/close.js';
import { fixedClock } from '../../src/core/clock.js';
import type { Outbound } from '../../src/core/outbound.js';
import { Registry } from '../../src/core/registry.js';
import type { Update } from '../../src/core/update.js';
import { loadTeam } from '../../src/digest/team-load.js';
import { unitSummary } from '../../src/jobs/unit-summary.js';
import { loadRollup, unitScope, unitsOf } from '../../src/rollup/service.js';
import { loadTownshipView, loadUnitView } from '../../src/rollup/views.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import type { RunResult } from '../../src/schedule/job.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { notAllowed, privateOnly } from '../../templates/common.js';
import { unitPointer } from '../../templates/rollup.js';
import * as T from '../../templates/rollup-views.js';
import { checkIn, days, leave } from '../attendance/seed.js';
import { testBot } from '../helpers/bot.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const { bot, deps } = testBot(t, { commands: new Registry(commands), start: '2026-11-18T09:00:00+08:00' });
const XINTIAN_GROUP = 'wrkSFfCgAAxTn4Qb7LmRzK2d';

let n = 0;
async function ask(userId: string, text: string, chatId?: string): Promise<string> {
  n += 1;
  const update: Update = chatId
    ? { id: `bot:v${n}`, channel: 'bot', userId, chatId, chatType: 'group', kind: 'text', text, time: deps.clock.now() }
    : { id: `v${n}`, channel: 'app', userId, chatType: 'single', kind: 'text', text, time: deps.clock.now() };
  return (await bot.handle(update)).reply?.text ?? '';
}

const data = sampleRosterData();
const cadresOf = (unit: string) => data.cadres.filter((c) => c.sendingUnit === unit);
const townshipOf = (village: string) => data.villages.find((v) => v.id === village)!.township;

beforeAll(async () => {
  await deps.roster.replace(data);
  await checkIn(t, 'WangJianGuo', days('2026-10-01', '2026-11-17'));
  await checkIn(t, 'ZhaoWenBo', days('2026-11-02', '2026-11-08'));
  await checkIn(t, 'ZhouMingHui', days('2026-10-08', '2026-10-31'));
  await leave(t, 'LiuFang', '公差', '2026-11-16', '2026-11-20');
  // The organisation department closes October: the summary job waits for that.
  await closeMonth(deps, await deps.roster.get(), '2026-10', {
    now: new Date('2026-11-05T07:00:00+08:00'),
    actor: 'job:month-close',
  });
});

describe('本乡情况', () => {
  it('shows a township supervisor their own township by village and cadre, and no other', async () => {
    const text = await ask('LiZhenHua', '本乡情况');
    expect(text).toContain('**新田乡驻村情况**（11月18日）');
    expect(text).toContain('- **王建国**：本月 17/22 天');
    expect(text).toMatch(/- \*\*刘芳\*\*：[^\n]*请假中（公差，11月16日至20日）/);
    expect(text).toContain('待审批请假 0 件');
    // Villages by name; no cadre of 凤城乡.
    expect(text.indexOf('**北堡村**')).toBeLessThan(text.indexOf('**牛村**'));
    expect(text).not.toContain('周明辉');
    expect(await ask('LiZhenHua', '本乡情况 凤城乡')).toBe(T.townshipNotInScope('凤城乡', ['新田乡']));
  });

  it('lets the organisation department name a township, and points a 领队 to 本组情况', async () => {
    expect(await ask('WuJianZhong', '本乡情况 凤城乡')).toContain('**凤城乡驻村情况**');
    expect(await ask('WuJianZhong', '本乡情况')).toContain('请说明查看哪个乡镇（街道）');
    expect(await ask('WangJianGuo', '本乡情况')).toBe(T.townshipNotSupervisor);
  });

  it('refuses a cadre and points a group chat to the private chat', async () => {
    expect(await ask('ZhaoWenBo', '本乡情况')).toBe(notAllowed('本乡情况', ['township', 'org', 'team-leader']));
    expect(await ask('LiZhenHua', '本乡情况', XINTIAN_GROUP)).toBe(privateOnly('本乡情况'));
  });

  it('gives the figures of 全县考勤 and of the 领队 view for the same cadres', async () => {
    const roster = await deps.roster.get();
    const now = deps.clock.now();
    const [view, county, team] = await Promise.all([
      loadTownshipView(deps, roster, 'xintian', now, 'LiZhenHua'),
      loadRollup(deps, roster, { county: true, townships: [...roster.townships.keys()] }, '2026-11', now),
      loadTeam(deps, roster, 'xintian', now),
    ]);
    const row = county.townships.find((x) => x.id === 'xintian')!;
    const { id: _id, name: _name, ...counts } = row;
    expect(view.rollup.total).toEqual(counts);
    const lines = view.villages.flatMap((v) => v.cadres);
    expect(lines).toHaveLength(team.cadres.length);
    for (const c of team.cadres) expect(lines.find((l) => l.userid === c.userid)?.month).toEqual(c.month);
    expect(view.openProblems).toBe(team.openProblems);
  });
});

describe('本单位情况', () => {
  it("shows a unit's leaders only their unit's cadres, wherever they serve", async () => {
    const mine = cadresOf('县财政局');
    for (const who of ['DuHongWei', 'LiuYaQin']) {
      const text = await ask(who, '本单位情况');
      expect(text).toContain('**县财政局派出的驻村干部**（11月18日）');
      for (const c of mine) expect(text).toContain(`**${c.name}**`);
      for (const c of data.cadres.filter((x) => x.sendingUnit !== '县财政局')) expect(text).not.toContain(c.name);
      expect(text).toMatch(/今年 \d+\/\d+ 天/);
    }
    expect(await ask('DuHongWei', '本单位情况 县教育局')).toBe(T.unitNotInScope('县教育局', ['县财政局']));
  });

  it('refuses a cadre and a township supervisor, and points a group chat to the private chat', async () => {
    expect(await ask('ZhaoWenBo', '本单位情况')).toBe(T.notUnitLeader);
    expect(await ask('LiZhenHua', '本单位情况')).toBe(T.notUnitLeader);
    expect(await ask('DuHongWei', '本单位情况', XINTIAN_GROUP)).toBe(privateOnly('本单位情况'));
  });

  it('points a unit leader who asks for the county to their own roll-up', async () => {
    expect(await ask('DuHongWei', '全县考勤')).toBe(unitPointer);
    expect(await ask('ZhaoWenBo', '全县考勤')).toBe(notAllowed('全县考勤', ['org', 'township']));
  });

  it('adds up, over every unit, to the county roll-up', async () => {
    const roster = await deps.roster.get();
    const now = deps.clock.now();
    const units = [...new Set(data.cadres.map((c) => c.sendingUnit))];
    const county = await loadRollup(
      deps,
      roster,
      { county: true, townships: [...roster.townships.keys()] },
      '2026-11',
      now,
    );
    const parts = await Promise.all(units.map((u) => loadRollup(deps, roster, unitScope(u), '2026-11', now)));
    const sum = (f: (r: (typeof parts)[number]) => number) => parts.reduce((a, r) => a + f(r), 0);
    expect(sum((r) => r.total.cadres)).toBe(county.total.cadres);
    expect(sum((r) => r.total.presentDays)).toBe(county.total.presentDays);
    expect(sum((r) => r.total.eligibleDays)).toBe(county.total.eligibleDays);
    expect(sum((r) => r.total.status['at-risk'])).toBe(county.total.status['at-risk']);
    expect(sum((r) => r.total.belowLastMonth)).toBe(county.total.belowLastMonth);
    expect(parts.flatMap((r) => r.atRisk.map((a) => a.userid)).sort()).toEqual(
      county.atRisk.map((a) => a.userid).sort(),
    );
    // Each cadre's line is the one the 领队 view shows.
    const view = await loadUnitView(deps, roster, '县财政局', now);
    for (const township of new Set(cadresOf('县财政局').map((c) => townshipOf(c.village)))) {
      const team = await loadTeam(deps, roster, township, now);
      for (const c of team.cadres.filter((x) => view.cadres.some((v) => v.userid === x.userid)))
        expect(view.cadres.find((v) => v.userid === c.userid)?.month).toEqual(c.month);
    }
  });

  it('knows main leaders, deputies among people and sending-unit supervisors', async () => {
    const roster = await deps.roster.get();
    expect(unitsOf(roster.person('LiuYaQin')!, roster)).toEqual(['县财政局']);
    expect(unitsOf(roster.person('QinYuLan')!, roster)).toEqual(['县卫健局']);
    expect(unitsOf(roster.person('ZhaoWenBo')!, roster)).toEqual([]);
  });
});

describe('unit-summary', () => {
  const outbox = new RecordingOutbox();
  async function runAt(iso: string): Promise<RunResult> {
    const ctx = testDeps(t, { clock: fixedClock(new Date(`${iso}+08:00`)), outbox });
    return new JobRunner(ctx, new RedisRunCoordinator(ctx.redis, ctx.keys, ctx.clock, () => 0)).runManual(unitSummary);
  }
  const text = (m: Outbound | undefined) => (m?.body.type === 'markdown' ? m.body.content : '');

  it('waits for the month to close, for a working day and for the end of the quiet hours', async () => {
    // September is not closed: nothing in October.
    expect((await runAt('2026-10-09T09:00:00')).sent).toEqual([]);
    // Saturday 7 November, and 22:00 on a Friday.
    expect((await runAt('2026-11-07T09:00:00')).sent).toEqual([]);
    expect((await runAt('2026-11-06T22:00:00')).sent).toEqual([]);
  });

  it("sends each unit its closed month's summary once, to its leaders only", async () => {
    const first = await runAt('2026-11-05T09:00:00');
    const finance = first.sent.find((m) => m.key === 'summary:unit:县财政局:2026-10');
    expect(finance?.to).toEqual({ kind: 'user', userIds: ['DuHongWei', 'LiuYaQin'] });
    expect(finance?.purpose).toBe('digest');
    const body = text(finance);
    expect(body).toContain('**县财政局驻村干部2026年10月情况**');
    for (const c of cadresOf('县财政局')) expect(body).toContain(`**${c.name}**`);
    for (const c of data.cadres.filter((x) => x.sendingUnit !== '县财政局')) expect(body).not.toContain(c.name);
    expect(body).toContain(T.unitSummaryWhy);
    // Every unit with cadres once, each key once.
    const keys = first.sent.map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k.endsWith(':2026-10')).length).toBe(new Set(data.cadres.map((c) => c.sendingUnit)).size);
    // Once accepted by WeCom, the next mornings send nothing again.
    for (const m of first.sent) await t.redis.set(t.keys.outboxSent(m.key), '1');
    expect((await runAt('2026-11-06T09:00:00')).sent).toEqual([]);
  });
});
