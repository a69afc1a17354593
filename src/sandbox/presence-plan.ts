/**
 * Which days each sample cadre spends in the village, so that the sandbox's figures look like a real county's:
 * most cadres in on 76–90% of the days they are expected (inside the term, not an official day off, not on
 * leave), a few well below that so the digests' 需关注 list and the warning ladder have someone to name, and
 * hardly anyone in the village during a State Council holiday break. Pure and seeded: the same input gives the
 * same days.
 *
 * The number of days in a month is fixed from the cadre's rate and only the choice of days is random, so a
 * cadre meant to be on track is on track every month (a month of pure chance would put one in four of them
 * below the 22-day target now and then), and one meant to fall short does.
 */
import { daysInMonth, isWeekend } from '../kit/dates.js';
import type { Cadre } from '../roster/schema.js';

/** What the plan needs of the holiday calendar (`HolidayCalendar` fits); undefined (a year without data) is a working day. */
export interface DayOffCalendar {
  isDayOff(date: string): boolean | undefined;
}

/** How often a cadre is in the village: `rate` of the expected days, or `slip.rate` from `slip.from` on. */
export interface PresenceProfile {
  rate: number;
  slip?: { from: string; rate: number };
}

/** A cadre's days: in the village, and away but checked in from elsewhere (recorded, never counted). */
export interface PresenceDays {
  present: string[];
  elsewhere: string[];
}

/** Chance that a cadre is in the village on a day of a holiday break all the same (on duty, or staying on). */
const HOLIDAY_PRESENCE = 0.08;
/** Weekends are when cadres most often go home: a weekend day is this much less likely to be chosen. */
const WEEKEND_WEIGHT = 0.35;
/** Share of away working days on which the cadre checks in from the county town anyway. */
const ELSEWHERE = 0.06;
/** A rate below this plans a month short of the target; at or above it, a month that reaches it. */
const ON_TRACK = 0.7;

/**
 * Profiles for every cadre: `low` (at most three, from different townships where possible) get 55–65%, the
 * rest 76–90%. The low ones differ in when they fell behind, so every rung of the ladder shows: behind the
 * whole term (two short months in a row: 警示), since last month (one short month: 整改) and since this month
 * (提醒 only). `monthStarts` are the first days of last month and this month.
 */
export function presenceProfiles(
  cadres: readonly Cadre[],
  low: readonly Cadre[],
  monthStarts: { last: string; current: string },
  rnd: () => number,
): Map<string, PresenceProfile> {
  const out = new Map<string, PresenceProfile>();
  for (const c of cadres) out.set(c.userid, { rate: 0.76 + rnd() * 0.14 });
  low.slice(0, 3).forEach((c, i) => {
    const rate = 0.55 + rnd() * 0.1;
    const good = out.get(c.userid)!.rate;
    out.set(
      c.userid,
      i === 0 ? { rate } : { rate: good, slip: { from: i === 1 ? monthStarts.last : monthStarts.current, rate } },
    );
  });
  return out;
}

/**
 * The cadres to plan short of presence: one per township in turn, chosen at random among `candidates`, until
 * three (or the candidates run out).
 */
export function pickLow(candidates: readonly Cadre[], townshipOf: (c: Cadre) => string, rnd: () => number): Cadre[] {
  const byTownship = new Map<string, Cadre[]>();
  for (const c of candidates) byTownship.set(townshipOf(c), [...(byTownship.get(townshipOf(c)) ?? []), c]);
  const out: Cadre[] = [];
  for (let round = 0; out.length < 3 && round < candidates.length; round++) {
    for (const list of byTownship.values()) {
      if (out.length === 3 || !list.length) continue;
      out.push(list.splice(Math.floor(rnd() * list.length), 1)[0]!);
    }
  }
  return out;
}

/**
 * The days of `dates` (one cadre's days of the term up to yesterday) spent in the village. `away` are days on
 * leave or back-filled, which need no check-in. Month by month, the expected days get `rate` of presence,
 * rounded up for a cadre on track and never below the policy's prorated minimum (`monthlyMinimum` days of a
 * full month) plus one; weekends are the likelier days to be away.
 */
export function presenceDays(
  dates: readonly string[],
  profile: PresenceProfile,
  calendar: DayOffCalendar,
  away: ReadonlySet<string>,
  monthlyMinimum: number,
  rnd: () => number,
): PresenceDays {
  const byMonth = new Map<string, string[]>();
  for (const d of dates) byMonth.set(d.slice(0, 7), [...(byMonth.get(d.slice(0, 7)) ?? []), d]);
  const present: string[] = [];
  const elsewhere: string[] = [];
  for (const [month, days] of byMonth) {
    const expected = days.filter((d) => !away.has(d) && calendar.isDayOff(d) !== true);
    const off = days.filter((d) => !away.has(d) && calendar.isDayOff(d) === true);
    const rate = profile.slip && month >= profile.slip.from.slice(0, 7) ? profile.slip.rate : profile.rate;
    const minimum = Math.ceil((monthlyMinimum * expected.length) / daysInMonth(month)) + 1;
    const count =
      rate < ON_TRACK
        ? Math.round(rate * expected.length)
        : Math.min(expected.length, Math.max(Math.ceil(rate * expected.length), minimum));
    // Weighted choice without replacement: each day's key is an exponential draw scaled by its weight.
    const keyed = expected.map((d) => ({ d, key: -Math.log(1 - rnd()) / (isWeekend(d) ? WEEKEND_WEIGHT : 1) }));
    keyed.sort((a, b) => a.key - b.key);
    const chosen = new Set(keyed.slice(0, count).map((k) => k.d));
    for (const d of expected) {
      if (chosen.has(d)) present.push(d);
      else if (!isWeekend(d) && rnd() < ELSEWHERE) elsewhere.push(d);
    }
    for (const d of off) if (rnd() < HOLIDAY_PRESENCE) present.push(d);
  }
  return { present: present.sort(), elsewhere: elsewhere.sort() };
}
