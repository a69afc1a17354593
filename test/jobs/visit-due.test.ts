/**
 * `visit-due` at its dates, under both half-year alignments: a leader without a visit is reminded privately
 * from 30 days before the obligation falls due (not the day before that), with the same key every day after
 * (so once), never when a visit of the period exists; and the organisation department's weekly digest lists
 * the overdue obligations with names.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/core/outbound.js';
import { visitDue } from '../../src/jobs/visit-due.js';
import { weeklyDigest } from '../../src/jobs/weekly-digest.js';
import { defaultPolicy, type Policy } from '../../src/policy/policy.js';
import { Tx } from '../../src/redis/tx.js';
import type { JobContext } from '../../src/schedule/job.js';
import { VisitRepo } from '../../src/visits/repo.js';
import type { Visit } from '../../src/visits/visit.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();

function ctxWith(halfYear: Policy['visits']['halfYear']): JobContext {
  const policy = defaultPolicy();
  policy.visits.halfYear = halfYear;
  return testDeps(t, { policy });
}

async function planAt(ctx: JobContext, date: string): Promise<Outbound[]> {
  const now = new Date(`${date}T09:00:00+08:00`);
  return visitDue.plan(now, await visitDue.load(ctx, now));
}
const keys = (msgs: Outbound[]) => msgs.map((m) => m.key).sort();
const text = (m: Outbound) =>
  m.body.type === 'text' ? m.body.content : m.body.type === 'markdown' ? m.body.content : '';

const visit = (no: string, userId: string, at: string, unit: string, as: 'mainLeader' | 'deputy'): Visit => ({
  no,
  userId,
  village: 'beibao',
  at: new Date(at).toISOString(),
  source: 'page',
  distanceM: 200,
  photos: [],
  units: [{ unit, as }],
});

/** The sample roster's deputies in charge, by unit (every unit's term: 2026-04-28 to 2027-04-27). */
const DEPUTIES = [
  'LiuYaQin',
  'ZhuLiHong',
  'LuoJianHua',
  'JiangHuiFang',
  'YuHaiBo',
  'PanLiNa',
  'QinYuLan',
  'ChengXiuYing',
];

beforeAll(async () => {
  await testDeps(t).roster.replace(sampleRosterData());
  const repo = new VisitRepo(t.redis, t.keys);
  const tx = new Tx();
  // 县财政局's deputy visited in June: the term's first half year, and the calendar's first.
  repo.save(tx, visit('V1001', 'LiuYaQin', '2026-06-10T10:00:00+08:00', '县财政局', 'deputy'));
  // 县人社局's on 30 October: the term's second half year, and the calendar's second.
  repo.save(tx, visit('V1002', 'ZhuLiHong', '2026-10-30T10:00:00+08:00', '县人社局', 'deputy'));
  await tx.commit(t.redis);
});

describe('visit-due, half years aligned to the term (default)', () => {
  const ctx = ctxWith('term');
  const first = (u: string, unit: string) => `visit-due:${unit}:deputy:2026-04-28:${u}`;

  it('says nothing 31 days before the first half year falls due (27 October)', async () => {
    expect(await planAt(ctx, '2026-09-26')).toEqual([]);
  });

  it('reminds each deputy without a visit 30 days before, privately, but not one who visited', async () => {
    // 27 September, 30 days before, is a day of the Mid-Autumn holiday: nothing then, the next working day instead.
    expect(ctx.calendar.isDayOff('2026-09-27')).toBe(true);
    expect(await planAt(ctx, '2026-09-27')).toEqual([]);
    const msgs = await planAt(ctx, '2026-09-28');
    expect(
      msgs
        .map((m) => (m.to.kind === 'user' ? m.to.userIds : []))
        .flat()
        .sort(),
    ).toEqual(DEPUTIES.filter((d) => d !== 'LiuYaQin').sort());
    expect(keys(msgs)).toContain(first('ZhuLiHong', '县人社局'));
    expect(msgs.every((m) => m.purpose === 'reminder')).toBe(true);
    const zhu = msgs.find((m) => m.key === first('ZhuLiHong', '县人社局'))!;
    expect(text(zhu)).toContain(
      '您作为县人社局分管领导，本半年（4月28日至10月27日）还没有到村记录，应于10月27日前到北堡村或香邑村或隘口村调研',
    );
    expect(text(zhu)).toContain('「到村 村名 调研内容」');
    expect(text(zhu).split('\n').at(-1)).toMatch(/^（为什么收到：/);
  });

  it('keeps the same keys on the later days of the window, so each obligation is reminded once', async () => {
    expect(keys(await planAt(ctx, '2026-10-15'))).toEqual(keys(await planAt(ctx, '2026-09-28')));
    expect(await planAt(ctx, '2026-10-28')).toEqual([]);
  });

  it('reminds the main leaders and the deputies 30 days before the term ends', async () => {
    expect(await planAt(ctx, '2027-03-27')).toEqual([]);
    const msgs = await planAt(ctx, '2027-03-28');
    expect(keys(msgs)).toContain('visit-due:县财政局:mainLeader:2026-04-28:DuHongWei');
    expect(keys(msgs)).toContain('visit-due:县财政局:deputy:2026-10-28:LiuYaQin');
    // 朱丽红 visited in this half year: not reminded.
    expect(keys(msgs).filter((k) => k.includes('ZhuLiHong'))).toEqual([]);
    expect(text(msgs.find((m) => m.key === 'visit-due:县财政局:mainLeader:2026-04-28:DuHongWei')!)).toContain(
      '本任期（2026年4月28日至2027年4月27日）还没有到村记录，应于4月27日前',
    );
  });
});

