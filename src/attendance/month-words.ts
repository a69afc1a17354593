/**
 * The month figures of `accountMonth` counted as words: a month has at most 31 days, so each of a cadre's facts
 * about it (checked in, self-reported, waiting for a confirmation, each leave class, inside the term) is one
 * 32-bit word, bit `i` for day `i` of the month, and each count is a population count of words combined. A
 * county's figures count two months per cadre, and the day-by-day flags cost more than the rest of a month.
 * The answer is `accountMonth`'s, field for field (the tests compare them on random cadres).
 */
import { countedMonth, resolveEnv, type AccountingEnv, type MonthFigures } from './accounting.js';
import { datesBefore, leaveClassOf, spanOfLeave, type CadreAttendance, type CompiledSpan } from './days.js';
import { maskWords, popcount, rangeWord, word32 } from './words.js';

/** Where today falls in a span: `lt` days before it, `le` up to it (the same for every cadre). */
const todayIn = new WeakMap<CompiledSpan, { today: string; lt: number; le: number }>();

function todayOf(span: CompiledSpan, today: string): { today: string; lt: number; le: number } {
  let at = todayIn.get(span);
  if (at?.today !== today) {
    at = { today, lt: datesBefore(span.dates, today, true), le: datesBefore(span.dates, today, false) };
    todayIn.set(span, at);
  }
  return at;
}

const NONE: readonly string[] = Object.freeze([]);

// The day line's codes, written here before they become a string.
const codes = Buffer.alloc(32);

/**
 * `accountMonth(data, month, env)`, counted in words. Undefined for a span that is not a run of at most 32
 * days of one year (no month is), which the caller then counts day by day.
 */
export function accountMonthWords(data: CadreAttendance, month: string, env: AccountingEnv): MonthFigures | undefined {
  const { today, cache } = resolveEnv(env);
  const span = cache.compiledMonth(month);
  const n = span.dates.length;
  if (!n || n > 32 || span.years.length !== 1 || span.index[n - 1]! - span.index[0]! !== n - 1) return undefined;
  const all = rangeWord(0, n);
  const bits = data.bits.get(span.years[0]!);
  const first = span.index[0]!;
  const c = bits ? word32(bits.present, first) & all : 0;
  const s = bits ? word32(bits.selfReported, first) & all : 0;
  // A self-reported location waits only on a day without a check-in.
  const w = bits?.pending ? word32(bits.pending, first) & all & ~c : 0;
  const t = maskWords(cache.termMask(span, data.term), 1)[0]!;
  const off = maskWords(span.off, 1)[0]!;
  // The leave covering each day, as dayFlags takes it: the kindest class, half only when every leave is.
  let lp = 0;
  let lx = 0;
  let la = 0;
  let whole = 0;
  const { dates } = span;
  for (const r of data.leaves) {
    const days = spanOfLeave(r);
    if (!days || days.start > dates[n - 1]! || days.end < dates[0]!) continue;
    const from = datesBefore(dates, days.start, true);
    const to = datesBefore(dates, days.end, false);
    if (from >= to) continue;
    const range = rangeWord(from, to);
    const cls = leaveClassOf(env.policy, r);
    if (cls === 'present') lp |= range;
    else if (cls === 'excused') lx |= range;
    else la |= range;
    // A half at the end counts only when the leave ran to its end (销假 earlier makes the last day a whole one).
    const halfStart = r.halfStart && dates[from] === r.start ? 1 << from : 0;
    const halfEnd = r.halfEnd && r.end === days.end && dates[to - 1] === r.end ? 1 << (to - 1) : 0;
    whole |= range & ~halfStart & ~halfEnd;
  }
  // The day's class is the kindest: excused or absent only without present leave.
  lx &= ~lp;
  la &= ~lp & ~lx;
  // Lists only for a cadre with excused leave in the month (a few in a county).
  const excusedDates: string[] = lx & whole ? [] : (NONE as string[]);
  const halfDates: string[] = lx & ~whole ? [] : (NONE as string[]);
  for (let ex = lx; ex; ex &= ex - 1) {
    const i = 31 - Math.clz32(ex & -ex);
    (whole & (1 << i) ? excusedDates : halfDates).push(dates[i]!);
  }
  const target = cache.monthlyTarget(month, data.term, excusedDates, halfDates);
  const { lt, le } = todayOf(span, today);
  const before = rangeWord(0, lt);
  const upTo = rangeWord(0, le);
  const pres = t & upTo & (c | lp);
  const notPres = t & ~pres;
  const away = (lx | la) & whole;
  const counts = {
    present: popcount(pres),
    selfReported: popcount(pres & c & s),
    presentLeave: popcount(pres & ~c),
    pending: popcount(notPres & upTo & w),
    remaining: popcount(notPres & ~before & ~away & ~off),
  };
  // The day line (as dayCodes): a check-in wins, then a location waiting, then leave, then a day off.
  const leave = lp | lx | la;
  const checked = c & upTo;
  const waiting = w & upTo;
  for (let i = 0; i < n; i++) {
    const bit = 1 << i;
    let m: number;
    if (!(t & bit)) m = 7;
    else if (checked & bit) m = s & bit ? 1 : 0;
    else if (waiting & bit) m = 2;
    else if (leave & bit) m = 3;
    else if (off & bit) m = 4;
    else m = i < lt ? 5 : 6;
    codes[i] = 0x30 + m;
  }
  return countedMonth(month, today, counts, target, env.policy, codes.toString('latin1', 0, n));
}
