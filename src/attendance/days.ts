/**
 * The days behind attendance figures. A span is a run of dates with their bit index in the presence bitmaps
 * and whether each is an official day off; it is the same for every cadre, so a county's figures build it once
 * (`FiguresCache`). A cadre's day facts add what is personal: inside the term or not, checked in (and only by a
 * self-reported location), and the class of an approved leave covering the day.
 */
import { dayOfYear, eachDate } from '../kit/dates.js';
import { leaveType, type Policy } from '../policy/policy.js';
import { leaveDays, type LeaveClass, type LeaveRequest } from '../leave/workflow.js';
import { bitSet, type YearBits } from './ledger.js';
import { inTerm, type TargetCalendar, type Term } from './targets.js';

/** One date of a span: its year and bit index (0 = 1 January), and whether it is a day off (undefined: no data). */
export interface SpanDay {
  date: string;
  year: number;
  index: number;
  off: boolean | undefined;
}

/** What the figures read of a leave request (a whole `LeaveRequest` fits). */
export type LeaveSpan = Pick<
  LeaveRequest,
  'no' | 'type' | 'class' | 'start' | 'end' | 'status' | 'halfStart' | 'halfEnd' | 'returnedOn'
>;

/** The days a leave request takes (`leaveDays`, which reads only the status and the dates). */
export function spanOfLeave(r: LeaveSpan): { start: string; end: string } | undefined {
  return leaveDays(r as LeaveRequest);
}

/** Everything the figures need about one cadre, as loaded from Redis. `bits` is keyed by year. */
export interface CadreAttendance {
  term: Term;
  bits: ReadonlyMap<number, YearBits>;
  leaves: readonly LeaveSpan[];
}

/** One day of one cadre. */
export interface DayFact extends SpanDay {
  inTerm: boolean;
  checkedIn: boolean;
  /** Checked in only through a self-reported location (a point picked on the map). */
  selfReported: boolean;
  /** Not checked in, but a self-reported location of the day waits for confirmation. */
  pending: boolean;
  /** Class of the approved leave covering the day, if any. */
  leave: LeaveClass | undefined;
  /** Every leave covering the day covers only half of it (a 上午 or 下午): the day stays one for presence. */
  halfLeave: boolean;
}

/** The dates from `start` to `end` (both included) with bit indexes and days off. */
export function spanDays(start: string, end: string, calendar: TargetCalendar): SpanDay[] {
  const dates = eachDate(start, end);
  if (!dates.length) return [];
  // dayOfYear goes through dayjs; counting up from the first date keeps a year's span cheap to build.
  let index = dayOfYear(dates[0]!);
  return dates.map((date, i) => {
    if (i > 0) index = date.endsWith('-01-01') ? 0 : index + 1;
    return { date, year: Number(date.slice(0, 4)), index, off: calendar.isDayOff(date) };
  });
}

/**
 * The class a leave counts in: the policy's current class of its type, so a county that reclassifies a type
 * sees its figures follow; the class recorded on the request when the policy no longer knows the type.
 */
export function leaveClassOf(policy: Policy, r: Pick<LeaveRequest, 'type' | 'class'>): LeaveClass {
  let classes = classesOf.get(policy);
  if (!classes) classesOf.set(policy, (classes = new Map()));
  let cls = classes.get(r.type);
  if (cls === undefined) {
    cls = leaveType(policy, r.type)?.class ?? null;
    classes.set(r.type, cls);
  }
  return cls ?? r.class;
}

// The class of each leave type under a policy, looked up once per type (a county's figures ask per request).
const classesOf = new WeakMap<Policy, Map<string, LeaveClass | null>>();

// When two approved leaves overlap, the day takes the kindest class: it counts if either says present.
const RANK: Record<LeaveClass, number> = { present: 3, excused: 2, absent: 1 };

/**
 * A span ready for counting many cadres: per day its bit index and year (as a slot of `years`) and whether it
 * is a day off, in typed arrays. Built once per span
 * (`FiguresCache.compiledSpan`); nothing in it may be changed.
 */
export interface CompiledSpan {
  days: readonly SpanDay[];
  dates: readonly string[];
  index: Uint16Array;
  yearSlot: Uint8Array;
  years: readonly number[];
  /** 1 on an official day off (`off === true`). */
  off: Uint8Array;
}

