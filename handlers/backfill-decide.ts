import { BackfillRepo } from '../src/attendance/backfill.js';
import { Ledger } from '../src/attendance/ledger.js';
import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { startOfLocalDay } from '../src/core/dates.js';
import * as T from '../templates/backfill.js';
import { help } from '../templates/help.js';

/**
 * `确认补登 编号` / `驳回补登 编号 原因`, or the buttons on the card. Only the cadre's team leaders and township
 * supervisors may decide; the first decision wins and a second click says so.
 */
export default defineCommand({
  id: 'backfill-decide',
  aliases: ['确认补登', '驳回补登'],
  roles: ['team-leader', 'township'],
  help: help.backfillDecide,
  actions: ['backfill-confirm', 'backfill-reject'],
  async handle(ctx, rest) {
    const { update } = ctx;
    const clicked = update.kind === 'event';
    const confirm = clicked ? update.event!.key!.startsWith('backfill-confirm') : /^确认/.test(update.text?.trim() ?? '');
    const [no = '', ...comment] = rest.split(/\s+/);
    const repo = new BackfillRepo(ctx.deps.redis, ctx.deps.keys);
    const b = await repo.get(no);
    if (!b) refuse('backfill_unknown', T.unknownNo(no || '?'));
    if (!b.confirmers.includes(ctx.person.userid)) refuse('backfill_not_yours', T.notYours(b.no));
    const roster = ctx.roster;
    const cadre = roster.cadres.get(b.userId);
    const view = {
      no: b.no,
      name: cadre?.name ?? b.userId,
      villageName: cadre ? roster.villageOf(cadre).name : '',
      date: b.date,
      reason: b.reason,
    };
    if (b.status !== 'pending') {
      return { text: T.alreadyDecided(b.no, T.stateNames[b.status]), ...(clicked ? { replaceButton: T.buttonDone[b.status] } : {}) };
    }
    const status = confirm ? 'confirmed' : 'rejected';
    const decided = { ...b, status, by: ctx.person.userid, at: ctx.now.toISOString(), comment: comment.join(' ') } as const;
    repo.save(ctx.tx, decided, false);
    if (confirm) {
      const ledger = new Ledger(ctx.deps.redis, ctx.deps.keys);
      const day = await ledger.day(b.userId, b.date);
      // The confirmed day counts from noon of that day, so it sorts among that day's records.
      const at = new Date(startOfLocalDay(b.date).getTime() + 12 * 3600_000).toISOString();
      ledger.add(ctx.tx, b.userId, b.date, day, {
        id: `backfill:${b.no}`,
        at,
        source: 'backfill',
        trust: 'confirmed',
        direction: 'in',
        inside: true,
        counts: true,
        notes: [b.reason],
      });
    }
    const by = ctx.person.name;
    ctx.send({
      key: `backfill:${b.no}:${status}`,
      to: { kind: 'user', userIds: [b.userId] },
      purpose: 'approval',
      body: { type: 'text', content: confirm ? T.toRequesterConfirmed(view, by) : T.toRequesterRejected(view, by, decided.comment) },
    });
    return {
      text: confirm ? T.confirmed(view) : T.rejected(view),
      ...(clicked ? { replaceButton: T.buttonDone[status] } : {}),
    };
  },
});
