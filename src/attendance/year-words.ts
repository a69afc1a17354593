/**
 * The annual figures of `accountYear` counted 32 days at a time: a county's figures count a whole term year
 * per cadre, and the day-by-day flags of a year cost more than everything else the figures do. The cadre's
 * bitmaps of the period are cut into words (bit `i % 32` of word `i / 32` is day `i` of the span), the term's
 * days and the leave classes become words of their own, and each count is a population count of the words
 * combined. The answer is `accountYear`'s, field for field (the tests compare them on random cadres).
 */
import { forecastStatus, resolveEnv, type AccountingEnv } from './accounting.js';
import { shortfallIndex, type YearFigures } from './annual.js';
import { leaveClassOf, datesBefore, spanOfLeave, type CadreAttendance, type CompiledSpan } from './days.js';
import { maskWords, popcount, setRange, word32 } from './words.js';

/** One run of a span inside one year: span days `[from, from + length)` are bits `[index, …)` of the year's bitmaps. */
interface Run {
  slot: number;
  from: number;
  length: number;
  index: number;
}

const runsOf = new WeakMap<CompiledSpan, Run[]>();

/** The runs of consecutive bit indexes of a span (one per year it touches). */
function spanRuns(span: CompiledSpan): Run[] {
  let runs = runsOf.get(span);
  if (runs) return runs;
  runs = [];
  const n = span.dates.length;
  for (let i = 0; i < n; i++) {
    const last = runs.at(-1);
    if (last && span.yearSlot[i] === last.slot && span.index[i] === last.index + (i - last.from)) last.length += 1;
    else runs.push({ slot: span.yearSlot[i]!, from: i, length: 1, index: span.index[i]! });
  }
  runsOf.set(span, runs);
  return runs;
}

/** OR the days of `buf` a run covers into `out`, at the run's place in the span. */
function addRun(out: Int32Array, buf: Uint8Array, run: Run): void {
  if (!buf.length) return;
  for (let j = 0; j < run.length; j += 32) {
    const take = Math.min(32, run.length - j);
    let w = word32(buf, run.index + j);
    if (take < 32) w &= (1 << take) - 1;
    if (!w) continue;
    const d = run.from + j;
    const k = d >> 5;
    const sh = d & 31;
    out[k]! |= w << sh;
    if (sh) out[k + 1]! |= w >>> (32 - sh);
  }
}

/** Days `[0, k)` as words (the rest 0). */
function below(out: Int32Array, k: number): void {
  out.fill(0);
  setRange(out, 0, k);
}

// Scratch words, reused from one cadre to the next (a span of up to 366 days takes 12).
const WORDS = 12;
const scratch = () => new Int32Array(WORDS + 1);
const C = scratch(); // checked in
const S = scratch(); // self-reported
const W = scratch(); // waiting for a confirmation
const LP = scratch(); // some leave of the present class
const LX = scratch(); // some excused leave
const LA = scratch(); // some absent leave
const WHOLE = scratch(); // some leave covers the whole day
const LT = scratch(); // before today
const LE = scratch(); // up to today
const OPEN = scratch(); // the open days

const EMPTY = new Uint8Array(0);
const NONE: readonly string[] = Object.freeze([]);

/** The 0-based `k`-th day set in `words`. */
function nthDay(words: Int32Array, count: number, k: number): number {
  let left = k;
  for (let w = 0; w < count; w++) {
    let x = words[w]!;
    const c = popcount(x);
    if (left >= c) {
      left -= c;
      continue;
    }
    for (;;) {
      const bit = x & -x;
      if (!left) return (w << 5) + (31 - Math.clz32(bit));
      x ^= bit;
      left -= 1;
    }
  }
  return -1;
}

/**
 * `accountYear(data, env, at)`, counted in words. Undefined for a period longer than 366 days (none is: a term
 * or calendar year), which the caller then counts day by day.
 */
