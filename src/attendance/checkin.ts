/**
 * Turning a location into a check-in: distance to the village, inside or outside the geofence, trust by
 * source, and whether it counts under the policy. Pure, so every source (page, LOCATION event, location
 * message, WeCom 打卡) is judged by the same rule.
 */
import { distanceMetres, type Point } from './geo.js';
import { TRUST, type CheckinRecord, type CheckinSource } from './record.js';

export interface FenceRules {
  /** Default geofence radius (m) for villages without their own. */
  defaultRadius: number;
  /** Whether a self-reported location (a point picked on the map) counts. */
  selfReportedCounts: boolean;
}

export interface CheckinInput {
  id: string;
  at: Date;
  source: CheckinSource;
  direction: 'in' | 'out';
  point?: Point;
  label?: string;
  notes?: string[];
}

/** Judge one check-in against the cadre's village; the result is what the ledger stores. */
export function judgeCheckin(input: CheckinInput, village: Point & { radius?: number }, rules: FenceRules): CheckinRecord {
  const radius = village.radius ?? rules.defaultRadius;
  const trust = TRUST[input.source];
  const distanceM = input.point ? Math.round(distanceMetres(input.point, village)) : undefined;
  // A WeCom 打卡 record without coordinates is judged by WeCom's own location rule (地点异常 or not).
  const inside = input.point
    ? distanceMetres(input.point, village) <= radius
    : input.source === 'wecom' && !input.notes?.includes('地点异常');
  const counts =
    input.direction === 'in' && inside && (trust !== 'self-reported' || rules.selfReportedCounts);
  return {
    id: input.id,
    at: input.at.toISOString(),
    source: input.source,
    trust,
    direction: input.direction,
    ...(input.point ? { lat: input.point.lat, lng: input.point.lng } : {}),
    ...(distanceM !== undefined ? { distanceM } : {}),
    inside,
    counts,
    ...(input.label ? { label: input.label } : {}),
    ...(input.notes?.length ? { notes: input.notes } : {}),
  };
}
