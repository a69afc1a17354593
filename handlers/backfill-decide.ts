import { backfillDecision, type BackfillStatus } from '../src/attendance/backfill-decision.js';
import { applyDecision } from '../src/attendance/review.js';
import { auditReview } from '../src/audit/review.js';
import { defineCommand, type CommandHelp, type Context } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import type { Reply } from '../src/core/reply.js';
import * as T from '../templates/backfill.js';

/**
 * Decide a back-fill, from text (`确认补登 B1001`, `驳回补登 B1001 原因`) or a card button
 * (`backfill-confirm:B1001`). Which decision it is comes from the command that matched, never from the raw
 * text, which the registry reads after dropping a leading `/` and folding full-width characters. Only the
 * cadre's team leaders and township supervisors may decide; the first decision wins and a second says so.
 * Read the back-fill, decide (`backfillDecision`, pure), then save it and, when confirmed, the day's record.
 */
async function decideBackfill(ctx: Context, status: BackfillStatus, rest: string): Promise<Reply> {
  const clicked = ctx.update.kind === 'event';
  const [no = '', ...comment] = rest.trim().split(/\s+/);
  const repo = ctx.repos.backfills;
  const b = await repo.get(no);
  if (!b) refuse('backfill_unknown', T.unknownNo(no || '?'));
  const outcome = backfillDecision(b, ctx.person.userid, status, ctx.now, comment.join(' '));
  if (!outcome.ok) {
    const r = outcome.refusal;
    if (r.code === 'backfill_not_yours') refuse('backfill_not_yours', T.notYours(b.no));
    return {
      text: T.alreadyDecided(b.no, T.stateNames[r.status]),
      ...(clicked ? { replaceButton: T.buttonDone[r.status] } : {}),
    };
  }
  const roster = ctx.roster;
  const cadre = roster.cadres.get(b.userId);
  const view = {
    no: b.no,
    name: cadre?.name ?? b.userId,
    villageName: cadre ? roster.villageOf(cadre).name : '',
    date: b.date,
    reason: b.reason,
  };
  const { decided } = outcome;
  const confirm = status === 'confirmed';
  // A self-reported location (kind `location`) may be decided by its number too; its own record then counts.
  await applyDecision(ctx.repos, ctx.tx, b, decided);
  auditReview(ctx, b, decided);
  const by = ctx.person.name;
  ctx.send({
    key: `backfill:${b.no}:${status}`,
    to: { kind: 'user', userIds: [b.userId] },
    purpose: 'approval',
    body: {
      type: 'text',
      content: confirm ? T.toRequesterConfirmed(view, by) : T.toRequesterRejected(view, by, decided.comment),
    },
  });
  ctx.log.info({ no: b.no, status }, 'back-fill decided');
  return {
    text: confirm ? T.confirmed(view) : T.rejected(view),
    ...(clicked ? { replaceButton: T.buttonDone[status] } : {}),
  };
}

function decideCommand(id: string, aliases: string[], status: BackfillStatus, help: CommandHelp) {
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