export function accountYearWords(data: CadreAttendance, env: AccountingEnv, at?: string): YearFigures | undefined {
  const { today, cache } = resolveEnv(env);
  const anchor = at ?? today;
  const plain = cache.annualTarget(data.term, anchor);
  const span = cache.compiledPeriod(plain.period);
  const n = span.dates.length;
  const words = (n + 31) >> 5;
  if (words > WORDS) return undefined;
  const T = maskWords(cache.termMask(span, data.term), words);
  C.fill(0);
  S.fill(0);
  W.fill(0);
  for (const run of spanRuns(span)) {
    const bits = data.bits.get(span.years[run.slot]!);
    if (!bits) continue;
    addRun(C, bits.present, run);
    addRun(S, bits.selfReported, run);
    addRun(W, bits.pending ?? EMPTY, run);
  }
  // The leave covering each day, as dayFlags takes it: the kindest class, half only when every leave is.
  let anyLeave = false;
  const { dates } = span;
  const first = dates[0]!;
  const last = dates[n - 1]!;
  for (const r of data.leaves) {
    const days = spanOfLeave(r);
    if (!days || days.start > last || days.end < first) continue;
    if (!anyLeave) {
      LP.fill(0);
      LX.fill(0);
      LA.fill(0);
      WHOLE.fill(0);
      anyLeave = true;
    }
    const cls = leaveClassOf(env.policy, r);
    const from = datesBefore(dates, days.start, true);
    const to = datesBefore(dates, days.end, false);
    if (from >= to) continue;
    setRange(cls === 'present' ? LP : cls === 'excused' ? LX : LA, from, to);
    const halfStart = r.halfStart && from < n && dates[from] === r.start ? from : -1;
    const halfEnd = r.halfEnd && r.end === days.end && to > 0 && dates[to - 1] === r.end ? to - 1 : -1;
    // The whole days: the range without its half days.
    let a = from;
    for (const h of halfStart < halfEnd ? [halfStart, halfEnd] : [halfEnd, halfStart]) {
      if (h < a || h >= to) continue;
      setRange(WHOLE, a, h);
      a = h + 1;
    }
    setRange(WHOLE, a, to);
  }
  const lt = datesBefore(dates, today, true);
  const le = datesBefore(dates, today, false);
  below(LT, lt);
  below(LE, le);
  let present = 0;
  let presentLeave = 0;
  let selfReported = 0;
  let pending = 0;
  let remaining = 0;
  let elapsed = 0;
  let excusedDates: string[] | undefined;
  for (let k = 0; k < words; k++) {
    const t = T[k]!;
    const c = C[k]!;
    const lp = anyLeave ? LP[k]! : 0;
    // The day's class is the kindest: excused or absent only without present leave.
    const lx = anyLeave ? LX[k]! & ~lp : 0;
    const la = anyLeave ? LA[k]! & ~lp & ~lx : 0;
    const pres = t & LE[k]! & (c | lp);
    present += popcount(pres);
    presentLeave += popcount(pres & ~c);
    selfReported += popcount(pres & c & S[k]!);
    const notPres = t & ~pres;
    pending += popcount(notPres & LE[k]! & ~c & W[k]!);
    const away = anyLeave ? (lx | la) & WHOLE[k]! : 0;
    const open = notPres & ~LT[k]! & ~away;
    OPEN[k] = open;
    remaining += popcount(open);
    elapsed += popcount(t & LE[k]! & ~lx & (LT[k]! | c | lp));
    let ex = t & lx;
    while (ex) {
      const bit = ex & -ex;
      (excusedDates ??= []).push(dates[(k << 5) + (31 - Math.clz32(bit))]!);
      ex ^= bit;
    }
  }
  const target = cache.annualTargetExcused(data.term, anchor, excusedDates ?? NONE);
  const dueDays = target.termDays - target.excusedDays;
  const pace = dueDays > 0 ? Math.round((target.target * elapsed) / dueDays) : 0;
  const needed = Math.max(0, target.target - present);
  const short = shortfallIndex(remaining, present, elapsed, target.target);
  return {
    today,
    present,
    selfReported,
    presentLeave,
    pending,
    remaining,
    target,
    elapsed,
    pace,
    needed,
    status: forecastStatus(needed, remaining, env.policy.warnings.remind.neededShare),
    shortfallDate: short === undefined ? null : short < 0 ? today : dates[nthDay(OPEN, words, short)]!,
    uncoveredYears: target.uncoveredYears,
  };
}
