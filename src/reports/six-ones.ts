/**
 * The 六个一 checklist of a cadre's first month, computed from tagged reports. Pure: the weekly digest and the
 * `六个一` command both call `sixOnesProgress` with reports they have read and the clock's "now".
 *
 * The "first month" is the first `reports.firstMonthDays` (default 30) calendar days of the term, `termStart`
 * included (a calendar month would give 28 to 31 days depending on the start date; a fixed count gives every
 * cadre the same time; see docs/rules.md). Reports count when they
 * were filed on or before the last of those days, so a visit reported on the first evening counts and one
 * filed after the month does not change the first month's result.
 */
import { addDays, daysBetween, localDate } from '../kit/dates.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import type { Report, ReportTag } from './report.js';

/** The six items in the order the rule lists them, with the tag that reports each. */
export const SIX_ONES = [
  { item: 'visit', tag: '走访' },
  { item: 'lecture', tag: '党课' },
  { item: 'practical', tag: '实事' },
  { item: 'talk', tag: '村民说事' },
  { item: 'plan', tag: '计划' },
  { item: 'pledge', tag: '承诺' },
] as const satisfies readonly { item: string; tag: ReportTag }[];

export type SixOnesItem = (typeof SIX_ONES)[number]['item'];

export interface SixOnesItemProgress {
  item: SixOnesItem;
  tag: ReportTag;
  done: boolean;
  /** Numbers of the reports that count for this item, oldest first. */
  reports: string[];
}

export interface SixOnesProgress {
  /** First and last day of the first month (`YYYY-MM-DD`, inclusive). */
  start: string;
  end: string;
  phase: 'before' | 'during' | 'after';
  /** Days left in the first month, today included (0 once it is over; all of them before it starts). */
  daysLeft: number;
  items: SixOnesItemProgress[];
  /** Households visited per `#走访` reports, against the village's households when the roster gives them. */
  households: { visited: number; target?: number };
  doneCount: number;
  complete: boolean;
}

export type ReportFacts = Pick<Report, 'no' | 'tags' | 'households' | 'createdAt'>;

/**
 * Progress of the 六个一 from a cadre's reports. `households` is the village's household count from the roster;
 * with it, the visit item is done once the visited households reach it; without it, one visit report is taken
 * as done (the roster cannot say how many households there are) and the figure is shown without a total.
 */
export function sixOnesProgress(
  reports: readonly ReportFacts[],
  plan: { termStart: string; households?: number; firstMonthDays: number },
  now: Date,
): SixOnesProgress {
  const start = plan.termStart;
  const days = plan.firstMonthDays;
  const end = addDays(start, days - 1);
  const today = localDate(now);
  const phase = today < start ? 'before' : today > end ? 'after' : 'during';
  const daysLeft = phase === 'before' ? days : phase === 'after' ? 0 : daysBetween(today, end) + 1;

  const counted = reports
    .filter((r) => localDate(new Date(r.createdAt)) <= end)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const visited = counted.filter((r) => r.tags.includes('走访')).reduce((sum, r) => sum + r.households, 0);
  const items = SIX_ONES.map(({ item, tag }) => {
    const nos = counted.filter((r) => r.tags.includes(tag)).map((r) => r.no);
    const done = item === 'visit' && plan.households ? visited >= plan.households : nos.length > 0;
    return { item, tag, done, reports: nos };
  });
  const doneCount = items.filter((i) => i.done).length;
  return {
    start,
    end,
    phase,
    daysLeft,
    items,
    households: { visited, ...(plan.households ? { target: plan.households } : {}) },
    doneCount,
    complete: doneCount === items.length,
  };
}

/** `sixOnesProgress` for a cadre on the roster: term start and household count come from the roster. */
export function sixOnesOf(
  roster: Roster,
  cadre: Cadre,
  reports: readonly ReportFacts[],
  now: Date,
  firstMonthDays: number,
): SixOnesProgress {
  const plan = { termStart: cadre.termStart, households: roster.villageOf(cadre).households, firstMonthDays };
  return sixOnesProgress(reports, plan, now);
}
