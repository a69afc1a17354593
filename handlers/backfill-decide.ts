import { defineCommand, type CommandHelp, type Context } from '../src/core/command.js';
import { startOfLocalDay } from '../src/core/dates.js';
import { refuse } from '../src/core/errors.js';
import type { Reply } from '../src/core/reply.js';
import * as T from '../templates/backfill.js';

type Decision = 'confirmed' | 'rejected';

/**
 * Decide a back-fill, from text (`确认补登 B1001`, `驳回补登 B1001 原因`) or a card button
 * (`backfill-confirm:B1001`). Which decision it is comes from the command that matched, never from the raw
 * text, which the registry reads after dropping a leading `/` and folding full-width characters. Only the
 * cadre's team leaders and township supervisors may decide; the first decision wins and a second says so.
 */
async function decideBackfill(ctx: Context, status: Decision, rest: string): Promise<Reply> {
  const clicked = ctx.update.kind === 'event';
  const [no = '', ...comment] = rest.trim().split(/\s+/);
  const repo = ctx.repos.backfills;
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
  const confirm = status === 'confirmed';
  const decided = { ...b, status, by: ctx.person.userid, at: ctx.now.toISOString(), comment: comment.join(' ') };
  repo.save(ctx.tx, decided, { previous: b });
  if (confirm) {
    const ledger = ctx.repos.checkins;
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
  ctx.log.info({ no: b.no, status }, 'back-fill decided');
  return {
    text: confirm ? T.confirmed(view) : T.rejected(view),
    ...(clicked ? { replaceButton: T.buttonDone[status] } : {}),
  };
}

function decideCommand(id: string, aliases: string[], status: Decision, help: CommandHelp) {
  return defineCommand({
    id,
    aliases,
    roles: ['team-leader', 'township'],
    // The reply names the cadre and the day.
    privateOnly: true,
    help,
    actions: [id],
    handle: (ctx, rest) => decideBackfill(ctx, status, rest),
  });
}

/** `确认补登 B1001` and the card's 确认 button (`backfill-confirm:B1001`). */
export const confirmBackfill = decideCommand('backfill-confirm', ['确认补登'], 'confirmed', T.help.backfillConfirm);

/** `驳回补登 B1001 原因` and the card's 驳回 button (`backfill-reject:B1001`). */
export const rejectBackfill = decideCommand('backfill-reject', ['驳回补登'], 'rejected', T.help.backfillReject);
