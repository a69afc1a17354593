/**
 * Turning a location into a check-in: distance to the village, inside or outside the geofence, trust by
 * source and accuracy, plausibility against the person's last known position, and whether it counts under
 * the policy. Pure, so every source (page, LOCATION event, location message, WeCom 打卡) is judged by the
 * same rule.
 */
import type { SelfReported } from '../policy/policy.js';
import { distanceMetres, type Point } from './geo.js';
import { TRUST, type CheckinFlag, type CheckinRecord, type CheckinSource, type Trust } from './record.js';

export interface FenceRules {
  /** Default geofence radius (m) for villages without their own. */
  defaultRadius: number;
  /**
   * What a self-reported location (a point picked on the map, or a position too imprecise to verify) inside the
   * geofence does: `confirm` waits for the team leader or township, `count` counts at once, `refuse` never.
   */
  selfReported: SelfReported;
  /** Fastest plausible travel (km/h) between two positions of one person; faster is flagged. */
  maxSpeedKmh: number;
}

/** A position the person was known to be at, for the plausibility check. */
export interface KnownPosition extends Point {
  at: Date;
  accuracyM?: number;
}

export interface CheckinInput {
  id: string;
  at: Date;
  source: CheckinSource;
  direction: 'in' | 'out';
  point?: Point;
  /** Metres of uncertainty the device reported (JS-SDK `accuracy`, LOCATION `Precision`). */
  accuracyM?: number;
  /** The person's last known position before this one (`lastKnownPosition`). */
  previous?: KnownPosition;
  label?: string;
  notes?: string[];
}

/**
 * Sources whose position is measured by the device and reported with its accuracy. Such a position is
 * verified only when the whole circle of uncertainty lies within the geofence; without an accuracy it cannot
 * be verified at all. WeCom 打卡 reports no accuracy and is judged by WeCom's own location rule.
 */
const MEASURED: ReadonlySet<CheckinSource> = new Set(['page', 'auto']);

/** Judge one check-in against the cadre's village; the result is what the ledger stores. */
export function judgeCheckin(
  input: CheckinInput,
  village: Point & { radius?: number },
  rules: FenceRules,
): CheckinRecord {
  const radius = village.radius ?? rules.defaultRadius;
  const distance = input.point ? distanceMetres(input.point, village) : undefined;
  const distanceM = distance !== undefined ? Math.round(distance) : undefined;
  // A WeCom 打卡 record without coordinates is judged by WeCom's own location rule (地点异常 or not).
  const inside =
    distance !== undefined ? distance <= radius : input.source === 'wecom' && !input.notes?.includes('地点异常');
  const trust = trustOf(input, distance, radius);
  const claims = input.direction === 'in' && inside;
  const self = trust === 'self-reported';
  const counts = claims && (!self || rules.selfReported === 'count');
  const pending = claims && self && rules.selfReported === 'confirm';
  const flagged =
    input.point && input.previous
      ? speedFlag(
          input.previous,
          { lat: input.point.lat, lng: input.point.lng, at: input.at, accuracyM: input.accuracyM },
          rules.maxSpeedKmh,
        )
      : undefined;
  return {
    id: input.id,
    at: input.at.toISOString(),
    source: input.source,
    trust,
    direction: input.direction,
    ...(input.point ? { lat: input.point.lat, lng: input.point.lng } : {}),
    ...(distanceM !== undefined ? { distanceM } : {}),
    ...(input.accuracyM !== undefined ? { accuracyM: Math.round(input.accuracyM) } : {}),
    inside,
    counts,
    ...(input.label ? { label: input.label } : {}),
    ...(input.notes?.length ? { notes: input.notes } : {}),
    ...(flagged ? { flagged } : {}),
    ...(pending ? { review: { status: 'pending' as const } } : {}),
  };
}

function trustOf(input: CheckinInput, distance: number | undefined, radius: number): Trust {
  const trust = TRUST[input.source];
  if (!MEASURED.has(input.source)) return trust;
  if (distance === undefined || input.accuracyM === undefined || !Number.isFinite(input.accuracyM))
    return 'self-reported';
  return distance + input.accuracyM <= radius ? trust : 'self-reported';
}

/**
 * The flag for a position reached from `prev` faster than `maxKmh`, or undefined. The distance is reduced by
 * both accuracies, so that GPS jitter between two quick check-ins is not taken for travel.
 */
export function speedFlag(prev: KnownPosition, cur: KnownPosition, maxKmh: number): CheckinFlag | undefined {
  const metres = distanceMetres(prev, cur) - (prev.accuracyM ?? 0) - (cur.accuracyM ?? 0);
  if (metres <= 0) return undefined;
  // At least one second apart, so that two positions at the same instant give a finite speed.
  const hours = Math.max(Math.abs(cur.at.getTime() - prev.at.getTime()), 1000) / 3_600_000;
  const speedKmh = metres / 1000 / hours;
  return speedKmh > maxKmh
    ? { kind: 'speed', speedKmh: Math.round(speedKmh), since: prev.at.toISOString() }
    : undefined;
}

/**
 * `iso` before the instant `atIso` / `atMs`. Records keep their time as `toISOString` writes it, and two such
 * texts compare as their instants do: no date parsing for each of the day's records on every check-in.
 */
function isBefore(iso: string, atIso: string | undefined, atMs: number): boolean {
  return atIso !== undefined && iso.length === 24 && iso.endsWith('Z') ? iso < atIso : Date.parse(iso) < atMs;
}

/** The latest of `records` with coordinates strictly before `at`: the person's last known position then. */
export function lastKnownPosition(records: readonly CheckinRecord[], at: Date): KnownPosition | undefined {
  let best: CheckinRecord | undefined;
  const atMs = at.getTime();
  // Compared as text only in the form of years 0–9999 (from 10000 on, toISOString writes `+010000-…`).
  const atIso = at.toISOString();
  const asText = atIso.length === 24;
  for (const r of records) {
    if (r.lat === undefined || r.lng === undefined || !isBefore(r.at, asText ? atIso : undefined, atMs)) continue;
    if (!best || r.at > best.at) best = r;
  }
  if (!best) return undefined;
  return {
    lat: best.lat!,
    lng: best.lng!,
    at: new Date(best.at),
    ...(best.accuracyM !== undefined ? { accuracyM: best.accuracyM } : {}),
  };
}
