/**
 * Attendance figures of many cadres at once (the attendance command, digests, the county roll-up, the warning
 * ladder). Loading is a fixed number of batched reads whatever the county's size: the assignment histories,
 * then each cadre's bitmaps of the years their figures touch and their leave requests, in pipelines
 * (`readAttendance`); everything after that is the pure accounting, over spans and targets shared between
 * cadres (`FiguresCache`).
 */
import { localDate, monthDates } from '../kit/dates.js';
import type { Policy } from '../policy/policy.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Assignment } from '../roster/assignments.js';
import { readHistories } from '../roster/history.js';
import type { Cadre } from '../roster/schema.js';
import { accountMonth, type AccountingEnv, type MonthFigures } from './accounting.js';
import { accountYear, type YearFigures } from './annual.js';
import { accountYearWords } from './year-words.js';
import { accountMonthWords } from './month-words.js';
import { FiguresCache, termKey } from './cache.js';
import type { CadreAttendance, LeaveSpan } from './days.js';
import { readAttendance, type AttendanceRead, type CadreData } from './bulk-read.js';
import { annualTermAt, monthTerm } from './assigned-terms.js';
import type { TargetCalendar, Term } from './targets.js';

/** What loading needs (`Deps` fits). */
export interface FiguresSource {
  redis: RedisClient;
  keys: Keys;
  policy: Policy;
  calendar: TargetCalendar;
}

/** The cadre fields the figures use. */
export type FiguresCadre = Pick<Cadre, 'userid' | 'termStart' | 'termEnd'>;

/** One cadre's figures: the first month asked for, every month asked for (in order), and the annual period. */
export interface CadreFigures {
  userid: string;
  month: MonthFigures;
  months: MonthFigures[];
  year: YearFigures;
}

export interface FiguresOptions {
  now: Date;
  /** Months `YYYY-MM` to account (default: the month of `now`). */
  months?: string[];
  /** The cadres' assignment histories when the caller read them already (otherwise read here, in one call). */
  histories?: ReadonlyMap<string, readonly Assignment[]>;
}

/** The terms of one cadre's figures: all days in post for the months, the term of the anchor for the year. */
interface CadreTerms {
  month: Term;
  annual: Term;
  anchor: string;
}

/**
 * A cadre's terms from their history; a cadre without one (a store written before histories were kept) has
 * the roster's term, whole.
 */
function termsOf(
  c: FiguresCadre,
  history: readonly Assignment[] | undefined,
  today: string,
  monthEnd: string,
): CadreTerms {
  if (!history?.length) {
    const term = termOf(c);
    return { month: term, annual: term, anchor: yearAnchor(term, today, monthEnd) };
  }
  const at = monthEnd < today ? monthEnd : today;
  const annual = annualTermAt(history, at);
  return { month: monthTerm(history), annual, anchor: yearAnchor(annual, today, monthEnd) };
}

function termOf(c: FiguresCadre): Term {
  return { start: c.termStart, end: c.termEnd };
}

/**
 * The date whose annual period the figures show: today, or the last day of the month asked for when that is
 * earlier (a look back at a month of an earlier term year), kept inside the term so a cadre whose term ended
 * still sees their last term year.
 */
export function yearAnchor(term: Term, today: string, monthEnd: string): string {
  const at = monthEnd < today ? monthEnd : today;
  return at < term.start ? term.start : at > term.end ? term.end : at;
}

/** The years whose bitmaps a cadre's figures read: those of the months and of the annual period. */
function yearsOf(monthYears: readonly number[], period: { start: string; end: string }): number[] {
  const from = Number(period.start.slice(0, 4));
  const to = Number(period.end.slice(0, 4));
  if (from === to && monthYears.length === 1 && monthYears[0] === from) return monthYears as number[];
  const years = new Set(monthYears);
  for (let y = from; y <= to; y++) years.add(y);
  return [...years];
}

/** The annual figures, counted in words (`accountYearWords`) where it can. */
function yearOf(data: CadreAttendance, env: AccountingEnv, at: string): YearFigures {
  return accountYearWords(data, env, at) ?? accountYear(data, env, at);
}

/**
 * Load and account the figures of `cadres` as of `opts.now`: a map userid → figures, in the order given.
 * Cadres may have different terms; each year's bitmaps are read only for the cadres whose figures touch it.
 * Only days in post count (the assignment histories, read first in one call): a month counts the days of
 * every assignment in it, the year those of the term in effect at its anchor.
 */
