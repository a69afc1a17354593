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
  tallyFlags,
  type AccountingEnv,
  type ForecastStatus,
  type PresenceCount,
} from './accounting.js';
import { EXCUSED_LEAVE, PRESENT_LEAVE, datesBefore, dayFlags, type CadreAttendance } from './days.js';
import type { AnnualTarget } from './targets.js';

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
 * Which open day (0-based, of `openDays`) is the first on whose morning the target is out of reach at the
 * rate so far; -1 for today (already out of reach), undefined when it can be reached or there is no rate yet.
 */
export function shortfallIndex(openDays: number, present: number, elapsed: number, target: number): number | undefined {
  const needed = target - present;
  if (needed <= 0) return undefined;
  if (needed > openDays) return -1;
  if (elapsed <= 0) return undefined;
  // After i more open days the projection is present + i × present / elapsed; compare in whole numbers.
  for (let i = 0; i < openDays; i++) {
    if (needed * elapsed - present * i > (openDays - i) * elapsed) return i;
  }
  return undefined;
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
  const i = shortfallIndex(open.length, present, elapsed, target);
  return i === undefined ? null : i < 0 ? today : open[i]!;
}

// Indexes of a cadre's open days, reused from one cadre to the next.
let openScratch = new Int32Array(400);

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
  const span = cache.compiledSpan(plain.period.start, plain.period.end);
  const f = dayFlags(span, data, env.policy, cache.termMask(span, data.term));
  const { inTerm, leave } = f;
  const excusedDates: string[] = [];
  if (f.anyLeave) {
    for (let i = 0; i < f.n; i++) if (inTerm[i] && leave[i] === EXCUSED_LEAVE) excusedDates.push(span.dates[i]!);
  }
  // The dates are distinct, in the period and in the term: the cache shares the target by their number.
  const target = cache.annualTargetExcused(data.term, anchor, excusedDates);
  const lt = datesBefore(span.dates, today, true);
  const le = datesBefore(span.dates, today, false);
  if (openScratch.length < f.n) openScratch = new Int32Array(f.n);
  const counts = tallyFlags(span, f, lt, le, false, openScratch);
  let elapsed = 0;
  for (let i = 0; i < f.n && i < le; i++) {
    if (!inTerm[i] || leave[i] === EXCUSED_LEAVE) continue;
    if (i < lt || f.checked[i] || leave[i] === PRESENT_LEAVE) elapsed += 1;
  }
  const dueDays = target.termDays - target.excusedDays;
  const pace = dueDays > 0 ? Math.round((target.target * elapsed) / dueDays) : 0;
  const needed = Math.max(0, target.target - counts.present);
  const short = shortfallIndex(counts.remaining, counts.present, elapsed, target.target);
  return {
    today,
    ...counts,
    target,
    elapsed,
    pace,
    needed,
    status: forecastStatus(needed, counts.remaining, env.policy.warnings.remind.neededShare),
    shortfallDate: short === undefined ? null : short < 0 ? today : span.dates[openScratch[short]!]!,
    uncoveredYears: target.uncoveredYears,
  };
}
