/**
 * 超假: a return later than the approved end. The working days after the end up to the last day away are days
 * over; they are never leave (`leaveDays` stops at the approved end), so attendance counts them as neither
 * presence nor excused — absent — unless a follow-up request covering them is approved (docs/rules.md).
 * Weekends and official days off after the end are no days over: nobody needs leave for them.
 */
import { addDays, eachDate } from '../kit/dates.js';
import { workdays, type DayCalendar } from './count.js';
import { leaveDays, type LeaveRequest } from './workflow.js';

/**
 * The days over of a returned leave (`YYYY-MM-DD`, sorted): working days after its end up to `returnedOn`,
 * less those another approved leave of `others` covers. Empty for a leave back in time or not returned.
 */
export function overstayDates(r: LeaveRequest, calendar: DayCalendar, others: readonly LeaveRequest[] = []): string[] {
  if (r.status !== 'approved' || !r.returnedAt || r.returnedOn === undefined || r.returnedOn <= r.end) return [];
  const isWorkday = workdays(calendar);
  const covered = others
    .filter((o) => o.no !== r.no)
    .flatMap((o) => leaveDays(o) ?? [])
    .filter((s) => s.start <= r.returnedOn! && s.end > r.end);
  return eachDate(addDays(r.end, 1), r.returnedOn).filter(
    (d) => isWorkday(d) && !covered.some((s) => s.start <= d && d <= s.end),
  );
}

/** How many days over (`overstayDates`), for digests and 我的请假. */
export function overstayDays(r: LeaveRequest, calendar: DayCalendar, others: readonly LeaveRequest[] = []): number {
  return overstayDates(r, calendar, others).length;
}