export async function loadFigures(
  src: FiguresSource,
  cadres: readonly FiguresCadre[],
  opts: FiguresOptions,
): Promise<Map<string, CadreFigures>> {
  return (await loadFiguresAndLeaves(src, cadres, opts)).figures;
}

/**
 * `loadFigures`, handing each cadre's approved leave as read to `withLeave` (for callers that need it too,
 * without keeping every cadre's requests), then their figures and assignment history to `withFigures` (which
 * may add to them). Two batched reads whatever the county's size: the histories (unless given) and, in
 * pipelines, the bitmaps and leave (`readAttendance`). A cadre listed twice is counted twice, the later figures kept
 * in the first place (the callers list each cadre once).
 */
export async function loadFiguresAndLeaves(
  src: FiguresSource,
  cadres: readonly FiguresCadre[],
  opts: FiguresOptions,
  withLeave?: (userid: string, leaves: readonly LeaveSpan[]) => void,
  withFigures?: (figures: CadreFigures, history: readonly Assignment[] | undefined) => void,
): Promise<{ figures: Map<string, CadreFigures> }> {
  const today = localDate(opts.now);
  const months = opts.months?.length ? opts.months : [today.slice(0, 7)];
  // Every month is checked (monthDates throws RangeError on a malformed one) before anything is read.
  const monthEnds = months.map((m) => monthDates(m).at(-1)!);
  const monthYears = [...new Set(months.map((m) => Number(m.slice(0, 4))))];
  const histories =
    opts.histories ??
    (await readHistories(
      src.redis,
      src.keys,
      cadres.map((c) => c.userid),
    ));
  const cache = new FiguresCache(src.calendar, src.policy);
  const distinct = new Map<string, Term>();
  const same = (term: Term): Term => {
    const key = termKey(term);
    const seen = distinct.get(key);
    if (seen) return seen;
    distinct.set(key, term);
    return term;
  };
  // A cadre with one assignment (nearly everyone) has the terms of everyone with the same one: made once.
  const single = new Map<string, CadreTerms>();
  const yearsFor = new Map<CadreTerms, readonly number[]>();
  // Each cadre's read carries their terms and history: counted as it comes back, without a look-up by userid.
  // A cadre listed twice is read and counted twice (the map keeps the first place, with the later figures).
  const reads: (AttendanceRead & { terms: CadreTerms; history: readonly Assignment[] | undefined })[] = [];
  for (const c of cadres) {
    const history = histories.get(c.userid);
    const a = history?.length === 1 ? history[0]! : undefined;
    const key = a && `${a.termStart}/${a.termEnd}/${a.from}/${a.to ?? ''}`;
    let t = key === undefined ? undefined : single.get(key);
    if (!t) {
      const made = termsOf(c, history, today, monthEnds[0]!);
      // One object per distinct term: the shared spans, masks and targets are then found by that object.
      t = { month: same(made.month), annual: same(made.annual), anchor: made.anchor };
      if (key !== undefined) single.set(key, t);
    }
    // The annual target's period (cached per term and anchor) is the annual period of the figures.
    let years = yearsFor.get(t);
    if (!years) yearsFor.set(t, (years = yearsOf(monthYears, cache.annualTarget(t.annual, t.anchor).period)));
    reads.push({ userid: c.userid, years, terms: t, history });
  }
  const env = { now: opts.now, today, policy: src.policy, calendar: src.calendar, cache };
  const out = new Map<string, CadreFigures>();
  const figuresOf = (userid: string, t: CadreTerms, d: CadreData): CadreFigures => {
    const attendance: CadreAttendance = { term: t.month, bits: d.bits, leaves: d.leaves };
    const monthFigures = months.map((m) => accountMonthWords(attendance, m, env) ?? accountMonth(attendance, m, env));
    const annual: CadreAttendance = { term: t.annual, bits: d.bits, leaves: d.leaves };
    return { userid, month: monthFigures[0]!, months: monthFigures, year: yearOf(annual, env, t.anchor) };
  };
  // Counted chunk by chunk as Redis answers, in the order of `cadres`.
  await readAttendance(src.redis, src.keys, reads, ({ userid, terms, history }, d) => {
    withLeave?.(userid, d.leaves);
    const f = figuresOf(userid, terms, d);
    withFigures?.(f, history);
    out.set(userid, f);
  });
  return { figures: out };
}
