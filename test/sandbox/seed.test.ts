/**
 * The sandbox's sample history: the plan is deterministic for a roster, a "now" and a seed, and carrying it
 * out through the real bot leaves the data the plan describes (check-ins of every source, approved leave,
 * confirmed back-fills, reports, the 六个一 of the newest cadre, an announcement with read receipts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BackfillRepo } from '../../src/attendance/backfill.js';
import { Ledger } from '../../src/attendance/ledger.js';
import type { CheckinRecord as LedgerRecord } from '../../src/attendance/record.js';
import { AnnounceRepo } from '../../src/announce/repo.js';
import type { CheckinRecord } from '../../src/fakewecom/state.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { ReportRepo } from '../../src/reports/repo.js';
import { sixOnesOf } from '../../src/reports/six-ones.js';
import { Roster } from '../../src/roster/roster.js';
import { planSeed } from '../../src/sandbox/seed-plan.js';
import { ensureSeeded, type SeedResult, type WecomCheckinSource } from '../../src/sandbox/seed.js';
import { createRegistry } from '../../handlers/index.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const NOW = new Date('2026-11-24T08:30:00+08:00');
const roster = new Roster(sampleRosterData());
const policy = defaultPolicy();
const MONTHS = ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];

/** The 打卡 records, answered as `checkin/getcheckindata` does, without a server. */
function wecomInMemory(): WecomCheckinSource {
  const records: CheckinRecord[] = [];
  return {
    add: (r) => void records.push(...r),
    api: {
      call: async (_name, params = {}) => {
        const b = params.body as { useridlist: string[]; starttime: number; endtime: number };
        const checkindata = records.filter((r) => b.useridlist.includes(r.userid) && r.checkin_time >= b.starttime && r.checkin_time <= b.endtime);
        return { errcode: 0, errmsg: 'ok', checkindata };
      },
    },
  };
}

describe('seed plan', () => {
  it('is the same for the same roster, now and seed, and different for another seed', () => {
    expect(planSeed(roster, policy, NOW)).toEqual(planSeed(roster, policy, NOW));
    expect(planSeed(roster, policy, NOW, 7).checkins).not.toEqual(planSeed(roster, policy, NOW).checkins);
  });

  it('has check-ins of every source over the term so far, talk over the last 30 days, and leaves today alone', () => {
    const plan = planSeed(roster, policy, NOW);
    expect([plan.from, plan.talkFrom, plan.to]).toEqual(['2026-04-28', '2026-10-25', '2026-11-23']);
    expect(plan.actions.filter((a) => !a.text!.includes('#计划') && a.user !== 'WeiSiYuan').every((a) => a.at >= '2026-10-24T16:00:00.000Z')).toBe(true);
    const sources = new Set(plan.checkins.map((s) => s.location!.source));
    expect([...sources].sort()).toEqual(['auto', 'message', 'page']);
    // 高村乡 uses WeCom 打卡: its 8 cadres have 打卡 records and no other check-ins.
    const gaocun = new Set(roster.cadresOfTownship('gaocun').map((c) => c.userid));
    expect(new Set(plan.wecom.map((r) => r.userid))).toEqual(gaocun);
    expect(plan.checkins.some((s) => gaocun.has(s.user))).toBe(false);
    // Most cadres on most days: 23 cadres × 210 days with about one day in eight missed.
    expect(plan.checkins.length).toBeGreaterThan(23 * 210 * 0.75);
    expect(plan.wecom.length).toBeGreaterThan(8 * 210 * 0.75);
    const all = [...plan.checkins, ...plan.actions].map((s) => s.at);
    expect(all.every((at) => at < '2026-11-23T16:00:00.000Z')).toBe(true);
  });
});

describe('seeding through the bot', () => {
  let result: SeedResult | undefined;
  const cadres = roster.data.cadres.map((c) => c.userid);

  beforeAll(async () => {
    const deps = testDeps(t);
    await deps.roster.replace(sampleRosterData());
    result = await ensureSeeded({ deps, registry: createRegistry(), now: NOW, wecomCheckin: wecomInMemory() });
  });

  it('seeds once, with no refused step', async () => {
    expect(result?.problems).toEqual([]);
    expect(await t.redis.exists(t.keys.sandboxSeeded())).toBe(1);
    const again = await ensureSeeded({ deps: testDeps(t), registry: createRegistry(), now: NOW });
    expect(again).toBeUndefined();
  });

  it('leaves check-ins of every source in the ledger', async () => {
    const ledger = new Ledger(t.redis, t.keys);
    const records: LedgerRecord[] = [];
    for (const u of cadres) for (const m of MONTHS) for (const day of (await ledger.month(u, m)).values()) records.push(...day);
    const bySource = (s: string) => records.filter((r) => r.source === s).length;
    const plan = result!.plan;
    const planned = (s: string) => plan.checkins.filter((c) => c.location!.source === s).length;
    expect(bySource('page')).toBe(planned('page'));
    expect(bySource('message')).toBe(planned('message'));
    // An automatic report outside the village is not recorded; inside ones are.
    expect(bySource('auto')).toBeGreaterThan(0);
    expect(bySource('auto')).toBeLessThanOrEqual(planned('auto'));
    expect(bySource('wecom')).toBe(plan.wecom.length);
    expect(bySource('backfill')).toBe(2);
  });

  it('leaves approved leave, confirmed back-fills, reports, the 六个一 and a read announcement', async () => {
    const leaves = [...(await new LeaveRepo(t.redis, t.keys).ofUsers(cadres)).values()].flat();
    expect(leaves.length).toBe(6);
    expect(leaves.every((l) => l.status === 'approved' && l.returnedOn !== undefined)).toBe(true);
    const backfills = (await Promise.all(cadres.map((u) => new BackfillRepo(t.redis, t.keys).ofUser(u)))).flat();
    expect(backfills.map((b) => b.status)).toEqual(['confirmed', 'confirmed']);
    const reports = [...(await new ReportRepo(t.redis, t.keys).ofUsers(cadres)).values()].flat();
    expect(reports.length).toBeGreaterThan(cadres.length * 2);
    // The newest cadre (WeiSiYuan, last on the roster of equal term starts) did all six in the first month.
    const weiSiYuan = reports.filter((r) => r.userId === 'WeiSiYuan');
    expect(sixOnesOf(roster, roster.cadres.get('WeiSiYuan')!, weiSiYuan, NOW).complete).toBe(true);
    const ann = new AnnounceRepo(t.redis, t.keys);
    const [no] = await ann.recentNumbers(5);
    const state = await ann.readState(no!);
    const acks = result!.plan.actions.filter((a) => a.text === '收到').length;
    expect(Object.keys(state!.reads).length).toBe(acks);
  });
});
