import { defineCommand } from '../src/core/command.js';
import { daysBetween, localDate } from '../src/kit/dates.js';
import { refuse } from '../src/core/errors.js';
import { findLeaveDates } from '../src/leave/chrono-zh.js';
import { leaveToReturn } from '../src/leave/service.js';
import { leaveView } from '../src/leave/view.js';
import { leaveDays, reportBack } from '../src/leave/workflow.js';
import * as T from '../templates/leave.js';

/** An optional request number anywhere in the message (`销假 Q1001 11月26日`). */
const NUMBER = /(?:^|\s)Q?(\d{4,})(?=\s|$)/i;

/**
 * `销假 [最后一天休假的日期]`: the cadre is back. Records the actual return on the leave, so that from then on only
 * the days actually away count as leave. Without a date, today is the first day back.
 */
export default defineCommand({
  id: 'leave-return',
  aliases: ['销假'],
  roles: ['cadre'],
  privateOnly: true,
  help: T.help.leaveReturn,
  async handle(ctx, rest) {
    const repo = ctx.repos.leave;
    const today = localDate(ctx.now);
    const mine = await repo.ofUser(ctx.person.userid);
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
    const outcome = reportBack(target, today, ctx.now, lastDay);
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
    repo.save(ctx.tx, after, { previous: target });
    const span = leaveDays(after);
    const actual = span && { ...span, days: daysBetween(span.start, span.end) + 1 };
    ctx.log.info({ no: after.no, returnedOn: after.returnedOn, days: actual?.days ?? 0 }, 'leave reported back');
    return { text: T.returned(leaveView(ctx.roster, after), actual, lastDay !== undefined && lastDay > target.end) };
  },
});
