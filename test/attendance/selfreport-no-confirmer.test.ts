/**
 * A self-reported location of a cadre nobody can confirm (no team leader, no township supervisor on the roster)
 * opens no confirmation request that would wait forever: it is kept as a plain record that does not count.
 */
import { describe, expect, it } from 'vitest';
import { BackfillRepo } from '../../src/attendance/backfill.js';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { recordCheckin } from '../../src/attendance/service.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { Tx } from '../../src/redis/tx.js';
import { Roster } from '../../src/roster/roster.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const roster = new Roster(sampleRosterData());
const cadre = roster.cadres.get('LiXiaoYan')!;
const village = roster.villageOf(cadre);

async function recordWith(confirmers: string[]) {
  const repo = new BackfillRepo(t.redis, t.keys);
  let asked = 0;
  const reviews = { repo, now: new Date('2026-11-18T09:00:00+08:00'), confirmers: () => (asked++, confirmers) };
  const desk = { ledger: new CheckinRepo(t.redis, t.keys), tx: new Tx(), rules: defaultPolicy().checkin, reviews };
  const input = {
    id: `m-${confirmers.length}`,
    at: new Date('2026-11-18T09:00:00+08:00'),
    source: 'message' as const,
    direction: 'in' as const,
    point: { lat: village.lat, lng: village.lng },
    label: '村委会',
  };
  return { recorded: await recordCheckin(desk, cadre, village, input), asked };
}

describe('a self-reported location with nobody to confirm it', () => {
  it('opens no request and does not count', async () => {
    const { recorded, asked } = await recordWith([]);
    expect(asked).toBe(1);
    expect(recorded.review).toBeUndefined();
    expect(recorded.record.counts).toBe(false);
    expect(recorded.record.review).toBeUndefined();
  });

  it('with a confirmer, opens the request', async () => {
    const { recorded } = await recordWith(['WangJianGuo']);
    expect(recorded.review).toMatchObject({ status: 'pending', confirmers: ['WangJianGuo'] });
  });
});
