/**
 * The sandbox's sample history as a plan: who did what, when, from a seeded random source, so the same roster
 * and "now" give the same history. Pure; `seed.ts` carries the plan out through the real bot.
 *
 * Check-ins cover each cadre's whole term so far, because the annual figures and the warning ladder are made
 * of them (a term with only its last month recorded would put every cadre behind the 250-day pace). Which days
 * a cadre is in the village comes from `presence-plan.ts`: most are on track, up to three fall behind, and
 * official holidays are spent at home. A day in the village has a check-in (the check-in page, a location
 * message, the automatic location report); townships using WeCom 打卡 have 打卡 records instead. The last
 * month also has what people said: two missed days back-filled, leave asked, approved and reported back from
 * (one cadre's sick leave of several days falls in the current month), a few reports each on days in the
 * village with one or two problems (#困难) per township, the 六个一 of the newest cadre, and one announcement
 * from the organisation department that most cadres confirmed. The problem ledger gets, besides the #困难
 * reports, one overdue problem answered by the 领队 and one closed by a township supervisor. Locations picked on the map wait for
 * confirmation under the default policy: their confirmers confirm them every evening of the last month (the
 * first evening all the older ones too) and leave yesterday's waiting, so the sandbox shows both.
 */
import { dayLabel } from '../kit/date-label.js';
import { addDays, eachDate, localDate } from '../kit/dates.js';
import type { CheckinRecord } from '../fakewecom/state.js';
import { resolveChain } from '../leave/chain.js';
import { countDays } from '../leave/count.js';
import type { Policy } from '../policy/policy.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import { confirmersOf, locationConfirmersOf } from '../attendance/backfill.js';
import * as AT from '../../templates/announce.js';
import * as T from '../../templates/sandbox.js';
import * as ST from '../../templates/assess.js';
import { pickLow, presenceDays, presenceProfiles, type DayOffCalendar } from './presence-plan.js';
import type { SeedStep } from './seed-step.js';
import { at, visitSteps } from './visits.js';
import { leaderVisitSteps } from './leader-visits.js';

export type { SeedStep } from './seed-step.js';

/** Days of talk (leave, reports, back-fills, the announcement) before today. */
export const HISTORY_DAYS = 30;
/** Check-ins go back to the term's start, but never more than a year. */
const MAX_CHECKIN_DAYS = 366;

export interface SeedPlan {
  /** The first and last day of the check-ins (the day before "now"). */
  from: string;
  to: string;
  /** The first day of the month of talk. */
  talkFrom: string;
  /** Check-ins: independent between cadres, in time order for each. */
  checkins: SeedStep[];
  /** Everything else, in time order (numbers are handed out in this order). */
  actions: SeedStep[];
  /** Visits of the sending units' leaders (到村调研): `到村 村名 内容`, then the page from the village; in time order. */
  visits: SeedStep[];
  /** WeCom 打卡 records (`checkin/getcheckindata` shape) of the townships that use it. */
  wecom: CheckinRecord[];
  /** The cadres planned to fall behind their monthly target (at most three). */
  behind: string[];
}

/** mulberry32: a small seeded generator, enough for sample data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const md = (date: string) => dayLabel(date);

/** The leave of the sample, handed to every fifth cadre in turn; `current` puts it in the current month. */
const LEAVES: { kind: keyof typeof T.seed.leave; days: number; current?: boolean }[] = [
  { kind: 'personal', days: 1 },
  { kind: 'sick', days: 4, current: true },
  { kind: 'duty', days: 3 },
  { kind: 'personal', days: 1 },
  { kind: 'sick', days: 2 },
  { kind: 'duty', days: 2 },
];

/** The first day of a sick leave meant for the current month: about twelve days ago, never before the 1st. */
function currentMonthStart(today: string): string {
  const first = `${today.slice(0, 7)}-01`;
  const start = addDays(today, -12);
  return start < first ? first : start;
}

/**
 * The plan: check-ins from the terms' start (at most a year) and talk over the `HISTORY_DAYS`, up to
 * yesterday. `calendar` tells the official days off, when cadres are mostly at home.
 */
