import { describe, expect, it } from 'vitest';
import type { WecomCheckinData } from '../../src/attendance/wecom-checkin.js';
import { MAX_SPAN_S, syncDays, windows, type SyncState } from '../../src/jobs/checkin-sync.js';

const BEIBAO = { lat: 35.6652, lng: 111.3046, radius: 1000 };
const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const rec = (userid: string, iso: string, extra: Partial<WecomCheckinData> = {}): WecomCheckinData => ({
  userid,
  checkin_type: '上班打卡',
  checkin_time: at(iso),
  lat: Math.round(BEIBAO.lat * 1e6),
  lng: Math.round(BEIBAO.lng * 1e6),
  exception_type: '',
  ...extra,
});

function state(records: WecomCheckinData[], existing: SyncState['existing'] = {}): SyncState {
  return {
    pulls: [{ townshipId: 'gaocun', from: 0, to: 1, records }],
    villages: { a: BEIBAO, b: BEIBAO },
    existing,
    rules: { defaultRadius: 1000, selfReported: 'count', maxSpeedKmh: 120 },
  };
}

describe('checkin-sync plan', () => {
  it('judges records by the geofence and groups them by cadre and local day', () => {
    const days = syncDays(
      state([
        rec('a', '2026-11-18T08:05:00+08:00'),
        rec('a', '2026-11-18T18:05:00+08:00', { checkin_type: '下班打卡' }),
        rec('b', '2026-11-18T07:55:00+08:00', { lat: Math.round((BEIBAO.lat + 0.05) * 1e6) }),
        rec('a', '2026-11-17T23:30:00+08:00'),
      ]),
    );
    expect(days.map((d) => [d.userId, d.date, d.added.length])).toEqual([
      ['a', '2026-11-18', 2],
      ['b', '2026-11-18', 1],
      ['a', '2026-11-17', 1],
    ]);
    expect(days[0]!.added.map((r) => [r.direction, r.counts, r.trust, r.source])).toEqual([
      ['in', true, 'verified', 'wecom'],
      ['out', false, 'verified', 'wecom'],
    ]);
    expect(days[1]!.added[0]).toMatchObject({ inside: false, counts: false });
  });

  it('skips 未打卡 rows, people not on the roster, and records the ledger already has', () => {
    const seen = rec('a', '2026-11-18T08:05:00+08:00');
    const first = syncDays(state([seen]))[0]!.added[0]!;
    const days = syncDays(
      state(
        [
          seen,
          seen,
          rec('a', '2026-11-18T09:00:00+08:00', { exception_type: '未打卡' }),
          rec('zz', '2026-11-18T08:00:00+08:00'),
        ],
        { 'a|2026-11-18': [first] },
      ),
    );
    expect(days).toEqual([]);
  });

  it('cuts a long gap into windows of at most 30 days', () => {
    const from = at('2026-10-01T00:00:00+08:00');
    const to = at('2026-11-15T00:00:00+08:00');
    const w = windows(from, to);
    expect(w).toHaveLength(2);
    expect(w[0]).toEqual([from, from + MAX_SPAN_S]);
    expect(w[1]).toEqual([from + MAX_SPAN_S, to]);
    expect(windows(to, to)).toEqual([]);
  });
});
