/**
 * Recording a check-in from a handler: judge it against the cadre's village and the policy, add it to the
 * ledger in the update's Tx, and say whether the day was already a presence day (for the reply). The person's
 * last known position (this day's or the day before's check-ins) goes into the plausibility check. Under the
 * policy's `confirm`, a self-reported location inside the village becomes a confirmation request
 * (one a day: a day already counting or already waiting needs no second one).
 */
import { addDays, localDate } from '../kit/dates.js';
import type { Policy } from '../policy/policy.js';
import type { Tx } from '../redis/tx.js';
import type { Cadre, Village } from '../roster/schema.js';
import { judgeCheckin, lastKnownPosition, type CheckinInput } from './checkin.js';
import type { Backfill, BackfillRepo } from './backfill.js';
import { dayPending, type CheckinRepo } from './ledger.js';
import { isPendingReview, type CheckinRecord } from './record.js';
import { locationReview } from './review.js';

/** How many check-ins one day keeps (the page, location messages and reports of one person). */
export const MAX_RECORDS_PER_DAY = 20;

export interface Recorded {
  record: CheckinRecord;
  date: string;
  /** False when the same event was recorded before, or the day is full (nothing staged). */
  added: boolean;
  /** The day already counted before this check-in. */
  wasPresent: boolean;
  /** The confirmation request this check-in opened (policy `confirm`). */
  review?: Backfill;
  /** The day already had a self-reported location waiting for confirmation. */
  wasPending: boolean;
}

/** Where a check-in is recorded: plain values, so the caller (a handler) decides where they come from. */
export interface CheckinDesk {
  ledger: CheckinRepo;
  /** The update's transaction; the record is staged in it. */
  tx: Tx;
  /** The policy's check-in rules (geofence radius, self-reported locations, speed limit). */
  rules: Policy['checkin'];
  /**
   * Where confirmation requests go, and who confirms this cadre's self-reported locations; `confirmers` is
   * asked only when a location needs a confirmation (rare next to automatic reports).
   */
  reviews?: { repo: BackfillRepo; confirmers: () => string[]; now: Date };
}

/** Judge a check-in of `cadre` at `village` and stage it in `desk.tx`; says whether the day already counted. */
export async function recordCheckin(
  desk: CheckinDesk,
  cadre: Cadre,
  village: Village,
  // Without `previous`: the last known position is this function's to find.
  input: Omit<CheckinInput, 'previous'> & { previous?: never },
): Promise<Recorded> {
  const { ledger, tx, rules: checkin } = desk;
  const date = localDate(input.at);
  // Served from the process's copy when it has one, checked by the commit.
  const existing = await ledger.dayToUpdate(tx, cadre.userid, date);
  // The last known position for the plausibility check: this day's records, else the day before's (read only
  // then: most check-ins of a day find one in the day itself).
  const previous =
    input.point &&
    (lastKnownPosition(existing, input.at) ??
      lastKnownPosition(await ledger.day(cadre.userid, addDays(date, -1)), input.at));
  const judged = judgeCheckin(previous ? { previous, ...input } : input, village, {
    defaultRadius: checkin.geofenceRadiusMetres,
    selfReported: checkin.selfReported,
    maxSpeedKmh: checkin.maxSpeedKmh,
  });
  const wasPresent = existing.some((r) => r.counts);
  const wasPending = dayPending(existing);
  const seen = existing.some((r) => r.id === judged.id);
  let record = judged;
  let review: Backfill | undefined;
  if (isPendingReview(judged)) {
    const { review: _pending, ...plain } = judged;
    const confirmers = wasPresent || wasPending || seen || !desk.reviews ? [] : desk.reviews.confirmers();
    // Nobody who could confirm it: a request would wait forever, so the location stays a plain, uncounted record.
    if (!confirmers.length || !desk.reviews) record = plain;
    else {
      // Named after the check-in, not numbered from a shared counter: check-ins of a whole county arrive within
      // the same minutes, and a counter would make them wait on each other.
      const no = `S-${judged.id}`;
      record = { ...judged, review: { status: 'pending', no } };
      review = locationReview(no, cadre, date, record, confirmers, desk.reviews.now);
      desk.reviews.repo.save(tx, review);
    }
  }
  // A full day takes a check-in only when it makes the day count: someone sending locations all day long (or a
  // client stuck in a loop) cannot grow the day's record, and every later check-in's cost, without bound.
  const full = existing.length >= MAX_RECORDS_PER_DAY && !(record.counts && !wasPresent) && !review;
  const added = !full && ledger.add(tx, cadre.userid, date, existing, record);
  return { record, date, added, wasPresent, wasPending, ...(review ? { review } : {}) };
}
