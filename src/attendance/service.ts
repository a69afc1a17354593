/**
 * Recording a check-in from a handler: judge it against the cadre's village and the policy, add it to the
 * ledger in the update's Tx, and say whether the day was already a presence day (for the reply). The person's
 * last known position (this day's or the day before's check-ins) goes into the plausibility check.
 */
import { addDays, localDate } from '../kit/dates.js';
import type { Policy } from '../policy/policy.js';
import type { Tx } from '../redis/tx.js';
import type { Cadre, Village } from '../roster/schema.js';
import { judgeCheckin, lastKnownPosition, type CheckinInput } from './checkin.js';
import type { CheckinRepo } from './ledger.js';
import type { CheckinRecord } from './record.js';

export interface Recorded {
  record: CheckinRecord;
  date: string;
  /** False when the same event was recorded before (nothing staged). */
  added: boolean;
  /** The day already counted before this check-in. */
  wasPresent: boolean;
}

/** Where a check-in is recorded: plain values, so the caller (a handler) decides where they come from. */
export interface CheckinDesk {
  ledger: CheckinRepo;
  /** The update's transaction; the record is staged in it. */
  tx: Tx;
  /** The policy's check-in rules (geofence radius, self-reported locations, speed limit). */
  rules: Policy['checkin'];
}

/** Judge a check-in of `cadre` at `village` and stage it in `desk.tx`; says whether the day already counted. */
export async function recordCheckin(
  desk: CheckinDesk,
  cadre: Cadre,
  village: Village,
  input: CheckinInput,
): Promise<Recorded> {
  const { ledger, tx, rules: checkin } = desk;
  const date = localDate(input.at);
  const existing = await ledger.day(cadre.userid, date);
  // The last known position for the plausibility check: this day's records, else the day before's.
  const previous =
    input.point &&
    (lastKnownPosition(existing, input.at) ??
      lastKnownPosition(await ledger.day(cadre.userid, addDays(date, -1)), input.at));
  const record = judgeCheckin({ ...input, ...(previous ? { previous } : {}) }, village, {
    defaultRadius: checkin.geofenceRadiusMetres,
    selfReportedCounts: checkin.selfReported !== 'refuse',
    maxSpeedKmh: checkin.maxSpeedKmh,
  });
  const wasPresent = existing.some((r) => r.counts);
  const added = ledger.add(tx, cadre.userid, date, existing, record);
  return { record, date, added, wasPresent };
}
