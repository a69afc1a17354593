import {
  checkBackfill,
  isRefusal,
  newBackfill,
  readBackfillAsk,
  type BackfillRefusal,
} from '../src/attendance/backfill-check.js';
import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { approvalCard } from '../templates/approval-card.js';
import * as T from '../templates/backfill.js';
import { help } from '../templates/help.js';

/** Refuse, changing nothing: the code and the refusal's facts to the log, its sentence to the cadre. */
function refuseWith(r: BackfillRefusal): never {
  const { code, ...facts } = r;
  refuse(code, T.refusal(r), facts);
}

/**
 * `补登 日期 原因`: ask for one missed day to count; the team leader or township supervisor confirms. Read the
 * message, read the cadre's leave, the day's check-ins and back-fills, check them all (`checkBackfill`, pure),
 * then number and save the request and send the card. A refusal changes nothing.
 */
export default defineCommand({
  id: 'backfill',
  aliases: ['补登', '补卡', '补签'],
  roles: ['cadre'],
  privateOnly: true,
  help: help.backfill,
  async handle(ctx, rest) {
    const cadre = ctx.person.cadre;
    const ask = readBackfillAsk(rest, ctx.now);
    if (isRefusal(ask)) refuseWith(ask);
    const repo = ctx.repos.backfills;
    const facts = {
      leaves: await ctx.repos.leave.ofUser(cadre.userid),
      day: await ctx.repos.checkins.day(cadre.userid, ask.date),
      backfills: await repo.ofUser(cadre.userid),
    };
    const draft = checkBackfill(ask, facts, { now: ctx.now, policy: ctx.deps.policy, roster: ctx.roster, cadre });
    if (isRefusal(draft)) refuseWith(draft);

    // Numbered only after every check, so a refused request does not use up a number.
    const b = newBackfill(await repo.nextNo(ctx.tx), cadre, draft, ctx.now);
    repo.save(ctx.tx, b);
    const view = {
      no: b.no,
      name: cadre.name,
      villageName: ctx.roster.villageOf(cadre).name,
      date: b.date,
      reason: b.reason,
    };
    const keys = { approve: `backfill-confirm:${b.no}`, reject: `backfill-reject:${b.no}` };
    ctx.send({
      key: `backfill:${b.no}`,
      to: { kind: 'user', userIds: b.confirmers },
      purpose: 'approval',
      body: { type: 'card', card: approvalCard({ ...T.approvalText(view), taskId: `backfill-${b.no}`, keys }) },
    });
    const names = b.confirmers.map((id) => ctx.roster.person(id)?.name ?? id);
    return { text: T.submitted(view, names) };
  },
});
