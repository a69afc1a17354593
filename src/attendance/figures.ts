/**
 * Attendance figures of many cadres at once (the attendance command, digests, the county roll-up, the warning
 * ladder). Loading is a fixed number of batched calls whatever the county's size: one `yearBits` per year the
 * figures touch and one `LeaveRepo.ofUsers`; everything after that is the pure accounting.
 */
import { localDate, monthDates } from '../kit/dates.js';
import { LeaveRepo } from '../leave/repo.js';
import type { Policy } from '../policy/policy.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Assignment } from '../roster/assignments.js';
import { readHistories } from '../roster/history.js';
import type { Cadre } from '../roster/schema.js';
import { accountMonth, type MonthFigures } from './accounting.js';
import { accountYear, type YearFigures } from './annual.js';
import { FiguresCache } from './cache.js';
import type { CadreAttendance } from './days.js';
import { CheckinRepo, type YearBits } from './ledger.js';
import { annualTermAt, monthTerm } from './assigned-terms.js';
import { annualPeriod, type TargetCalendar, type Term } from './targets.js';

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
function yearsOf(term: Term, months: readonly string[], anchor: string, policy: Policy): number[] {
  const years = new Set(months.map((m) => Number(m.slice(0, 4))));
  const { start, end } = annualPeriod(term, anchor, policy.annual.period);
  for (let y = Number(start.slice(0, 4)); y <= Number(end.slice(0, 4)); y++) years.add(y);
  return [...years];
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
  const today = localDate(opts.now);
  const months = opts.months?.length ? opts.months : [today.slice(0, 7)];
  // Every month is checked (monthDates throws RangeError on a malformed one) before anything is read.
  const monthEnds = months.map((m) => monthDates(m).at(-1)!);
  const ids = cadres.map((c) => c.userid);
  const histories = opts.histories ?? (await readHistories(src.redis, src.keys, ids));
  const terms = new Map(cadres.map((c) => [c.userid, termsOf(c, histories.get(c.userid), today, monthEnds[0]!)]));

  const usersByYear = new Map<number, string[]>();
  for (const c of cadres) {
    const t = terms.get(c.userid)!;
    for (const y of yearsOf(t.annual, months, t.anchor, src.policy)) {
      const list = usersByYear.get(y) ?? [];
      list.push(c.userid);
      usersByYear.set(y, list);
    }
  }
  const ledger = new CheckinRepo(src.redis, src.keys);
  const [leaves, yearRows] = await Promise.all([
    new LeaveRepo(src.redis, src.keys).ofUsers(ids),
    Promise.all([...usersByYear].map(async ([year, users]) => ({ year, bits: await ledger.yearBits(users, year) }))),
  ]);

  const bitsByUser = new Map<string, Map<number, YearBits>>();
  for (const { year, bits } of yearRows) {
    for (const [u, b] of bits) {
      const mine = bitsByUser.get(u) ?? new Map<number, YearBits>();
      mine.set(year, b);
      bitsByUser.set(u, mine);
    }
  }

  const env = {
    now: opts.now,
    today,
    policy: src.policy,
    calendar: src.calendar,
    cache: new FiguresCache(src.calendar, src.policy),
  };
  const out = new Map<string, CadreFigures>();
  for (const c of cadres) {
    const t = terms.get(c.userid)!;
    const data: CadreAttendance = {
      term: t.month,
      bits: bitsByUser.get(c.userid) ?? new Map(),
      leaves: leaves.get(c.userid) ?? [],
    };
    const monthFigures = months.map((m) => accountMonth(data, m, env));
    out.set(c.userid, {
      userid: c.userid,
      month: monthFigures[0]!,
      months: monthFigures,
      year: accountYear({ ...data, term: t.annual }, env, t.anchor),
    });
  }
  return out;
}
