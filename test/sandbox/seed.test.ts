/**
 * The sandbox's sample history: the plan is deterministic for a roster, a "now" and a seed, and carrying it
 * out through the real bot leaves the data the plan describes (check-ins of every source, approved leave,
 * confirmed back-fills, reports, the 六个一 of the newest cadre, an announcement with read receipts). The
 * figures look like a real county's: most cadres on track, a few behind (so 需关注 and the warning ladder
 * have someone to name), nearly nobody in the village over a State Council holiday, few problem reports.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BackfillRepo } from '../../src/attendance/backfill.js';
import { loadFigures } from '../../src/attendance/figures.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { isWeekend, localDate } from '../../src/kit/dates.js';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import type { CheckinRecord as LedgerRecord } from '../../src/attendance/record.js';
import { AnnounceRepo } from '../../src/announce/repo.js';
import type { CheckinRecord } from '../../src/fakewecom/state.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { isOverdue } from '../../src/problems/problem.js';
import { AssessRepo } from '../../src/assess/repo.js';
import { ProblemRepo } from '../../src/problems/repo.js';
import { ReportRepo } from '../../src/reports/repo.js';
import { current, obligations, overdue } from '../../src/visits/obligations.js';
import { VisitRepo } from '../../src/visits/repo.js';
import { sixOnesOf } from '../../src/reports/six-ones.js';
import { Roster } from '../../src/roster/roster.js';
import { COUNTY_TOWN } from '../../src/sandbox/places.js';
import { planSeed, type SeedStep } from '../../src/sandbox/seed-plan.js';
import { ensureSeeded, type SeedResult, type WecomCheckinSource } from '../../src/sandbox/seed.js';
import { createRegistry } from '../../handlers/index.js';
import { Bot } from '../../src/core/bot.js';
import { cadreHalfOn } from '../../src/points/half.js';
import { loadPoints } from '../../src/points/load.js';
import { TestClock } from '../helpers/clock.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const NOW = new Date('2026-11-24T08:30:00+08:00');
const roster = new Roster(sampleRosterData());
const policy = defaultPolicy();
const calendar = new HolidayCalendar();
const plan = planSeed(roster, policy, calendar, NOW);
/** The days each cadre is planned in the village (check-ins and 打卡 records alike, county-town ones left out). */
const plannedDays = new Map<string, Set<string>>();
const inVillage = (s: SeedStep) => s.location!.lat !== COUNTY_TOWN.lat || s.location!.lng !== COUNTY_TOWN.lng;
for (const s of plan.checkins)
  if (inVillage(s)) plannedDays.set(s.user, (plannedDays.get(s.user) ?? new Set()).add(localDate(new Date(s.at))));
for (const r of plan.wecom)
  if (!r.exception_type)
    plannedDays.set(r.userid, (plannedDays.get(r.userid) ?? new Set()).add(localDate(new Date(r.checkin_time * 1000))));
const MONTHS = ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];

/** The 打卡 records, answered as `checkin/getcheckindata` does, without a server. */
function wecomInMemory(): WecomCheckinSource {
  const records: CheckinRecord[] = [];
  return {
    add: (r) => void records.push(...r),
    api: {
      call: async (_name, params = {}) => {
        const b = params.body as { useridlist: string[]; starttime: number; endtime: number };
        const checkindata = records.filter(
          (r) => b.useridlist.includes(r.userid) && r.checkin_time >= b.starttime && r.checkin_time <= b.endtime,
        );
        return { errcode: 0, errmsg: 'ok', checkindata };
      },
    },
  };
}

