/**
 * Recording a check-in from a handler: judge it against the cadre's village and the policy, add it to the
 * ledger in the update's Tx, and say whether the day was already a presence day (for the reply). The person's
 * last known position (this day's or the day before's check-ins) goes into the plausibility check.
 */
import type { Context } from '../core/command.js';
import { addDays, localDate } from '../core/dates.js';
import type { Cadre } from '../roster/schema.js';
import { judgeCheckin, lastKnownPosition, type CheckinInput } from './checkin.js';
import type { CheckinRecord } from './record.js';

export interface Recorded {
  record: CheckinRecord;
  date: string;
  /** False when the same event was recorded before (nothing staged). */
  added: boolean;
  /** The day already counted before this check-in. */
  wasPresent: boolean;
}

export async function recordCheckin(ctx: Context, cadre: Cadre, input: CheckinInput): Promise<Recorded> {
  const village = ctx.roster.villageOf(cadre);
  const { checkin } = ctx.deps.policy;
  const date = localDate(input.at);
  const ledger = ctx.repos.checkins;
  const existing = await ledger.day(cadre.userid, date);
  // The last known position for the plausibility check: this day's records, else the day before's.
  const previous =
    input.point && (lastKnownPosition(existing, input.at) ?? lastKnownPosition(await ledger.day(cadre.userid, addDays(date, -1)), input.at));
  const record = judgeCheckin({ ...input, ...(previous ? { previous } : {}) }, village, {
    defaultRadius: checkin.geofenceRadiusMetres,
    selfReportedCounts: checkin.selfReportedCounts,
    maxSpeedKmh: checkin.maxSpeedKmh,
  });
  const wasPresent = existing.some((r) => r.counts);
  const added = ledger.add(ctx.tx, cadre.userid, date, existing, record);
  return { record, date, added, wasPresent };
}
