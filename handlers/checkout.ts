import { recordCheckin } from '../src/attendance/service.js';
import { defineCommand } from '../src/core/command.js';
import { localTime } from '../src/kit/dates.js';
import * as T from '../templates/checkin.js';
import { help } from '../templates/help.js';

/** `签退`: records leaving the village; shown in the day's detail, never counts. */
export default defineCommand({
  id: 'checkout',
  aliases: ['签退'],
  roles: ['cadre'],
  help: help.checkout,
  async handle(ctx) {
    const cadre = ctx.person.cadre;
    const village = ctx.roster.villageOf(cadre);
    const desk = { ledger: ctx.repos.checkins, tx: ctx.tx, rules: ctx.deps.policy.checkin };
    const r = await recordCheckin(desk, cadre, village, {
      id: ctx.update.id,
      at: ctx.update.time,
      source: 'message',
      direction: 'out',
    });
    return {
      text: T.checkedIn(r.record, village.name, localTime(ctx.update.time), {
        alreadyPresent: r.wasPresent,
        alreadyPending: r.wasPending,
        selfReported: ctx.deps.policy.checkin.selfReported,
      }),
    };
  },
});
