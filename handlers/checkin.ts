import { locationConfirmersOf } from '../src/attendance/backfill.js';
import { recordCheckin } from '../src/attendance/service.js';
import { defineCommand } from '../src/core/command.js';
import { localDate, localTime } from '../src/kit/dates.js';
import { villageOn } from '../src/roster/history.js';
import type { UpdateLocation } from '../src/core/update.js';
import * as T from '../templates/checkin.js';
import { help } from '../templates/help.js';

/**
 * `签到` / `打卡`: answers with the check-in page link. A location — from the page, an automatic LOCATION report
 * or a location message — is recorded here too, so every source follows one rule.
 */
export default defineCommand({
  id: 'checkin',
  aliases: ['签到', '打卡'],
  roles: ['cadre'],
  help: help.checkin,
  kinds: ['location'],
  async handle(ctx) {
    const { update } = ctx;
    const cadre = ctx.person.cadre;
    if (update.kind !== 'location' || !update.location) {
      const { title, description } = T.checkinCard;
      return {
        text: `${description}\n${ctx.deps.checkinLink}`,
        card: { kind: 'text_notice', title, description, url: ctx.deps.checkinLink },
      };
    }
    const loc = update.location;
    // Judged by the assignment of the day (a move may take effect later than the roster says).
    const history = await ctx.deps.roster.history(cadre.userid);
    const village = villageOn(ctx.roster, cadre, history, localDate(update.time));
    const rules = ctx.deps.policy.checkin;
    const reviews = {
      repo: ctx.repos.backfills,
      confirmers: () => locationConfirmersOf(ctx.roster, cadre),
      now: ctx.now,
    };
    const desk = { ledger: ctx.repos.checkins, tx: ctx.tx, rules, reviews };
    if (loc.source === 'auto') {
      // Automatic reports arrive often; only the first one that makes the day count is recorded or answered.
      const input = {
        id: update.id,
        at: update.time,
        source: 'auto' as const,
        direction: 'in' as const,
        point: loc,
        ...accuracy(loc),
      };
      const r = await recordCheckin(desk, cadre, village, input);
      // An imprecise report inside the village may open the day's one confirmation request (policy confirm).
      if (r.review) {
        const day = { alreadyPresent: false, alreadyPending: false, selfReported: rules.selfReported };
        return { text: T.checkedIn(r.record, village.name, localTime(update.time), day), meta: { counts: false } };
      }
      if (r.wasPresent || !r.record.counts) {
        // Nothing recorded, but only if the day is still as read (it may have come from the process's copy).
        ctx.tx.dropWrites();
        return null;
      }
      return { text: T.autoCheckedIn(village.name, localTime(update.time)), meta: { counts: true } };
    }
    const r = await recordCheckin(desk, cadre, village, {
      id: update.id,
      at: update.time,
      source: loc.source,
      direction: 'in',
      point: loc,
      ...accuracy(loc),
      ...(loc.label ? { label: loc.label } : {}),
    });
    return {
      text: T.checkedIn(r.record, village.name, localTime(update.time), {
        alreadyPresent: r.wasPresent,
        alreadyPending: r.wasPending,
        selfReported: rules.selfReported,
      }),
      meta: { counts: r.record.counts || r.wasPresent },
    };
  },
});

/** The device's accuracy (JS-SDK `accuracy`, LOCATION `Precision`), when the source reports one. */
function accuracy(loc: UpdateLocation): { accuracyM?: number } {
  return loc.precision !== undefined ? { accuracyM: loc.precision } : {};
}
