/**
 * Self-reported locations waiting for confirmation (the policy's `checkin.selfReported: confirm`). The request
 * is a back-fill of kind `location`: it is stored with its confirmers, waits in their review inbox and is decided
 * exactly like a 补登 (`backfillDecision`: only a confirmer, the first decision wins). What differs is its effect: a
 * confirmed 补登 adds a check-in, a confirmed location turns its own pending record into a counting one.
 */
import type { Tx } from '../redis/tx.js';
import type { Cadre } from '../roster/schema.js';
import type { Backfill, BackfillRepo } from './backfill.js';
import { confirmedRecord, type DecidedBackfill } from './backfill-decision.js';
import type { CheckinRepo } from './ledger.js';
import type { CheckinRecord } from './record.js';

/** The confirmation request (id `no`, named after the check-in) of a pending record of `date`. */
export function locationReview(
  no: string,
  cadre: Cadre,
  date: string,
  r: CheckinRecord,
  confirmers: string[],
  now: Date,
): Backfill {
  return {
    no,
    userId: cadre.userid,
    date,
    reason: r.label ?? '',
    confirmers,
    createdAt: now.toISOString(),
    status: 'pending',
    kind: 'location',
    checkin: {
      id: r.id,
      at: r.at,
      ...(r.distanceM !== undefined ? { distanceM: r.distanceM } : {}),
      ...(r.label ? { label: r.label } : {}),
    },
  };
}

/**
 * Stage a decided request and its effect on the ledger: a confirmed 补登 adds its check-in; a decided location
 * confirms or rejects its record. `before` is the request as read.
 */
export async function applyDecision(
  repos: { backfills: BackfillRepo; checkins: CheckinRepo },
  tx: Tx,
  before: Backfill,
  decided: DecidedBackfill,
): Promise<void> {
  repos.backfills.save(tx, decided, { previous: before });
  const ledger = repos.checkins;
  const day = await ledger.day(before.userId, before.date);
  if (before.kind === 'location' && before.checkin) {
    ledger.review(tx, before.userId, before.date, day, before.checkin.id, decided.status);
  } else if (decided.status === 'confirmed') {
    ledger.add(tx, before.userId, before.date, day, confirmedRecord(before));
  }
}
