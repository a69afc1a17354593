/**
 * Figures of a whole county for the monthly sheet and the roll-up: the attendance figures of every cadre
 * (`loadFigures`, one batch) plus, per cadre, the approved leave of each day with its type and class. The day
 * marks of the figures say 假 for any leave; the sheet shades leave that counts as present and the roll-up
 * leaves excused days out of its rate, so both need the class of the day.
 */
import {
  loadFiguresAndLeaves,
  type CadreFigures,
  type FiguresCadre,
  type FiguresOptions,
  type FiguresSource,
} from './figures.js';
import { leaveClassOf, spanOfLeave, type LeaveSpan } from './days.js';
import { eachDate, localMonth, monthDates } from '../kit/dates.js';
import type { LeaveClass } from '../leave/workflow.js';
import type { Policy } from '../policy/policy.js';
import { periodsDuring, type Assignment } from '../roster/assignments.js';
import { readHistories } from '../roster/history.js';
import { readAllHistories } from './bulk-read.js';

/** The approved leave covering one day: its type (病假, 公差, …) and the class it counts in. */
export interface DayLeave {
  type: string;
  class: LeaveClass;
}

/**
 * A cadre's figures with the leave of each day of the months asked for (date → leave), and the assignments
 * counting in those months (in order; empty for a cadre without a history, who is where the roster says).
 */
export interface SheetFigures extends CadreFigures {
  leave: ReadonlyMap<string, DayLeave>;
  periods?: readonly Assignment[];
}

// As in the accounting: when two approved leaves overlap, the day takes the kindest class.
const RANK: Record<LeaveClass, number> = { present: 3, excused: 2, absent: 1 };

/**
 * The approved leave of each date from `start` to `end` (both included), from a cadre's requests: the actual
 * days after 销假, the class the policy gives the type today (as the figures count it).
 */
export function leaveByDay(
  leaves: readonly LeaveSpan[],
  policy: Policy,
  start: string,
  end: string,
): Map<string, DayLeave> {
  const out = new Map<string, DayLeave>();
  for (const r of leaves) {
    const days = spanOfLeave(r);
    if (!days || days.start > end || days.end < start) continue;
    const cls = leaveClassOf(policy, r);
    // Walk the overlap only; a 158-day maternity leave touches a month in at most 31 dates.
    for (const date of eachDate(days.start < start ? start : days.start, days.end > end ? end : days.end)) {
      const seen = out.get(date);
      if (!seen || RANK[cls] > RANK[seen.class]) out.set(date, { type: r.type, class: cls });
    }
  }
  return out;
}

/** What to load: as `loadFigures`, and whether only the cadres asked for (no past cadres of the months). */
export interface MonthFiguresOptions extends FiguresOptions {
  onlyListed?: boolean;
}

/**
 * Load the figures of `cadres` for `opts.months` (default: the month of `opts.now`) and the leave of each
 * day of those months, for `cadres` and for every other cadre assigned during those months (replaced,
 * recalled, moved away: past cadres are in the figures of the months they served). A few batched reads
 * whatever the county's size: the assignment histories and the figures' own batch, which brings the leave
 * requests too.
 */