describe('visit-due, calendar half years', () => {
  const ctx = ctxWith('calendar');

  it('reminds from 1 December for the half year ending 31 December, not a deputy who visited in July', async () => {
    expect(await planAt(ctx, '2026-11-30')).toEqual([]);
    const msgs = await planAt(ctx, '2026-12-01');
    const to = msgs.map((m) => (m.to.kind === 'user' ? m.to.userIds[0] : '')).sort();
    expect(to).toEqual(DEPUTIES.filter((d) => d !== 'ZhuLiHong').sort());
    // 刘雅琴's June visit was in the calendar's first half year: this one still needs its own.
    expect(keys(msgs)).toContain('visit-due:县财政局:deputy:2026-07-01:LiuYaQin');
    expect(text(msgs.find((m) => m.key === 'visit-due:县财政局:deputy:2026-07-01:LiuYaQin')!)).toContain(
      '本半年（7月1日至12月31日）还没有到村记录，应于12月31日前',
    );
    expect(keys(await planAt(ctx, '2026-12-20'))).toEqual(keys(msgs));
    expect(await planAt(ctx, '2027-01-01')).toEqual([]);
  });
});

describe('overdue visits in the weekly digest', () => {
  it('counts and names them for the organisation department only', async () => {
    const ctx = ctxWith('term');
    const now = new Date('2026-11-16T08:30:00+08:00');
    const msgs = weeklyDigest.plan(now, await weeklyDigest.load(ctx, now));
    const all = msgs
      .filter((m) => m.body.type === 'markdown')
      .map(text)
      .join('\n');
    expect(all).toContain('到村调研逾期未到村 7 项（主要领导 0 项，分管领导 7 项）');
    expect(all).toContain('· 县人社局分管领导朱丽红，4月28日至10月27日未到村');
    expect(all).not.toContain('刘雅琴');
    for (const m of msgs) expect(m.to).toEqual({ kind: 'user', userIds: ['WuJianZhong', 'ChangXiaoMin'] });
  });
});

describe('visit-due, once per obligation', () => {
  const ctx = ctxWith('term');

  it('remembers what it reminded of until the period ends, so a later day of a long window sends nothing again', async () => {
    const run = async (date: string) => {
      const now = new Date(`${date}T09:00:00+08:00`);
      const state = await visitDue.load(ctx, now);
      const msgs = visitDue.plan(now, state);
      await visitDue.writes!.apply(ctx, now, state);
      return msgs;
    };
    const first = await run('2026-09-28');
    expect(first.length).toBeGreaterThan(0);
    // Ten days later (past the outbox's memory of sent keys): nothing again.
    expect(await run('2026-10-08')).toEqual([]);
    const reminded = await t.redis.hgetall(ctx.keys.visitReminded());
    expect(Object.keys(reminded).sort()).toEqual(keys(first));
    expect(new Set(Object.values(reminded))).toEqual(new Set(['2026-10-27']));
    // After the period: forgotten.
    await run('2026-10-28');
    expect(await t.redis.hgetall(ctx.keys.visitReminded())).toEqual({});
  });
});
