/**
 * A confirmer's decision on a back-fill. Pure, like leave's `decide`: the handler reads the back-fill, this says
 * whether the person may decide it and what changes, and the handler saves that.
 */
import { startOfLocalDay } from '../kit/dates.js';
import type { Backfill } from './backfill.js';
import type { CheckinRecord } from './record.js';

export type BackfillStatus = 'confirmed' | 'rejected';

/** A decided back-fill: who decided, when, and their comment (the reason of a rejection; may be empty). */
export type DecidedBackfill = Backfill & Required<Pick<Backfill, 'by' | 'at' | 'comment'>>;

export type BackfillDecision =
  /** `record` is the check-in a confirmation adds to the ledger; a rejection adds none. */
  | { ok: true; decided: DecidedBackfill; record?: CheckinRecord }
  /** Not one of the cadre's confirmers, or the back-fill was decided before (the first decision wins). */
  | { ok: false; refusal: { code: 'backfill_not_yours' } | { code: 'backfill_decided'; status: BackfillStatus } };

/** The day a confirmed back-fill counts: from noon of that day, so it sorts among that day's records. */
export function confirmedRecord(b: Backfill): CheckinRecord {
  return {
    id: `backfill:${b.no}`,
    at: new Date(startOfLocalDay(b.date).getTime() + 12 * 3600_000).toISOString(),
    source: 'backfill',
    trust: 'confirmed',
    direction: 'in',
    inside: true,
    counts: true,
    notes: [b.reason],
  };
}

/** `by` decides `b` at `now`: only one of its confirmers, and only while it is pending. */
export function backfillDecision(
  b: Backfill,
  by: string,
  status: BackfillStatus,
  now: Date,
  comment: string,
): BackfillDecision {
  if (!b.confirmers.includes(by)) return { ok: false, refusal: { code: 'backfill_not_yours' } };
  if (b.status !== 'pending') return { ok: false, refusal: { code: 'backfill_decided', status: b.status } };
  const decided: DecidedBackfill = { ...b, status, by, at: now.toISOString(), comment };
  return status === 'confirmed' ? { ok: true, decided, record: confirmedRecord(b) } : { ok: true, decided };
}
