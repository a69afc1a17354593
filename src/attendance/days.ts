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

/** Everything the figures need about one cadre, as loaded from Redis. `bits` is keyed by year. */
export interface CadreAttendance {
  term: Term;
  bits: ReadonlyMap<number, YearBits>;
  leaves: readonly LeaveRequest[];
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
export function leaveClassOf(policy: Policy, r: LeaveRequest): LeaveClass {
  return leaveType(policy, r.type)?.class ?? r.class;
}

// When two approved leaves overlap, the day takes the kindest class: it counts if either says present.
const RANK: Record<LeaveClass, number> = { present: 3, excused: 2, absent: 1 };

/** The cadre's facts for each day of a span. */
export function dayFacts(span: readonly SpanDay[], data: CadreAttendance, policy: Policy): DayFact[] {
  if (!span.length) return [];
  const first = span[0]!.date;
  const last = span[span.length - 1]!.date;
  const ranges: { start: string; end: string; cls: LeaveClass; half: (date: string) => boolean }[] = [];
  for (const r of data.leaves) {
    const days = leaveDays(r);
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
