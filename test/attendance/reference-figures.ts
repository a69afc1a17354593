/**
 * The straightforward per-cadre figures, as they were computed before the county-wide fast path: one
 * `DayFact` object per day (`dayFacts`), counted one by one, the annual target computed afresh for excused
 * leave, each cadre's data read on its own (`CheckinRepo.yearBits`, `LeaveRepo.ofUsers`), the leave of each
 * day walked date by date. The property tests compare the fast path against it.
 */
import { forecastStatus, type MonthFigures, type PresenceCount } from '../../src/attendance/accounting.js';
import { projectShortfall, type YearFigures } from '../../src/attendance/annual.js';
import { FiguresCache } from '../../src/attendance/cache.js';
import {
  dayFacts,
  isOpen,
  isPresence,
  leaveClassOf,
  markOf,
  type CadreAttendance,
  type DayFact,
} from '../../src/attendance/days.js';
import type { DayLeave } from '../../src/attendance/month-figures.js';
import { annualTarget, type TargetCalendar } from '../../src/attendance/targets.js';
import { eachDate } from '../../src/kit/dates.js';
import { leaveDays, type LeaveRequest } from '../../src/leave/workflow.js';
import type { Policy } from '../../src/policy/policy.js';

/** The per-day count the county figures used before they counted day flags: presence (and its kinds) over facts, and the open days, as of `today`. */
function tally(facts: readonly DayFact[], today: string, skipDaysOff: boolean): PresenceCount & { remaining: number } {
  let present = 0;
  let selfReported = 0;
  let presentLeave = 0;
  let remaining = 0;
  let pending = 0;
  for (const f of facts) {
    if (isPresence(f, today)) {
      present += 1;
      if (!f.checkedIn) presentLeave += 1;
      else if (f.selfReported) selfReported += 1;
    } else {
      if (f.pending && f.inTerm && f.date <= today) pending += 1;
      if (isOpen(f, today, skipDaysOff)) remaining += 1;
    }
  }
  return { present, selfReported, presentLeave, pending, remaining };
}

export interface RefEnv {
  today: string;
  policy: Policy;
  calendar: TargetCalendar;
}

export function refMonth(data: CadreAttendance, month: string, env: RefEnv): MonthFigures {
  const { today, policy } = env;
  const cache = new FiguresCache(env.calendar, policy);
  const facts = dayFacts(cache.month(month), data, policy);
  const excused = facts.filter((f) => f.leave === 'excused');
  const excusedDates = excused.filter((f) => !f.halfLeave).map((f) => f.date);
  const halfDates = excused.filter((f) => f.halfLeave).map((f) => f.date);
  const target = cache.monthlyTarget(month, data.term, excusedDates, halfDates);
  const counts = tally(facts, today, true);
  const phase = month < today.slice(0, 7) ? 'past' : month > today.slice(0, 7) ? 'future' : 'current';
  const needed = target.status === 'set' ? Math.max(0, target.target - counts.present) : null;
  const status =
    needed === null ? 'pending' : forecastStatus(needed, counts.remaining, policy.warnings.remind.neededShare);
  return {
    month,
    today,
    phase,
    ...counts,
    target,
    needed,
    status,
    days: facts.map((f) => ({ date: f.date, mark: markOf(f, today) })),
  };
}

export function refYear(data: CadreAttendance, env: RefEnv, at: string): YearFigures {
  const { today, policy, calendar } = env;
  const cache = new FiguresCache(calendar, policy);
  const plain = annualTarget({ term: data.term, at, calendar, policy });
  const facts = dayFacts(cache.span(plain.period.start, plain.period.end), data, policy);
  const excusedDates = facts.filter((f) => f.inTerm && f.leave === 'excused').map((f) => f.date);
  const target = excusedDates.length ? annualTarget({ term: data.term, at, excusedDates, calendar, policy }) : plain;
  const counts = tally(facts, today, false);
  const elapsed = facts.filter(
    (f) => f.inTerm && f.leave !== 'excused' && (f.date < today || (f.date === today && isPresence(f, today))),
  ).length;
  const dueDays = target.termDays - target.excusedDays;
  const pace = dueDays > 0 ? Math.round((target.target * elapsed) / dueDays) : 0;
  const needed = Math.max(0, target.target - counts.present);
  const open = facts.filter((f) => isOpen(f, today, false)).map((f) => f.date);
  return {
    today,
    ...counts,
    target,
    elapsed,
    pace,
    needed,
    status: forecastStatus(needed, counts.remaining, policy.warnings.remind.neededShare),
    shortfallDate: projectShortfall(open, today, counts.present, elapsed, target.target),
    uncoveredYears: target.uncoveredYears,
  };
}

const RANK = { present: 3, excused: 2, absent: 1 } as const;

/** The approved leave of each date from `start` to `end`, walked date by date. */
export function refLeaveByDay(
  leaves: readonly LeaveRequest[],
  policy: Policy,
  start: string,
  end: string,
): Map<string, DayLeave> {
  const out = new Map<string, DayLeave>();
  for (const r of leaves) {
    const days = leaveDays(r);
    if (!days) continue;
    const cls = leaveClassOf(policy, r);
    for (const date of eachDate(days.start, days.end)) {
      if (date < start || date > end) continue;
      const seen = out.get(date);
      if (!seen || RANK[cls] > RANK[seen.class]) out.set(date, { type: r.type, class: cls });
    }
  }
  return out;
}
