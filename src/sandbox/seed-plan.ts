/**
 * The sandbox's sample history as a plan: who did what, when, from a seeded random source, so the same roster
 * and "now" give the same history. Pure; `seed.ts` carries the plan out through the real bot.
 *
 * Check-ins cover each cadre's whole term so far, because the annual figures and the warning ladder are made
 * of them (a term with only its last month recorded would put every cadre behind the 250-day pace). Most
 * cadres check in on most days (the check-in page, a location message, the automatic location report);
 * townships using WeCom 打卡 have 打卡 records instead. The last month also has what people said: two missed
 * days back-filled, leave asked, approved and reported back from, a few reports each, the 六个一 of the newest cadre, and one
 * announcement from the organisation department that most cadres confirmed.
 */
import { addDays, dayjs, eachDate, localDate } from '../core/dates.js';
import type { CheckinRecord } from '../fakewecom/state.js';
import { resolveChain } from '../leave/chain.js';
import type { Policy } from '../policy/policy.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre, Village } from '../roster/schema.js';
import { confirmersOf } from '../attendance/backfill.js';
import * as T from '../../templates/sandbox.js';
import { COUNTY_TOWN } from './places.js';

/** Days of talk (leave, reports, back-fills, the announcement) before today. */
export const HISTORY_DAYS = 30;
/** Check-ins go back to the term's start, but never more than a year. */
const MAX_CHECKIN_DAYS = 366;

export interface SeedStep {
  /** ISO instant. */
  at: string;
  user: string;
  /** A message in the chat with the app; `{name}` is replaced by the number captured under that name. */
  text?: string;
  location?: { lat: number; lng: number; source: 'page' | 'message' | 'auto'; label?: string };
  /** Remember the number (Q…, B…) the reply names, for a later step's `{name}`. */
  capture?: string;
}

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
  /** WeCom 打卡 records (`checkin/getcheckindata` shape) of the townships that use it. */
  wecom: CheckinRecord[];
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

/** An instant `minutes` after midnight of a Shanghai date (UTC+8 all year: no daylight saving there). */
const at = (date: string, minutes: number) => new Date(Date.parse(`${date}T00:00:00+08:00`) + minutes * 60_000).toISOString();
const md = (date: string) => dayjs.utc(date).format('M月D日');

/** A point within about 300 m of the village centre. */
function near(v: Village, rnd: () => number): { lat: number; lng: number } {
  const r = () => (rnd() - 0.5) * 0.005;
  return { lat: Math.round((v.lat + r()) * 1e6) / 1e6, lng: Math.round((v.lng + r()) * 1e6) / 1e6 };
}