export function compileSpan(days: readonly SpanDay[]): CompiledSpan {
  const n = days.length;
  const years: number[] = [];
  const index = new Uint16Array(n);
  const yearSlot = new Uint8Array(n);
  const off = new Uint8Array(n);
  days.forEach((d, i) => {
    if (!years.includes(d.year)) years.push(d.year);
    index[i] = d.index;
    yearSlot[i] = years.indexOf(d.year);
    off[i] = d.off === true ? 1 : 0;
  });
  return { days, dates: days.map((d) => d.date), index, yearSlot, years, off };
}

/** Which days of a span count for `term` (`inTerm`), 1 or 0. */
export function termMask(span: CompiledSpan, term: Term): Uint8Array {
  return Uint8Array.from(span.dates, (date) => (inTerm(term, date) ? 1 : 0));
}

/** The number of dates of a sorted list before `date` (`strict`) or up to it. */
export function datesBefore(dates: readonly string[], date: string, strict: boolean): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strict ? dates[mid]! < date : dates[mid]! <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Leave classes as numbers, kindest highest (as `RANK`); 0 is no leave. */
export const NO_LEAVE = 0;
export const ABSENT_LEAVE = 1;
export const EXCUSED_LEAVE = 2;
export const PRESENT_LEAVE = 3;

/**
 * One cadre's days of a compiled span, as `dayFacts` gives them but in typed arrays: 1/0 per day for checked
 * in, checked in by a self-reported location only, and waiting for a confirmation; the class of the leave
 * covering the day (`NO_LEAVE` … `PRESENT_LEAVE`) and whether every leave covering it covers only half of it.
 * The arrays are scratch space of this module, valid until the next call.
 */
export interface DayFlags {
  n: number;
  inTerm: Uint8Array;
  checked: Uint8Array;
  self: Uint8Array;
  pending: Uint8Array;
  leave: Uint8Array;
  half: Uint8Array;
  /** Some leave covers a day of the span. */
  anyLeave: boolean;
}

let scratch: DayFlags | undefined;

function scratchOf(n: number): DayFlags {
  if (!scratch || scratch.checked.length < n) {
    const size = Math.max(n, 400);
    scratch = {
      n,
      inTerm: new Uint8Array(0),
      checked: new Uint8Array(size),
      self: new Uint8Array(size),
      pending: new Uint8Array(size),
      leave: new Uint8Array(size),
      half: new Uint8Array(size),
      anyLeave: false,
    };
  }
  scratch.n = n;
  return scratch;
}

const EMPTY = Buffer.alloc(0);

/** A cadre's day flags over a span; `mask` is `termMask(span, data.term)`. */
export function dayFlags(span: CompiledSpan, data: CadreAttendance, policy: Policy, mask: Uint8Array): DayFlags {
  const n = span.dates.length;
  const f = scratchOf(n);
  f.inTerm = mask;
  const { index, yearSlot } = span;
  // Up to two years per span (a term year starting mid-year); more would only be slower.
  const present: Buffer[] = [];
  const self: Buffer[] = [];
  const pending: Buffer[] = [];
  for (const y of span.years) {
    const b = data.bits.get(y);
    present.push(b?.present ?? EMPTY);
    self.push(b?.selfReported ?? EMPTY);
    pending.push(b?.pending ?? EMPTY);
  }
  for (let i = 0; i < n; i++) {
    const slot = yearSlot[i]!;
    const byte = index[i]! >> 3;
    const bit = 0x80 >> (index[i]! & 7);
    const p = present[slot]!;
    const checked = byte < p.length && (p[byte]! & bit) !== 0;
    if (checked) {
      const s = self[slot]!;
      f.checked[i] = 1;
      f.self[i] = byte < s.length && (s[byte]! & bit) !== 0 ? 1 : 0;
      f.pending[i] = 0;
    } else {
      const w = pending[slot]!;
      f.checked[i] = 0;
      f.self[i] = 0;
      f.pending[i] = byte < w.length && (w[byte]! & bit) !== 0 ? 1 : 0;
    }
  }
  f.leave.fill(NO_LEAVE, 0, n);
  f.anyLeave = false;
  if (!n || !data.leaves.length) return f;
  const { dates } = span;
  const first = dates[0]!;
  const last = dates[n - 1]!;
  for (const r of data.leaves) {
    const days = spanOfLeave(r);
    if (!days || days.start > last || days.end < first) continue;
    if (!f.anyLeave) {
      f.half.fill(1, 0, n);
      f.anyLeave = true;
    }
    const cls = RANK[leaveClassOf(policy, r)];
    const from = datesBefore(dates, days.start, true);
    const to = datesBefore(dates, days.end, false);
    // A half at the end counts only when the leave ran to its end (销假 earlier makes the last day a whole one).
    const halfStart = r.halfStart && from < n && dates[from] === r.start ? from : -1;
    const halfEnd = r.halfEnd && r.end === days.end && to > 0 && dates[to - 1] === r.end ? to - 1 : -1;
    for (let i = from; i < to; i++) {
      if (cls > f.leave[i]!) f.leave[i] = cls;
      if (i !== halfStart && i !== halfEnd) f.half[i] = 0;
    }
  }
  return f;
}

