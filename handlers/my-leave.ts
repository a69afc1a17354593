import { defineCommand } from '../src/core/command.js';
import { daysBetween, localDate } from '../src/kit/dates.js';
import type { DayCalendar } from '../src/leave/count.js';
import { overstayDates } from '../src/leave/overstay.js';
import { waiting } from '../src/leave/service.js';
import { leaveView } from '../src/leave/view.js';
import { currentStep, leaveDays, overdue, type LeaveRequest } from '../src/leave/workflow.js';
import type { Roster } from '../src/roster/roster.js';
import * as T from '../templates/leave.js';

/** Requests listed; older ones are counted but not shown, so the reply stays within one message. */
const LIST_LIMIT = 10;

function line(roster: Roster, r: LeaveRequest, today: string, calendar: DayCalendar, all: LeaveRequest[]): string {
  const v = leaveView(roster, r);
  if (r.status === 'pending')
    return T.leaveLine(v, T.STATUS_NAMES.pending, T.waitingOn(waiting(roster, currentStep(r)!)));
  if (r.status !== 'approved') return T.leaveLine(v, T.STATUS_NAMES[r.status]);
  if (r.returnedAt) {
    const span = leaveDays(r);
    const detail = span
      ? T.actualDays(span.start, span.end, daysBetween(span.start, span.end) + 1)
      : T.cancelledBeforeStart;
    const over = overstayDates(r, calendar, all);
    const overNote = over.length ? T.overstayNote({ days: over.length, start: over[0]!, end: over.at(-1)! }) : '';
    return T.leaveLine(v, T.returnedName, detail + overNote);
  }
  return T.leaveLine(v, T.STATUS_NAMES.approved, overdue(r, today) ? T.overdueNote : undefined);
}

/** `我的请假`: the cadre's requests, newest first, with their state and whose approval is awaited. */
export default defineCommand({
  id: 'my-leave',
  aliases: ['我的请假', '请假记录'],
  roles: ['cadre'],
  privateOnly: true,
  help: T.help.myLeave,
  async handle(ctx) {
    const all = await ctx.repos.leave.ofUser(ctx.person.userid);
    if (!all.length) return { text: T.noLeave };
    const today = localDate(ctx.now);
    return {
      text: T.leaveList(
        all.slice(0, LIST_LIMIT).map((r) => line(ctx.roster, r, today, ctx.deps.calendar, all)),
        all.length,
      ),
    };
  },
});
