import { recordCheckin } from '../src/attendance/service.js';
import { defineCommand } from '../src/core/command.js';
import { localTime } from '../src/core/dates.js';
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
    const r = await recordCheckin(ctx, cadre, { id: ctx.update.id, at: ctx.update.time, source: 'message', direction: 'out' });
    return { text: T.checkedIn(r.record, ctx.roster.villageOf(cadre).name, localTime(ctx.update.time), r.wasPresent) };
  },
});
