/**
 * A day keeps at most MAX_RECORDS_PER_DAY check-ins: later ones are answered but not stored, except one that
 * makes the day count.
 */
import { describe, expect, it } from 'vitest';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { MAX_RECORDS_PER_DAY, recordCheckin } from '../../src/attendance/service.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { Tx } from '../../src/redis/tx.js';
import { Roster } from '../../src/roster/roster.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const roster = new Roster(sampleRosterData());
const cadre = roster.cadres.get('LiXiaoYan')!;
const village = roster.villageOf(cadre);
const ledger = new CheckinRepo(t.redis, t.keys);
const rules = { ...defaultPolicy().checkin, selfReported: 'count' as const };

async function checkIn(n: number, inside: boolean) {
  const tx = new Tx();
  const r = await recordCheckin({ ledger, tx, rules }, cadre, village, {
    id: `m-${n}`,
    at: new Date(`2026-11-18T09:${String(n).padStart(2, '0')}:00+08:00`),
    source: 'message',
    direction: 'in',
    point: inside ? { lat: village.lat, lng: village.lng } : { lat: village.lat + 0.3, lng: village.lng },
  });
  await tx.commit(t.redis);
  return r;
}

describe('the check-ins one day keeps', () => {
  it('stores no more than the cap, but still the one that makes the day count', async () => {
    for (let n = 0; n < MAX_RECORDS_PER_DAY; n++) expect((await checkIn(n, false)).added).toBe(true);
    const extra = await checkIn(MAX_RECORDS_PER_DAY, false);
    expect(extra.added).toBe(false);
    expect(await ledger.day(cadre.userid, '2026-11-18')).toHaveLength(MAX_RECORDS_PER_DAY);
    const counting = await checkIn(MAX_RECORDS_PER_DAY + 1, true);
    expect(counting).toMatchObject({ added: true, wasPresent: false, record: { counts: true } });
    expect(await ledger.day(cadre.userid, '2026-11-18')).toHaveLength(MAX_RECORDS_PER_DAY + 1);
    expect((await checkIn(MAX_RECORDS_PER_DAY + 2, true)).added).toBe(false);
    expect(await ledger.day(cadre.userid, '2026-11-18')).toHaveLength(MAX_RECORDS_PER_DAY + 1);
  });
});