/** The plan: check-ins from the terms' start (at most a year) and talk over the `HISTORY_DAYS`, up to yesterday. */
export function planSeed(roster: Roster, policy: Policy, now: Date, seed = 20261118): SeedPlan {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const today = localDate(now);
  const days = Array.from({ length: HISTORY_DAYS }, (_, i) => addDays(today, i - HISTORY_DAYS));
  const inTerm = (c: Cadre, d: string) => d >= c.termStart && d <= c.termEnd;
  const cadres = roster.data.cadres;
  const firstStart = cadres.map((c) => c.termStart).sort()[0] ?? days[0]!;
  const from = [firstStart, addDays(today, -MAX_CHECKIN_DAYS)].sort()[1]!;
  const checkinDays = from < today ? eachDate(from, addDays(today, -1)) : [];
  const plan: SeedPlan = { from, to: addDays(today, -1), talkFrom: days[0]!, checkins: [], actions: [], wecom: [] };
  const wecomTownship = (c: Cadre) => roster.townshipOf(c).usesWecomCheckin;

  // Leave for every fifth cadre: a day of 事假, two days of 病假, three days of 公差 in turn.
  const away = new Map<string, Set<string>>();
  cadres.forEach((c, i) => {
    if (i % 5 !== 2) return;
    const kind = Math.floor(i / 5) % 3;
    const length = kind + 1;
    const start = days[5 + Math.floor(rnd() * 15)]!;
    const end = addDays(start, length - 1);
    const dates = length === 1 ? md(start) : `${md(start)}至${md(end)}`;
    const ask = addDays(start, -1);
    const ref = `leave${i}`;
    plan.actions.push({ at: at(ask, 18 * 60 + i), user: c.userid, text: T.seed.leave[kind]!(dates), capture: ref });
    resolveChain(policy, roster, c, length).steps.forEach((step, n) => {
      plan.actions.push({ at: at(ask, 19 * 60 + 20 * n + i), user: step.approvers[0]!, text: T.seed.approve(`{${ref}}`) });
    });
    // Back the morning after, as the rules ask (销假); the reply names the request, which proves it was taken.
    plan.actions.push({ at: at(addDays(end, 1), 7 * 60 + 30 + i), user: c.userid, text: T.seed.back, capture: `back${i}` });
    away.set(c.userid, new Set(Array.from({ length }, (_, k) => addDays(start, k))));
  });

  // Two missed days back-filled the next morning and confirmed by the first confirmer.
  const backfillers = cadres.filter((c, i) => !wecomTownship(c) && !away.has(c.userid) && i % 7 === 3 && confirmersOf(roster, c).length).slice(0, 2);
  backfillers.forEach((c, i) => {
    const day = days[10 + i * 6]!;
    if (!inTerm(c, day)) return;
    const ref = `backfill${i}`;
    plan.actions.push({ at: at(addDays(day, 1), 10 * 60 + i), user: c.userid, text: T.seed.backfill[i % 2]!, capture: ref });
    plan.actions.push({ at: at(addDays(day, 1), 11 * 60 + i), user: confirmersOf(roster, c)[0]!, text: T.seed.confirmBackfill(`{${ref}}`) });
    away.set(c.userid, new Set([day]));
  });

  for (const c of cadres) {
    const village = roster.villageOf(c);
    for (const d of checkinDays) {
      if (!inTerm(c, d) || away.get(c.userid)?.has(d) || rnd() < 0.12) continue;
      const minutes = 7 * 60 + 40 + Math.floor(rnd() * 110);
      const outside = rnd() < 0.03;
      const point = outside ? COUNTY_TOWN : near(village, rnd);
      if (wecomTownship(c)) {
        plan.wecom.push({
          userid: c.userid,
          checkin_type: '上班打卡',
          checkin_time: Math.floor(Date.parse(at(d, minutes)) / 1000),
          exception_type: outside ? '地点异常' : '',
          groupname: roster.townshipOf(c).name,
          location_title: outside ? '' : T.seed.wecomCheckinPlace(village.name),
          lat: Math.round(point.lat * 1e6),
          lng: Math.round(point.lng * 1e6),
        });
        continue;
      }
      const r = rnd();
      const source = r < 0.65 ? 'page' : r < 0.85 ? 'message' : 'auto';
      const label = source === 'message' ? T.seed.wecomCheckinPlace(village.name) : undefined;
      plan.checkins.push({ at: at(d, minutes), user: c.userid, location: { ...point, source, ...(label ? { label } : {}) } });
    }
    // A few reports in the evenings.
    const reports = 3 + Math.floor(rnd() * 3);
    for (let k = 0; k < reports; k++) {
      const d = pick(days);
      if (!inTerm(c, d)) continue;
      plan.actions.push({ at: at(d, 19 * 60 + Math.floor(rnd() * 150)), user: c.userid, text: pick(T.seed.reports)(2 + Math.floor(rnd() * 5)) });
    }
  }

  // 六个一: the newest cadre's first month, as far as it has happened.
  const newest = [...cadres].sort((a, b) => a.termStart.localeCompare(b.termStart)).pop();
  if (newest) {
    const households = roster.villageOf(newest).households ?? 30;
    T.seed.sixOnes.forEach((line, k) => {
      const d = addDays(newest.termStart, 2 + k * 4);
      if (d < today) plan.actions.push({ at: at(d, 20 * 60), user: newest.userid, text: line(households) });
    });
  }

  // One announcement six days ago; about two thirds of the cadres confirm it within a day.
  const org = roster.orgDepartment()[0];
  if (org) {
    const day = days[days.length - 6]!;
    plan.actions.push({ at: at(day, 10 * 60), user: org.userid, text: T.seed.announcement });
    for (const c of cadres) if (rnd() < 0.7) plan.actions.push({ at: at(day, 10 * 60 + 5 + Math.floor(rnd() * 900)), user: c.userid, text: T.seed.ack });
  }

  plan.actions.sort((a, b) => a.at.localeCompare(b.at));
  plan.checkins.sort((a, b) => a.user.localeCompare(b.user) || a.at.localeCompare(b.at));
  return plan;
}
