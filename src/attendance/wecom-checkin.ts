/**
 * WeCom 打卡 records (`checkin/getcheckindata`, [D:90262]) as check-in inputs for the ledger. WeCom gives
 * `lat`/`lng` as millionths of a degree in GCJ-02, the same system as our village coordinates (Tencent maps).
 * A record of type 未打卡 ("did not check in") is a missing check-in, not a check-in, and is skipped.
 */
import type { CheckinInput } from './checkin.js';

/** One element of `checkindata[]`, field names exactly as documented. */
export interface WecomCheckinData {
  userid: string;
  groupname?: string;
  checkin_type: string;
  exception_type?: string;
  checkin_time: number;
  location_title?: string;
  location_detail?: string;
  notes?: string;
  lat?: number;
  lng?: number;
}

export function fromWecomCheckin(r: WecomCheckinData): CheckinInput | undefined {
  const exceptions = (r.exception_type ?? '')
    .split(/[;,；，]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (exceptions.includes('未打卡')) return undefined;
  const hasPoint = typeof r.lat === 'number' && typeof r.lng === 'number' && (r.lat !== 0 || r.lng !== 0);
  return {
    id: `wecom:${r.userid}:${r.checkin_time}:${r.checkin_type}`,
    at: new Date(r.checkin_time * 1000),
    source: 'wecom',
    direction: r.checkin_type === '下班打卡' ? 'out' : 'in',
    ...(hasPoint ? { point: { lat: r.lat! / 1e6, lng: r.lng! / 1e6 } } : {}),
    label: r.location_title || r.location_detail || undefined,
    notes: exceptions,
  };
}
