/**
 * A visit (到村调研) of a leader to a village: a county leader, one of the village's four contacts or a sending
 * unit's leader checks in at the village with the check-in page or an automatic location report. It is recorded
 * only inside the village's geofence, judged like a cadre's check-in (docs/rules.md, 到村调研): the device's
 * position and its accuracy must lie wholly within the village's radius (the policy's radius for a village
 * without its own). Pure.
 */
import { judgeCheckin, type FenceRules } from '../attendance/checkin.js';
import type { Point } from '../attendance/geo.js';
import type { Village } from '../roster/schema.js';
import type { UnitRole } from '../roster/roster.js';

export interface VisitPhoto {
  mediaId?: string;
  url?: string;
  /** ISO time the photo arrived. */
  at: string;
}

export interface Visit {
  /** Short number such as `V1001`. */
  no: string;
  userId: string;
  /** Village id. */
  village: string;
  /** ISO time of the position. */
  at: string;
  source: 'page' | 'auto';
  distanceM: number;
  accuracyM?: number;
  /** What was discussed (调研指导的内容), when the leader wrote it. */
  note?: string;
  photos: VisitPhoto[];
  /**
   * The sending units the visitor led, as which, whose cadres served in the village when it was recorded: the
   * visit counts towards these units' obligations (main leader once a term, deputy once every half year).
   */
  units: UnitRole[];
}

/** Longest note kept (characters). */
export const MAX_VISIT_NOTE_CHARS = 500;

export type VisitJudgement =
  | { ok: true; distanceM: number; accuracyM?: number }
  /** Outside the geofence: how far from the village's centre, and the radius. */
  | { ok: false; reason: 'outside'; distanceM: number; radiusM: number }
  /** Inside, but the position is too imprecise to say so (distance + accuracy beyond the radius). */
  | { ok: false; reason: 'imprecise'; distanceM: number; accuracyM?: number; radiusM: number };

/** Judge a measured position (page or LOCATION event) against a village's geofence, as a check-in is judged. */
export function judgeVisit(
  point: Point,
  accuracyM: number | undefined,
  village: Village,
  rules: Pick<FenceRules, 'defaultRadius'>,
): VisitJudgement {
  const radiusM = village.radius ?? rules.defaultRadius;
  const r = judgeCheckin(
    {
      id: 'visit',
      at: new Date(0),
      source: 'page',
      direction: 'in',
      point,
      ...(accuracyM !== undefined ? { accuracyM } : {}),
    },
    village,
    { defaultRadius: rules.defaultRadius, selfReported: 'refuse', maxSpeedKmh: Number.MAX_SAFE_INTEGER },
  );
  const distanceM = r.distanceM ?? 0;
  if (!r.inside) return { ok: false, reason: 'outside', distanceM, radiusM };
  if (r.trust !== 'verified')
    return {
      ok: false,
      reason: 'imprecise',
      distanceM,
      ...(r.accuracyM !== undefined ? { accuracyM: r.accuracyM } : {}),
      radiusM,
    };
  return { ok: true, distanceM, ...(r.accuracyM !== undefined ? { accuracyM: r.accuracyM } : {}) };
}
