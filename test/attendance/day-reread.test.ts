/**
 * A day read again: the repo keeps the records of days read lately with the text they were parsed from, so a
 * person checking in several times a day is not parsed again. What another process (or another repo) wrote
 * meanwhile is read, never the remembered records; the records handed out are shared, so they are frozen, and
 * the list is the caller's own.
 */
import { describe, expect, it, vi } from 'vitest';
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
const rules = defaultPolicy().checkin;
const DATE = '2026-11-18';

async function checkIn(ledger: CheckinRepo, n: number) {
  const tx = new Tx();
  await recordCheckin({ ledger, tx, rules }, cadre, village, {
    id: `m-${n}`,
    at: new Date(`${DATE}T09:${String(n).padStart(2, '0')}:00+08:00`),
    source: 'message',
    direction: 'in',
    point: { lat: village.lat, lng: village.lng },
  });
  await tx.commit(t.redis);
}

describe('a day read again', () => {
  it('reads what another process wrote since, and hands out frozen records in a list of its own', async () => {
    const here = new CheckinRepo(t.redis, t.keys);
    const elsewhere = new CheckinRepo(t.redis, t.keys);
    await checkIn(here, 1);
    const first = await here.day(cadre.userid, DATE);
    expect(first.map((r) => r.id)).toEqual(['m-1']);

    // Unchanged: the same records, in a new list each time.
    const again = await here.day(cadre.userid, DATE);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    again.push(again[0]!);
    expect(await here.day(cadre.userid, DATE)).toHaveLength(1);
    expect(Object.isFrozen(first[0])).toBe(true);
    expect(() => {
      (first[0] as { counts: boolean }).counts = false;
    }).toThrow(TypeError);

    // Another process adds a check-in: this repo reads it, and its own next check-in keeps both.
    await checkIn(elsewhere, 2);
    expect((await here.day(cadre.userid, DATE)).map((r) => r.id)).toEqual(['m-1', 'm-2']);
    await checkIn(here, 3);
    expect((await elsewhere.day(cadre.userid, DATE)).map((r) => r.id)).toEqual(['m-1', 'm-2', 'm-3']);

    // Changed in place (same length, another record): read anew too.
    const raw = await t.redis.hget(t.keys.checkins(cadre.userid, DATE.slice(0, 7)), DATE);
    await t.redis.hset(t.keys.checkins(cadre.userid, DATE.slice(0, 7)), DATE, raw!.replace('"m-3"', '"m-9"'));
    expect((await here.day(cadre.userid, DATE)).map((r) => r.id)).toEqual(['m-1', 'm-2', 'm-9']);
  });

  it('is not sent again by Redis while unchanged', async () => {
    const here = new CheckinRepo(t.redis, t.keys);
    await checkIn(here, 4);
    const replies: unknown[] = [];
    const evalsha = t.redis.evalsha.bind(t.redis);
    const spy = vi.spyOn(t.redis, 'evalsha').mockImplementation(((...args: Parameters<typeof evalsha>) => {
      const p = evalsha(...args);
      void p.then((r) => replies.push(r));
      return p;
    }) as typeof evalsha);
    try {
      const reader = new CheckinRepo(t.redis, t.keys);
      await reader.day(cadre.userid, DATE);
      const again = await reader.day(cadre.userid, DATE);
      expect(again.map((r) => r.id)).toContain('m-4');
      // A repo's first read carries the text; the second only says it is unchanged. The writer knows the text it
      // wrote: its first read is unchanged already.
      expect((replies[0] as unknown[])[0]).toBe(1);
      expect(replies[1]).toEqual([3]);
      expect((await here.day(cadre.userid, DATE)).map((r) => r.id)).toContain('m-4');
      expect(replies[2]).toEqual([3]);
    } finally {
      spy.mockRestore();
    }
  });
});
