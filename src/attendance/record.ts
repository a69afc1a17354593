/**
 * One check-in as the ledger keeps it, whatever its source. Trust says how far the location can be believed:
 * verified (device GPS inside WeCom, WeCom 打卡), self-reported (a point picked on the map), confirmed (a
 * back-fill a supervisor confirmed).
 */
export type CheckinSource = 'page' | 'auto' | 'message' | 'wecom' | 'backfill';
export type Trust = 'verified' | 'self-reported' | 'confirmed';

export interface CheckinRecord {
  /** Identity of the source event (update id, WeCom record id, back-fill number): the same event counts once. */
  id: string;
  /** ISO instant of the event. */
  at: string;
  source: CheckinSource;
  trust: Trust;
  /** `in` = 签到, `out` = 签退 (leaving; shown in the day's detail, never counts). */
  direction: 'in' | 'out';
  lat?: number;
  lng?: number;
  /** Metres from the village centre. */
  distanceM?: number;
  /** Metres of uncertainty the source reported (JS-SDK `accuracy`, LOCATION `Precision`). */
  accuracyM?: number;
  inside: boolean;
  /** Whether this record makes the day a presence day. */
  counts: boolean;
  label?: string;
  /** WeCom 打卡 exception types (地点异常, 非常用设备, …) or the back-fill reason. */
  notes?: string[];
  /** Set when the position is implausible: reached from the last known one faster than the policy allows. */
  flagged?: CheckinFlag;
  /**
   * A self-reported location inside the geofence under the policy's `confirm`: it waits for the team leader or
   * the township (pending, not counting), then counts (confirmed) or never does (rejected). `no` is the number
   * of the confirmation request (a `Backfill` of kind `location`).
   */
  review?: CheckinReview;
}

export type ReviewStatus = 'pending' | 'confirmed' | 'rejected';

export interface CheckinReview {
  status: ReviewStatus;
  no?: string;
}

/** True when a record waits for a confirmation. */
export function isPendingReview(r: Pick<CheckinRecord, 'review'>): boolean {
  return r.review?.status === 'pending';
}

/** Why a check-in is flagged for the supervisors. */
export interface CheckinFlag {
  kind: 'speed';
  /** Speed (km/h, rounded) needed to come from the previous position. */
  speedKmh: number;
  /** ISO instant of the previous position. */
  since: string;
}

/**
 * Highest trust of each source. A source that reports its accuracy (page, auto) keeps `verified` only when
 * the whole circle of uncertainty lies within the geofence (see `judgeCheckin`).
 */
export const TRUST: Record<CheckinSource, Trust> = {
  page: 'verified',
  auto: 'verified',
  wecom: 'verified',
  message: 'self-reported',
  backfill: 'confirmed',
};
