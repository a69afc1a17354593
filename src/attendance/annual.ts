/**
 * Annual accounting and forecast, pure: presence over the annual period (the term year by default), the annual
 * target, the pace line (where the cadre should be today) and the date from which, at the cadre's rate so far,
 * the target can no longer be reached.
 *
 * The annual target does not depend on holidays (250 of 365 days already leaves room for weekends and holidays),
 * so days off stay open days here: a day in the village on a holiday counts. Leave that keeps the cadre away
 * (excused or absent) is not open; excused leave (病假, 产假 …) also lowers the target, and its days are left
 * out of the pace and the rate, as if they were outside the term.
 */
import {
  forecastStatus,
  resolveEnv,
  tally,
  type AccountingEnv,
  type ForecastStatus,
  type PresenceCount,
} from './accounting.js';
import { dayFacts, isOpen, isPresence, type CadreAttendance } from './days.js';
import { annualTarget, type AnnualTarget } from './targets.js';

export interface YearFigures extends PresenceCount {
  today: string;
  target: AnnualTarget;
  /** Term days of the period already behind (before today, and today once it counts), excused leave left out. */
  elapsed: number;
  /** Where the cadre should be today: the target spread evenly over the term days of the period not excused. */
  pace: number;
  /** Days still open in the period (holidays included, leave away excluded). */
  remaining: number;
  needed: number;
  status: Exclude<ForecastStatus, 'pending'>;
  /** First day from which, at the rate so far, the target can no longer be reached; null when it can. */
  shortfallDate: string | null;
  /** Years of the period without holiday data: their monthly targets are pending (待定). */
  uncoveredYears: number[];
}

/**
 * The first open day on whose morning the target is out of reach if the cadre keeps the rate so far
 * (presence days per elapsed term day): the days still needed then exceed the days still open. Today when it
 * already is; null when the rate reaches the target or there is no rate yet.
 */
export function projectShortfall(
  open: readonly string[],
  today: string,
  present: number,
  elapsed: number,
  target: number,
): string | null {
  const needed = target - present;
  if (needed <= 0) return null;
  if (needed > open.length) return today;
  if (elapsed <= 0) return null;
  // After i more open days the projection is present + i × present / elapsed; compare in whole numbers.
  for (let i = 0; i < open.length; i++) {
    if (needed * elapsed - present * i > (open.length - i) * elapsed) return open[i]!;
  }
  return null;
}

/**
 * A cadre's figures for the annual period containing `at` (default today), as of `env.now`. The policy's
 * `annual.period` picks the term year or the calendar year; `warnings.remind.neededShare` sets "at risk".
 * Approved excused leave in the period (planned days included, as they are approved) lowers the target.
 */
export function accountYear(data: CadreAttendance, env: AccountingEnv, at?: string): YearFigures {
  const { today, cache } = resolveEnv(env);
  const anchor = at ?? today;
  // The cache holds the target of cadres without excused leave (nearly everyone); it also gives the period.
  const plain = cache.annualTarget(data.term, anchor);
  const facts = dayFacts(cache.span(plain.period.start, plain.period.end), data, env.policy);
  const excusedDates = facts.filter((f) => f.inTerm && f.leave === 'excused').map((f) => f.date);
  const target = excusedDates.length
    ? annualTarget({ term: data.term, at: anchor, excusedDates, calendar: cache.calendar, policy: env.policy })
    : plain;
  const counts = tally(facts, today, false);
  const elapsed = facts.filter(
    (f) => f.inTerm && f.leave !== 'excused' && (f.date < today || (f.date === today && isPresence(f, today))),
  ).length;
  const dueDays = target.termDays - target.excusedDays;
  const pace = dueDays > 0 ? Math.round((target.target * elapsed) / dueDays) : 0;
  const needed = Math.max(0, target.target - counts.present);
  const open = facts.filter((f) => isOpen(f, today, false)).map((f) => f.date);
  return {
    today,
    ...counts,
    target,
    elapsed,
    pace,
    needed,
    status: forecastStatus(needed, counts.remaining, env.policy.warnings.remind.neededShare),
    shortfallDate: projectShortfall(open, today, counts.present, elapsed, target.target),
    uncoveredYears: target.uncoveredYears,
  };
}
