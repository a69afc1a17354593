import { backfillWindow, confirmersOf, type Backfill } from '../src/attendance/backfill.js';
import { defineCommand } from '../src/core/command.js';
import { localDate } from '../src/core/dates.js';
import { refuse } from '../src/core/errors.js';
import { findLeaveDates } from '../src/leave/chrono-zh.js';
import { leaveOn } from '../src/leave/days.js';
import * as T from '../templates/backfill.js';
import { help } from '../templates/help.js';

/**
 * `补登 日期 原因`: ask for one missed day to count; the team leader or township supervisor confirms. Refused,
 * changing nothing: a range of days, a day in the future or past the window, outside the cadre's term, inside
 * an approved leave, already counted, or already asked for. Today may be asked for (no signal all day).
 */
export default defineCommand({
  id: 'backfill',
  aliases: ['补登', '补卡', '补签'],
  roles: ['cadre'],
  privateOnly: true,
  help: help.backfill,
  async handle(ctx, rest) {
    const cadre = ctx.person.cadre!;
    const today = localDate(ctx.now);
    const found = findLeaveDates(rest, today);
    if (!found) refuse('backfill_no_date', T.usageProblem);
    // One request, one day: a range would have one confirmation stand for several days unseen.
    if (found.end !== undefined && found.end !== found.start) refuse('backfill_range', T.singleDay, { start: found.start, end: found.end });
    const date = found.start;
    const reason = (rest.slice(0, found.index) + rest.slice(found.index + found.length)).replace(/^[\s,，。:：]+|[\s,，。]+$/g, '');
    if (!reason) refuse('backfill_no_reason', T.noReason);
    const window = backfillWindow(date, today, ctx.now, ctx.deps.policy.checkin.backfillHours);
    if (window === 'future') refuse('backfill_future', T.futureDate, { date });
    if (window === 'expired') refuse('backfill_expired', T.outOfWindow(ctx.deps.policy.checkin.backfillHours), { date });
    if (date < cadre.termStart || date > cadre.termEnd) {
      refuse('backfill_outside_term', T.outsideTerm(date, cadre.termStart, cadre.termEnd), { date });
    }
    const leave = leaveOn(await ctx.repos.leave.ofUser(cadre.userid), date);
    if (leave) refuse('backfill_on_leave', T.onLeave(date, leave.no, leave.type), { date, leave: leave.no });
    const day = await ctx.repos.checkins.day(cadre.userid, date);
    if (day.some((r) => r.counts)) refuse('backfill_present', T.alreadyPresent(date), { date });
    const repo = ctx.repos.backfills;
    const open = (await repo.ofUser(cadre.userid)).find((b) => b.date === date && b.status === 'pending');
    if (open) refuse('backfill_pending', T.alreadyPending(date, open.no), { date });
    const confirmers = confirmersOf(ctx.roster, cadre);
    if (!confirmers.length) refuse('backfill_no_confirmer', T.noConfirmer);

    const b: Backfill = {
      no: await repo.nextNo(ctx.tx),
      userId: cadre.userid,
      date,
      reason,
      confirmers,
      createdAt: ctx.now.toISOString(),
      status: 'pending',
    };
    repo.save(ctx.tx, b);
    const view = { no: b.no, name: cadre.name, villageName: ctx.roster.villageOf(cadre).name, date, reason };
    const c = T.card(view);
    ctx.send({
      key: `backfill:${b.no}`,
      to: { kind: 'user', userIds: confirmers },
      purpose: 'approval',
      body: {
        type: 'card',
        card: {
          kind: 'button_interaction',
          taskId: `backfill-${b.no}`,
          title: c.title,
          description: c.description,
          fields: c.fields,
          buttons: [
            { text: c.confirm, style: 1, key: `backfill-confirm:${b.no}` },
            { text: c.reject, style: 3, key: `backfill-reject:${b.no}` },
          ],
        },
      },
    });
    const names = confirmers.map((id) => ctx.roster.person(id)?.name ?? id);
    return { text: T.submitted(view, names) };
  },
});