export async function loadMonthFigures(
  src: FiguresSource,
  cadres: readonly FiguresCadre[],
  opts: MonthFiguresOptions,
): Promise<Map<string, SheetFigures>> {
  const months = opts.months?.length ? opts.months : [localMonth(opts.now)];
  const dates = months.flatMap((m) => monthDates(m)).sort();
  const [first, last] = [dates[0]!, dates.at(-1)!];
  const only = opts.onlyListed === true;
  // One person's figures (我的考勤) read their own history only; a sheet reads everyone's to find past cadres.
  const histories = only
    ? await readHistories(
        src.redis,
        src.keys,
        cadres.map((c) => c.userid),
      )
    : await readAllHistories(src.redis, src.keys);
  const all = [...cadres];
  const listed = new Set(cadres.map((c) => c.userid));
  // Past cadres after the listed ones, by userid: a hash has no order, and the sheet's must not change by chance.
  for (const userid of only ? [] : [...histories.keys()].filter((id) => !listed.has(id)).sort()) {
    const served = periodsDuring(histories.get(userid)!, first, last).at(-1);
    if (served) all.push({ userid, termStart: served.termStart, termEnd: served.termEnd });
  }
  // The leave requests come with the figures' own read, one pass over the county's data; the leave of each
  // day is taken as each cadre's requests go by. The figures' days are the whole months: `first` to `last`.
  // Each cadre's figures get their leave and periods added in place (a county's worth of copies is not free).
  let leave: ReadonlyMap<string, DayLeave> = NO_LEAVE;
  const { figures } = await loadFiguresAndLeaves(
    src,
    all,
    { ...opts, histories },
    (_userid, leaves) => {
      leave = leaveOfDays(leaves, src.policy, first, last);
    },
    (f, history) => {
      const sheet = f as SheetFigures & { leave: ReadonlyMap<string, DayLeave>; periods: readonly Assignment[] };
      sheet.leave = leave;
      sheet.periods = periodsOf(history, first, last);
    },
  );
  return figures as Map<string, SheetFigures>;
}

/**
 * The leave of each day from `first` to `last` as `leaveByDay` gives it, made once per list of leave (the
 * bulk read hands out the same frozen list while a cadre's approved leave is unchanged) for the same policy
 * and days; the map is shared and never changed.
 */
function leaveOfDays(
  leaves: readonly LeaveSpan[],
  policy: Policy,
  first: string,
  last: string,
): ReadonlyMap<string, DayLeave> {
  if (!leaves.length) return NO_LEAVE;
  const seen = dayLeaves.get(leaves);
  if (seen && seen.policy === policy && seen.first === first && seen.last === last) return seen.leave;
  const leave = touches(leaves, first, last) ? leaveByDay(leaves, policy, first, last) : NO_LEAVE;
  if (Object.isFrozen(leaves)) dayLeaves.set(leaves, { policy, first, last, leave });
  return leave;
}

const dayLeaves = new WeakMap<
  readonly LeaveSpan[],
  { policy: Policy; first: string; last: string; leave: ReadonlyMap<string, DayLeave> }
>();

/** No leave on any day: shared by the cadres without any (nothing changes a figures' leave). */
const NO_LEAVE: ReadonlyMap<string, DayLeave> = new Map();
const NO_PERIODS: readonly Assignment[] = [];

/** `periodsDuring`, with the history itself when all of it counts (one assignment, nearly everyone). */
function periodsOf(history: readonly Assignment[] | undefined, first: string, last: string): readonly Assignment[] {
  if (!history?.length) return NO_PERIODS;
  if (history.length === 1) return counts(history[0]!, first, last) ? history : NO_PERIODS;
  return history.every((a) => counts(a, first, last)) ? history : periodsDuring(history, first, last);
}

/** Whether an assignment counts on a day from `first` to `last` (as `periodsDuring` keeps it). */
function counts(a: Assignment, first: string, last: string): boolean {
  // activeSpan's days, without making them.
  const start = a.from > a.termStart ? a.from : a.termStart;
  const to = a.to ?? a.termEnd;
  const end = to < a.termEnd ? to : a.termEnd;
  return start <= end && start <= last && end >= first;
}

/** Whether an approved leave of `leaves` covers a day from `first` to `last`. */
function touches(leaves: readonly LeaveSpan[], first: string, last: string): boolean {
  for (const r of leaves) {
    const days = spanOfLeave(r);
    if (days && days.start <= last && days.end >= first) return true;
  }
  return false;
}

/** The previous month of `YYYY-MM`. */
export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

// The first and last dates of the months asked about, for a county of cadres asking about the same few.
const bounds = new Map<string, readonly [string, string]>();

/** Whether a cadre's term has at least one day in `month`. */
export function inTermDuring(c: FiguresCadre, month: string): boolean {
  let b = bounds.get(month);
  if (!b) {
    const dates = monthDates(month);
    b = [dates[0]!, dates.at(-1)!];
    if (bounds.size > 1000) bounds.clear();
    bounds.set(month, b);
  }
  return c.termStart <= b[1] && c.termEnd >= b[0];
}
