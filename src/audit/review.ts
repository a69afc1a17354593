/**
 * Recording a confirmer's decision on a 补登 or a self-reported location (both are back-fill requests, decided by
 * `backfillDecision`): which kind of entry it is comes from the request, since `确认补登 B12` may also decide a
 * self-reported location by its number.
 */
import type { Backfill } from '../attendance/backfill.js';
import type { BackfillStatus, DecidedBackfill } from '../attendance/backfill-decision.js';
import { localDate } from '../kit/dates.js';
import * as A from '../../templates/audit.js';
import { auditChat, type ChatAuditContext } from './chat.js';
import type { AuditKind } from './trail.js';

function kindOf(b: Backfill, status: BackfillStatus): AuditKind {
  if (b.kind === 'location') return status === 'confirmed' ? 'selfreport.confirm' : 'selfreport.reject';
  return status === 'confirmed' ? 'backfill.approve' : 'backfill.reject';
}

/** Stage the record of `decided` (the request `b` as read, decided by the update's sender). */
export function auditReview(ctx: ChatAuditContext, b: Backfill, decided: DecidedBackfill): void {
  // A decided request is confirmed or rejected (`backfillDecision` never leaves one pending).
  const status: BackfillStatus = decided.status === 'rejected' ? 'rejected' : 'confirmed';
  const comment = decided.comment || undefined;
  auditChat(ctx, {
    kind: kindOf(b, status),
    ref: b.no,
    subject: b.userId,
    summary:
      b.kind === 'location'
        ? A.selfReportDecision(b.checkin?.at ?? b.createdAt, b.checkin?.distanceM, status, comment)
        : A.backfillDecision(b.date, localDate(ctx.now), status, comment),
  });
}