/** The cadre's facts for each day of a span. */
export function dayFacts(span: readonly SpanDay[], data: CadreAttendance, policy: Policy): DayFact[] {
  if (!span.length) return [];
  const first = span[0]!.date;
  const last = span[span.length - 1]!.date;
  const ranges: { start: string; end: string; cls: LeaveClass; half: (date: string) => boolean }[] = [];
  for (const r of data.leaves) {
    const days = spanOfLeave(r);
    // A half at the end counts only when the leave ran to its end (销假 earlier makes the last day a whole one).
    const half = (date: string) =>
      (date === r.start && !!r.halfStart) || (date === r.end && date === days?.end && !!r.halfEnd);
    if (days && days.start <= last && days.end >= first) ranges.push({ ...days, cls: leaveClassOf(policy, r), half });
  }
  const out: DayFact[] = new Array<DayFact>(span.length);
  let year = -1;
  let bits: YearBits | undefined;
  for (let i = 0; i < span.length; i++) {
    const d = span[i]!;
    if (d.year !== year) {
      year = d.year;
      bits = data.bits.get(year);
    }
    const checkedIn = bits !== undefined && bitSet(bits.present, d.index);
    let leave: LeaveClass | undefined;
    let halfLeave = true;
    for (const r of ranges) {
      if (d.date < r.start || d.date > r.end) continue;
      if (!leave || RANK[r.cls] > RANK[leave]) leave = r.cls;
      if (!r.half(d.date)) halfLeave = false;
    }
    // A literal of fixed shape, not a spread: a county's figures build hundreds of these per cadre.
    out[i] = {
      date: d.date,
      year: d.year,
      index: d.index,
      off: d.off,
      inTerm: inTerm(data.term, d.date),
      checkedIn,
      selfReported: checkedIn && bitSet(bits!.selfReported, d.index),
      pending: !checkedIn && bits?.pending !== undefined && bitSet(bits.pending, d.index),
      leave,
      halfLeave: leave !== undefined && halfLeave,
    };
  }
  return out;
}

/** A presence day: inside the term, not in the future, and checked in or on leave that counts as present. */
export function isPresence(f: DayFact, today: string): boolean {
  return f.inTerm && f.date <= today && (f.checkedIn || f.leave === 'present');
}

/**
 * A day still open for presence: today (unless it already counts) or later, inside the term, and not taken by
 * leave that keeps the cadre away (excused or absent) for the whole day; a half-day leave leaves it open. `skipDaysOff` leaves out official days off, as the
 * monthly target does.
 */
export function isOpen(f: DayFact, today: string, skipDaysOff: boolean): boolean {
  if (!f.inTerm || f.date < today || isPresence(f, today)) return false;
  if ((f.leave === 'excused' || f.leave === 'absent') && !f.halfLeave) return false;
  return !(skipDaysOff && f.off === true);
}

/** What the day line shows for a day. */
export type DayMark = 'present' | 'self-reported' | 'pending' | 'leave' | 'off' | 'absent' | 'open' | 'outside';

/**
 * The mark of a day: a check-in wins over everything, then a self-reported location waiting for confirmation
 * (not counted yet), then approved leave, then a day off. A past day with none of these is absent; today
 * without a check-in and every later day are open ("no data yet").
 */
export function markOf(f: DayFact, today: string): DayMark {
  if (!f.inTerm) return 'outside';
  if (f.checkedIn && f.date <= today) return f.selfReported ? 'self-reported' : 'present';
  if (f.pending && f.date <= today) return 'pending';
  if (f.leave) return 'leave';
  if (f.off) return 'off';
  return f.date < today ? 'absent' : 'open';
}
