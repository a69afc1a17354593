/**
 * Annual accounting and forecast, pure: presence over the annual period (the term year by default), the annual
 * target, the pace line (where the cadre should be today) and the date from which, at the cadre's rate so far,
 * the target can no longer be reached.
 *
 * The annual target does not depend on holidays (250 of 365 days already leaves room for weekends and holidays),
 * so days off stay open days here: a day in the village on a holiday counts. Leave that keeps the cadre away
 * (excused or absent) is not open.
 */
import { forecastStatus, resolveEnv, tally, type AccountingEnv, type ForecastStatus, type PresenceCount } from './accounting.js';
import { dayFacts, isOpen, isPresence, type CadreAttendance } from './days.js';
import type { AnnualTarget } from './targets.js';

export interface YearFigures extends PresenceCount {
  today: string;
  target: AnnualTarget;
  /** Term days of the period already behind: before today, and today once it counts. */
  elapsed: number;
  /** Where the cadre should be today: the target spread evenly over the term days of the period. */
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
export function projectShortfall(open: readonly string[], today: string, present: number, elapsed: number, target: number): string | null {
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
 */
export function accountYear(data: CadreAttendance, env: AccountingEnv, at?: string): YearFigures {
  const { today, cache } = resolveEnv(env);
  const target = cache.annualTarget(data.term, at ?? today);
  const facts = dayFacts(cache.span(target.period.start, target.period.end), data, env.policy);
  const counts = tally(facts, today, false);
  const elapsed = facts.filter((f) => f.inTerm && (f.date < today || (f.date === today && isPresence(f, today)))).length;
  const pace = target.termDays ? Math.round((target.target * elapsed) / target.termDays) : 0;
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