describe('seed plan', () => {
  it('is the same for the same roster, now and seed, and different for another seed', () => {
    expect(planSeed(roster, policy, calendar, NOW)).toEqual(plan);
    expect(planSeed(roster, policy, calendar, NOW, 7).checkins).not.toEqual(plan.checkins);
  });

  it('has check-ins of every source over the term so far, talk over the last 30 days, and leaves today alone', () => {
    expect([plan.from, plan.talkFrom, plan.to]).toEqual(['2026-04-28', '2026-10-25', '2026-11-23']);
    expect(
      plan.actions
        // The overdue problem of the ledger (problem0) is older than the month of talk on purpose.
        .filter(
          (a) =>
            !a.text!.includes('#计划') &&
            a.user !== 'WeiSiYuan' &&
            a.capture !== 'problem0' &&
            !a.text!.includes('{problem0}'),
        )
        .every((a) => a.at >= '2026-10-24T16:00:00.000Z'),
    ).toBe(true);
    const sources = new Set(plan.checkins.map((s) => s.location!.source));
    expect([...sources].sort()).toEqual(['auto', 'message', 'page']);
    // 高村乡 uses WeCom 打卡: its 8 cadres have 打卡 records and no other check-ins.
    const gaocun = new Set(roster.cadresOfTownship('gaocun').map((c) => c.userid));
    expect(new Set(plan.wecom.map((r) => r.userid))).toEqual(gaocun);
    expect(plan.checkins.some((s) => gaocun.has(s.user))).toBe(false);
    // 210 days of term so far, of which 15 official days off: most cadres in on three days in four or more.
    expect(plan.checkins.length).toBeGreaterThan(23 * 195 * 0.7);
    expect(plan.checkins.length).toBeLessThan(23 * 210 * 0.9);
    expect(plan.wecom.length).toBeGreaterThan(8 * 195 * 0.7);
    const all = [...plan.checkins, ...plan.actions].map((s) => s.at);
    expect(all.every((at) => at < '2026-11-23T16:00:00.000Z')).toBe(true);
  });

  it('puts hardly anyone in the village over the 国庆 break, and cadres at home more at weekends', () => {
    const break2026 = calendar.daysOff('2026-10')!;
    expect(break2026.length).toBeGreaterThanOrEqual(7);
    const onBreak = [...plannedDays.values()].map((days) => break2026.filter((d) => days.has(d)).length);
    expect(Math.max(...onBreak)).toBeLessThanOrEqual(3);
    expect(onBreak.reduce((a, b) => a + b, 0)).toBeLessThan(roster.data.cadres.length * break2026.length * 0.2);
    const share = (weekend: boolean) => {
      const dates = ['2026-09', '2026-11'].flatMap((m) =>
        Array.from({ length: 20 }, (_, i) => `${m}-${String(i + 1).padStart(2, '0')}`),
      );
      const mine = dates.filter((d) => isWeekend(d) === weekend && !calendar.isDayOff(d));
      const hits = [...plannedDays.values()].reduce((n, days) => n + mine.filter((d) => days.has(d)).length, 0);
      return hits / (mine.length * plannedDays.size);
    };
    expect(share(true)).toBeLessThan(share(false));
  });

  it('plans three cadres behind, one in each township, none of them a team leader or on leave', () => {
    expect(plan.behind).toHaveLength(3);
    const cadres = plan.behind.map((u) => roster.cadres.get(u)!);
    expect(new Set(cadres.map((c) => roster.townshipOf(c).id)).size).toBe(3);
    expect(cadres.some((c) => c.teamLeader)).toBe(false);
    const leaveAskers = new Set(plan.actions.filter((a) => a.text!.startsWith('请假')).map((a) => a.user));
    expect(plan.behind.some((u) => leaveAskers.has(u))).toBe(false);
  });

  it('has one or two different #困难 reports per township, and one sick leave of several days this month', () => {
    const problems = plan.actions.filter((a) => a.text!.includes('#困难'));
    expect(new Set(problems.map((a) => a.text)).size).toBe(problems.length);
    for (const t of roster.data.townships) {
      const here = problems.filter((a) => roster.townshipOf(roster.cadres.get(a.user)!).id === t.id);
      expect(here.length).toBeGreaterThanOrEqual(1);
      expect(here.length).toBeLessThanOrEqual(2);
    }
    const sick = plan.actions.filter((a) => a.text!.startsWith('请假 病假')).map((a) => a.text);
    expect(sick).toContain('请假 病假 11月12日至11月15日 腰椎间盘突出，医嘱卧床休息');
  });
});

