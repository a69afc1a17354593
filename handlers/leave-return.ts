import { defineCommand, type CadreContext } from '../src/core/command.js';
import { daysBetween, localDate } from '../src/kit/dates.js';
import { refuse } from '../src/core/errors.js';
import type { Reply } from '../src/core/reply.js';
import { findLeaveDates } from '../src/leave/chrono-zh.js';
import { overstayDates } from '../src/leave/overstay.js';
import { leaveJustEnded, leaveToReturn, returnedMessages } from '../src/leave/service.js';
import { leaveView } from '../src/leave/view.js';
import { leaveDays, reportBack, type LeaveRequest } from '../src/leave/workflow.js';
import * as T from '../templates/leave.js';

/** An optional request number anywhere in the message (`销假 Q1001 11月26日`). */
const NUMBER = /(?:^|\s)Q?(\d{4,})(?=\s|$)/i;
/** What a cadre says on coming back (`我回来了`, `已返岗`): 销假 of the leave under way or just ended. */
const BACK = /^(?:我)?(?:已经?)?(?:回来了|返岗了?|回村了?)[。.!！~～]*$/;

/**
 * Record the return on `target`, tell its approvers, and answer: the actual days and any 超假 (days over the
 * approved end, absent unless a follow-up request is approved).
 */
function returnFrom(ctx: CadreContext, mine: LeaveRequest[], target: LeaveRequest, lastDay?: string): Reply {
  const outcome = reportBack(target, localDate(ctx.now), ctx.now, lastDay);
  if (!outcome.ok) {
    switch (outcome.refusal) {
      case 'return_before_start':
        return refuse('leave_return_before_start', T.returnBeforeStart(target.no, target.start));
      case 'already_returned':
        return refuse('leave_already_returned', T.alreadyReturned(target.no));
      default:
        return refuse('leave_not_approved', T.nothingToReturn(target.status === 'pending' ? target.no : undefined));
    }
  }
  const after = outcome.request;
  ctx.repos.leave.save(ctx.tx, after, { previous: target });
  const span = leaveDays(after);
  const actual = span && { ...span, days: daysBetween(span.start, span.end) + 1 };
  const over = overstayDates(after, ctx.deps.calendar, mine);
  const overstay = over.length ? { days: over.length, start: over[0]!, end: over.at(-1)! } : undefined;
  for (const message of returnedMessages(ctx.roster, after, actual, overstay)) ctx.send(message);
  ctx.log.info(
    { no: after.no, returnedOn: after.returnedOn, days: actual?.days ?? 0, overstay: over.length },
    'leave reported back',
  );
  return { text: T.returned(leaveView(ctx.roster, after), actual, overstay) };
}

/**
 * `销假 [最后一天休假的日期]`: the cadre is back. Records the actual return on the leave, so that from then on only
 * the days actually away count as leave, and tells those who approved it. Without a date, today is the first
 * day back. `我回来了` / `已返岗` / `回来了` / `已回村` do the same for a leave under way or ended within
 * `policy.leave.maxDaysInPast` days (the window a follow-up request for days over may still be made in);
 * otherwise they ask whether a check-in is meant, and change nothing.
 */
export default defineCommand({
  id: 'leave-return',
  aliases: ['销假'],
  roles: ['cadre'],
  privateOnly: true,
  help: T.help.leaveReturn,
  recognise: (text) => (BACK.test(text.trim()) ? text.trim() : undefined),
  async handle(ctx, rest) {
    const today = localDate(ctx.now);
    const mine = await ctx.repos.leave.ofUser(ctx.person.userid);
    // The phrase said on its own (recognised), not a date after 销假 (`销假 已经回来了` stays a date to read).
    if (BACK.test((ctx.update.text ?? '').trim())) {
      const target = leaveJustEnded(mine, today, ctx.deps.policy.leave.maxDaysInPast);
      if (target) return returnFrom(ctx, mine, target);
      const old = mine.find((r) => r.status === 'approved' && !r.returnedAt && r.end < today);
      return { text: T.backWithoutLeave(old?.no) };
    }
    const m = NUMBER.exec(rest);
    const dateText = (m ? rest.replace(m[0], ' ') : rest).trim();

    const target = m ? mine.find((r) => r.no === `Q${m[1]}`) : leaveToReturn(mine, today);
    if (m && !target) refuse('leave_not_found', T.notFound(`Q${m[1]}`));
    if (!target) refuse('leave_nothing_to_return', T.nothingToReturn(mine.find((r) => r.status === 'pending')?.no));

    let lastDay: string | undefined;
    if (dateText) {
      const found = findLeaveDates(dateText, today);
      if (!found) refuse('leave_bad_return_date', T.badReturnDate, { text: dateText });
      if (found.start > today) refuse('leave_return_in_future', T.returnDateInFuture(found.start));
      lastDay = found.start;
    }
    return returnFrom(ctx, mine, target, lastDay);
  },
});