export function planSeed(
  roster: Roster,
  policy: Policy,
  calendar: DayOffCalendar,
  now: Date,
  seed = 20261118,
): SeedPlan {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const today = localDate(now);
  const days = Array.from({ length: HISTORY_DAYS }, (_, i) => addDays(today, i - HISTORY_DAYS));
  const inTerm = (c: Cadre, d: string) => d >= c.termStart && d <= c.termEnd;
  const cadres = roster.data.cadres;
  const firstStart = cadres.map((c) => c.termStart).sort()[0] ?? days[0]!;
  const from = [firstStart, addDays(today, -MAX_CHECKIN_DAYS)].sort()[1]!;
  const checkinDays = from < today ? eachDate(from, addDays(today, -1)) : [];
  const plan: SeedPlan = {
    from,
    to: addDays(today, -1),
    talkFrom: days[0]!,
    checkins: [],
    actions: [],
    visits: [],
    wecom: [],
    behind: [],
  };
  const wecomTownship = (c: Cadre) => roster.townshipOf(c).usesWecomCheckin;

  // Leave for every fifth cadre, asked the evening before, approved along the chain, reported back from the
  // morning after (销假) unless it is still running.
  const away = new Map<string, Set<string>>();
  cadres.forEach((c, i) => {
    if (i % 5 !== 2) return;
    const n = Math.floor(i / 5);
    const leave = LEAVES[n % LEAVES.length]!;
    const start = leave.current ? currentMonthStart(today) : days[5 + Math.floor(rnd() * 15)]!;
    const end = addDays(start, leave.days - 1);
    const dates = leave.days === 1 ? md(start) : `${md(start)}至${md(end)}`;
    const ask = addDays(start, -1);
    const ref = `leave${i}`;
    // The chain the bot will pick: by the days the policy's rule counts (weekdays stand in for working days).
    const counted = countDays([{ start, end }], {
      rule: policy.leave.countDays,
      calendar: { isDayOff: (d) => calendar.isDayOff(d), officialWorkdays: () => undefined },
    });
    // A leave all on official days off is refused by the bot (nothing to ask for): none is planned.
    if (counted === 0) return;
    const texts = T.seed.leave[leave.kind];
    plan.actions.push({
      at: at(ask, 18 * 60 + i),
      user: c.userid,
      text: texts[Math.floor(n / LEAVES.length) % texts.length]!(dates),
      capture: ref,
    });
    resolveChain(policy, roster, c, counted).steps.forEach((step, k) => {
      plan.actions.push({
        at: at(ask, 19 * 60 + 20 * k + i),
        user: step.approvers[0]!,
        text: T.seed.approve(`{${ref}}`),
      });
    });
    // The reply to 销假 names the request, which proves it was taken.
    if (end < today)
      plan.actions.push({
        at: at(addDays(end, 1), 7 * 60 + 30 + i),
        user: c.userid,
        text: T.seed.back,
        capture: `back${i}`,
      });
    away.set(c.userid, new Set(Array.from({ length: leave.days }, (_, k) => addDays(start, k))));
  });

  // Two missed days back-filled the next morning and confirmed by the first confirmer.
  const backfillers = cadres
    .filter((c, i) => !wecomTownship(c) && !away.has(c.userid) && i % 7 === 3 && confirmersOf(roster, c).length)
    .slice(0, 2);
  backfillers.forEach((c, i) => {
    const day = days[10 + i * 6]!;
    if (!inTerm(c, day)) return;
    const ref = `backfill${i}`;
    plan.actions.push({
      at: at(addDays(day, 1), 10 * 60 + i),
      user: c.userid,
      text: T.seed.backfill[i % 2]!,
      capture: ref,
    });
    plan.actions.push({
      at: at(addDays(day, 1), 11 * 60 + i),
      user: confirmersOf(roster, c)[0]!,
      text: T.seed.confirmBackfill(`{${ref}}`),
    });
    away.set(c.userid, new Set([day]));
  });

  // The newest cadre does the 六个一 and the team leaders lead: neither is the one to fall behind.
  const newest = [...cadres].sort((a, b) => a.termStart.localeCompare(b.termStart)).pop();
  const candidates = cadres.filter((c) => !c.teamLeader && c !== newest && !away.has(c.userid) && inTerm(c, today));
  const behind = pickLow(candidates, (c) => roster.townshipOf(c).id, rnd);
  plan.behind = behind.map((c) => c.userid);
  const monthStarts = {
    current: `${today.slice(0, 7)}-01`,
    last: `${addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7)}-01`,
  };
  const profiles = presenceProfiles(cadres, behind, monthStarts, rnd);

  const inVillage = new Map<string, Set<string>>();
  for (const c of cadres) {
    const mine = checkinDays.filter((d) => inTerm(c, d));
    const visits = presenceDays(
      mine,
      profiles.get(c.userid)!,
      calendar,
      away.get(c.userid) ?? new Set(),
      policy.monthly.minimum,
      rnd,
    );
    inVillage.set(c.userid, new Set(visits.present));
    visitSteps(roster, c, visits, rnd, plan);
  }

  // Self-reported locations confirmed every evening of the last month (the first evening everything older too),
  // yesterday's left waiting; only where the policy asks for confirmation.
  if (policy.checkin.selfReported === 'confirm') {
    const confirmers = new Set(
      cadres
        .filter((c) => !wecomTownship(c))
        .map((c) => locationConfirmersOf(roster, c)[0])
        .filter((u): u is string => u !== undefined),
    );
    const evenings = days.filter((d) => d < addDays(today, -1));
    for (const u of confirmers)
      for (const d of evenings)
        plan.actions.push({ at: at(d, 20 * 60 + 30), user: u, text: T.seed.confirmSelfReports });
  }

  // A few reports each, in the evening of a day in the village.
  const talkDays = (c: Cadre) => days.filter((d) => inVillage.get(c.userid)!.has(d));
  for (const c of cadres) {
    const mine = talkDays(c);
    const reports = mine.length ? 3 + Math.floor(rnd() * 3) : 0;
    for (let k = 0; k < reports; k++) {
      plan.actions.push({
        at: at(pick(mine), 19 * 60 + Math.floor(rnd() * 150)),
        user: c.userid,
        text: pick(T.seed.reports)(2 + Math.floor(rnd() * 5)),
      });
    }
  }
  // One or two problems (#困难) per township, from different cadres, no two alike in the county.
  const problems = [...T.seed.difficulties];
  for (const t of roster.data.townships) {
    const here = cadres.filter((c) => roster.townshipOf(c).id === t.id && talkDays(c).length);
    for (let k = 1 + Math.floor(rnd() * 2); k > 0 && here.length && problems.length; k--) {
      const c = here.splice(Math.floor(rnd() * here.length), 1)[0]!;
      const text = problems.splice(Math.floor(rnd() * problems.length), 1)[0]!;
      plan.actions.push({ at: at(pick(talkDays(c)), 20 * 60 + Math.floor(rnd() * 60)), user: c.userid, text });
    }
  }

  // The problem ledger (民情台账), besides the #困难 reports (open): one problem raised 40 days ago, answered by
  // the 领队 and still open (overdue under the default 30 days), and one raised 20 days ago that a township
  // supervisor answered and closed.
  const ledger = [
    { ago: 40, texts: T.seed.problems.overdue, by: (c: Cadre) => roster.teamLeadersOf(c)[0]?.userid },
    {
      ago: 20,
      texts: T.seed.problems.closed,
      by: (c: Cadre) => roster.townshipSupervisors(roster.townshipOf(c).id)[0]?.userid,
    },
  ];
  const used = new Set<string>();
  ledger.forEach((item, i) => {
    const day = addDays(today, -item.ago);
    const c = cadres.find(
      (x) => !x.teamLeader && !used.has(x.userid) && inTerm(x, day) && inTerm(x, today) && item.by(x),
    );
    if (!c) return;
    used.add(c.userid);
    const ref = `problem${i}`;
    plan.actions.push({ at: at(day, 16 * 60 + i), user: c.userid, text: item.texts.raise, capture: ref });
    item.texts.steps.forEach((step, k) =>
      plan.actions.push({ at: at(addDays(day, 1 + 2 * k), 10 * 60 + i), user: item.by(c)!, text: step(`{${ref}}`) }),
    );
  });

  // 六个一: the newest cadre's first month, as far as it has happened.
  if (newest) {
    const households = roster.villageOf(newest).households ?? 30;
    T.seed.sixOnes.forEach((line, k) => {
      const d = addDays(newest.termStart, 2 + k * 4);
      if (d < today) plan.actions.push({ at: at(d, 20 * 60), user: newest.userid, text: line(households) });
    });
  }

  // One announcement six days ago, confirmed after its preview; about two thirds of the cadres confirm it within a day.
  const org = roster.orgDepartment()[0];
  if (org) {
    const day = days[days.length - 6]!;
    plan.actions.push({ at: at(day, 10 * 60), user: org.userid, text: T.seed.announcement });
    // An announcement goes out only after the sender confirms its preview.
    plan.actions.push({ at: at(day, 10 * 60 + 1), user: org.userid, text: AT.help.confirm.usage });
    for (const c of cadres)
      if (rnd() < 0.7)
        plan.actions.push({ at: at(day, 10 * 60 + 5 + Math.floor(rnd() * 900)), user: c.userid, text: T.seed.ack });
  }

  // An open assessment round (考评) over the first township, opened two days ago; one cadre's 述职 is in. Its
  // rating cards are delivered: they still wait in the sending units' and the township's chats.
  const township = roster.data.townships[0];
  const first = township && roster.cadresOfTownship(township.id)[0];
  if (org && township && first) {
    const day = days[days.length - 2]!;
    plan.actions.push({ at: at(day, 9 * 60), user: org.userid, text: ST.seedRound(township.name), deliver: true });
    plan.actions.push({ at: at(day, 15 * 60), user: first.userid, text: ST.seedSummary });
  }

  // Visits of the sending units' leaders (到村调研): one unit's deputy still open this half year, one overdue.
  plan.visits = leaderVisitSteps(roster, policy, today).sort((a, b) => a.at.localeCompare(b.at));

  plan.actions.sort((a, b) => a.at.localeCompare(b.at));
  plan.checkins.sort((a, b) => a.user.localeCompare(b.user) || a.at.localeCompare(b.at));
  return plan;
}