describe('seeding through the bot', () => {
  let result: SeedResult | undefined;
  const cadres = roster.data.cadres.map((c) => c.userid);
  /** What the seed sends: the history is not news, only work still waiting today goes out. */
  const outbox = new RecordingOutbox();

  beforeAll(async () => {
    const deps = testDeps(t, { outbox });
    await deps.roster.replace(sampleRosterData());
    result = await ensureSeeded({ deps, registry: createRegistry(), now: NOW, wecomCheckin: wecomInMemory() });
  });

  it('seeds once, with no refused step', async () => {
    expect(result?.problems).toEqual([]);
    expect(await t.redis.exists(t.keys.sandboxSeeded())).toBe(1);
    const again = await ensureSeeded({ deps: testDeps(t), registry: createRegistry(), now: NOW });
    expect(again).toBeUndefined();
  });

  it('gives the cadres a half year of 积分 traced to the seeded records', async () => {
    const deps = testDeps(t);
    const list = await loadPoints(deps, roster, roster.data.cadres, undefined, NOW);
    const events = list.flatMap((p) => p.points.events.map((e) => ({ ...e, userid: p.cadre.userid })));
    const kinds = new Set(events.map((e) => e.ref.kind));
    // Days beyond a month's target, the closed problem and the leaders' visits in the current half year…
    expect([...kinds].sort()).toEqual(['presence', 'problem', 'visit']);
    // …and the newest cadre's 六个一 in the half year of the term's first month.
    const newest = [...roster.data.cadres].sort((a, b) => a.termStart.localeCompare(b.termStart)).at(-1)!;
    const term = { start: newest.termStart, end: newest.termEnd };
    const [first] = await loadPoints(
      deps,
      roster,
      [newest],
      cadreHalfOn(term, newest.termStart, policy.visits.halfYear).name,
      NOW,
    );
    expect(first!.points.events.filter((e) => e.ref.kind === 'six-ones').length).toBe(6);
    expect(list.filter((p) => p.points.events.length > 0).length).toBeGreaterThan(roster.data.cadres.length / 2);
    // 我的积分 of the cadre whose problem was closed shows it, with the half year's other events.
    const closed = events.find((e) => e.ref.kind === 'problem')!;
    const bot = new Bot({ ...deps, clock: new TestClock(NOW) }, createRegistry());
    const reply = await bot.handle({
      id: 'points-1',
      channel: 'app',
      userId: closed.userid,
      chatType: 'single',
      kind: 'text',
      text: '我的积分',
      time: NOW,
    });
    const text = reply.reply?.text ?? '';
    expect(text).toContain(`问题${(closed.ref as { no: string }).no}已办结`);
    expect(text).toContain('明细：');
  });

  it('leaves check-ins of every source in the ledger', async () => {
    const ledger = new CheckinRepo(t.redis, t.keys);
    const records: LedgerRecord[] = [];
    for (const u of cadres)
      for (const m of MONTHS) for (const day of (await ledger.month(u, m)).values()) records.push(...day);
    const bySource = (s: string) => records.filter((r) => r.source === s).length;
    const planned = (s: string) => plan.checkins.filter((c) => c.location!.source === s).length;
    expect(bySource('page')).toBe(planned('page'));
    expect(bySource('message')).toBe(planned('message'));
    // An automatic report outside the village is not recorded; inside ones are.
    expect(bySource('auto')).toBeGreaterThan(0);
    expect(bySource('auto')).toBeLessThanOrEqual(planned('auto'));
    expect(bySource('wecom')).toBe(plan.wecom.length);
    expect(bySource('backfill')).toBe(2);
  });

  it('shows most cadres on track and the planned ones behind, on the ladder’s three rungs', async () => {
    const figures = await loadFigures({ ...testDeps(t), calendar }, roster.data.cadres, {
      now: NOW,
      months: ['2026-11', '2026-10', '2026-09'],
    });
    const status = (u: string, i: number) => figures.get(u)!.months[i]!.status;
    const onTrack = cadres.filter((u) => !plan.behind.includes(u));
    expect(
      onTrack.every((u) => status(u, 0) === 'on-track' && status(u, 1) === 'on-track' && status(u, 2) === 'on-track'),
    ).toBe(true);
    // Behind the whole term, since last month, since this month.
    const [whole, sinceLast, sinceThis] = plan.behind;
    expect([status(whole!, 0), status(whole!, 1), status(whole!, 2)]).toEqual([
      'cannot-reach',
      'cannot-reach',
      'cannot-reach',
    ]);
    expect([status(sinceLast!, 1), status(sinceLast!, 2)]).toEqual(['cannot-reach', 'on-track']);
    for (const u of plan.behind) expect(['at-risk', 'cannot-reach']).toContain(status(u, 0));
    expect(status(sinceThis!, 1)).toBe('on-track');
    // October: 7 days off, target 18; nobody near every day of the month any more.
    const october = onTrack.map((u) => figures.get(u)!.months[1]!);
    expect(october.every((m) => m.target.status === 'set' && m.present >= m.target.target && m.present <= 26)).toBe(
      true,
    );
  });

  it('leaves approved leave, confirmed back-fills, reports, the 六个一 and a read announcement', async () => {
    const leaves = [...(await new LeaveRepo(t.redis, t.keys).ofUsers(cadres)).values()].flat();
    expect(leaves.length).toBe(6);
    expect(leaves.filter((l) => l.type === '病假' && l.days > 3).map((l) => [l.start, l.end, l.days])).toEqual([
      ['2026-11-12', '2026-11-15', 4],
    ]);
    expect(leaves.every((l) => l.status === 'approved' && l.returnedOn !== undefined)).toBe(true);
    const requests = (await Promise.all(cadres.map((u) => new BackfillRepo(t.redis, t.keys).ofUser(u)))).flat();
    const backfills = requests.filter((b) => b.kind !== 'location');
    expect(backfills.map((b) => b.status)).toEqual(['confirmed', 'confirmed']);
    // Locations picked on the map: confirmed each evening, yesterday's still waiting.
    const locations = requests.filter((b) => b.kind === 'location');
    const waiting = locations.filter((b) => b.status === 'pending');
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((b) => b.date === '2026-11-23')).toBe(true);
    expect(locations.filter((b) => b.status === 'confirmed').length).toBeGreaterThan(waiting.length * 10);
    const reports = [...(await new ReportRepo(t.redis, t.keys).ofUsers(cadres)).values()].flat();
    expect(reports.length).toBeGreaterThan(cadres.length * 2);
    expect(reports.filter((r) => r.tags.includes('困难')).length).toBe(
      plan.actions.filter((a) => a.text!.includes('#困难')).length,
    );
    // The newest cadre (WeiSiYuan, last on the roster of equal term starts) did all six in the first month.
    const weiSiYuan = reports.filter((r) => r.userId === 'WeiSiYuan');
    expect(sixOnesOf(roster, roster.cadres.get('WeiSiYuan')!, weiSiYuan, NOW, 30).complete).toBe(true);
    const ann = new AnnounceRepo(t.redis, t.keys);
    const [no] = await ann.recentNumbers(5);
    const state = await ann.readState(no!);
    const acks = result!.plan.actions.filter((a) => a.text === '收到').length;
    expect(Object.keys(state!.reads).length).toBe(acks);
  });

  it('leaves the sending units’ leaders’ visits: one deputy still open this half year, one overdue', async () => {
    const visits = await new VisitRepo(t.redis, t.keys).ofUnits((roster.data.sendingUnits ?? []).map((u) => u.name));
    const all = [...visits.values()].flat();
    expect(all.length).toBe(plan.visits.filter((a) => a.location?.visit).length);
    expect(all.every((v) => v.note && v.source === 'page' && v.distanceM <= 250)).toBe(true);
    const list = obligations(roster, '2026-11-24', policy.visits.halfYear, visits);
    // 县农业农村局's deputy missed the half year that ended on 27 October.
    expect(overdue(list, '2026-11-24').map((o) => [o.unit, o.as, o.userid])).toEqual([
      ['县农业农村局', 'deputy', 'LuoJianHua'],
    ]);
    // This half year: only 县人社局's deputy has not been yet; of the main leaders only 县财政局's has.
    const open = current(list, '2026-11-24').filter((o) => o.visits === 0);
    expect(open.filter((o) => o.as === 'deputy').map((o) => o.userid)).toEqual(['ZhuLiHong']);
    expect(open.filter((o) => o.as === 'mainLeader').map((o) => o.unit)).not.toContain('县财政局');
  });

  it('leaves an open assessment round over the first township, with one 述职 in', async () => {
    const repo = new AssessRepo(t.redis, t.keys);
    const round = await repo.current();
    const first = roster.data.townships[0]!.id;
    expect(round).toMatchObject({ status: 'open' });
    expect(round!.cadres).toEqual(roster.cadresOfTownship(first).map((c) => c.userid));
    const entries = await repo.entries(round!.id);
    expect([...entries.values()].filter((e) => e.summary).map((e) => e.userid)).toEqual([round!.cadres[0]]);
    // Of the whole history only the round's rating cards (and their note) are sent: they still wait to be used.
    expect(outbox.queued.every((m) => /^assess-cards?:/.test(m.key))).toBe(true);
    const supervisor = roster.townshipSupervisors(first)[0]!.userid;
    const cards = outbox.queued.filter((m) => m.key.startsWith(`assess-card:${round!.id}:${supervisor}:`));
    expect(cards.map((m) => m.key.split(':').at(-1))).toEqual(round!.cadres);
    expect(cards.every((m) => m.body.type === 'card' && m.to.kind === 'user')).toBe(true);
  });

  it('leaves a problem ledger: the #困难 reports open, one problem overdue, one closed by a township supervisor', async () => {
    const repo = new ProblemRepo(t.redis, t.keys);
    const all = (await Promise.all(roster.data.villages.map((v) => repo.ofVillage(v.id)))).flat();
    const fromReports = all.filter((p) => p.report);
    expect(fromReports.length).toBe(plan.actions.filter((a) => a.text!.includes('#困难')).length);
    expect(fromReports.every((p) => p.status === 'open')).toBe(true);
    const closed = all.filter((p) => p.status === 'closed');
    expect(closed).toHaveLength(1);
    const closer = closed[0]!.steps.at(-1)!;
    expect(closer.kind).toBe('close');
    expect(roster.townshipSupervisors(closed[0]!.township).map((s) => s.userid)).toContain(closer.by);
    expect(closed[0]!.steps.map((s) => s.kind)).toEqual(['create', 'reply', 'close']);
    const late = all.filter((p) => isOverdue(p, NOW, policy.problems.overdueDays));
    expect(late).toHaveLength(1);
    expect(late[0]!.steps.map((s) => s.kind)).toEqual(['create', 'reply']);
  });
});
