/** Assignment histories in Redis: every replacement records them, data of the previous release gets them seeded. */
import { describe, expect, it } from 'vitest';
import { loadFigures } from '../../src/attendance/figures.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { fixedClock } from '../../src/core/clock.js';
import { eachDate } from '../../src/kit/dates.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { Keys } from '../../src/redis/keys.js';
import { readHistories, seedAssignments } from '../../src/roster/history.js';
import { RosterImportError, RosterStore } from '../../src/roster/store.js';
import { checkIn } from '../attendance/seed.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const sample = sampleRosterData();
let n = 0;
/** A namespace of its own per test, inside the file's (cleaned with it). */
const fresh = () => ({ ...t, keys: new Keys(`${t.keys.ns}:${++n}`) });

describe('assignment histories', () => {
  it('are recorded by the deployment store, dated by its clock (the sandbox and tests replace rosters this way)', async () => {
    const deps = testDeps(fresh(), { clock: fixedClock('2026-12-06T09:00:00+08:00') });
    await deps.roster.replace(sample);
    await deps.roster.replace({ ...sample, cadres: sample.cadres.filter((c) => c.userid !== 'HeJing') });
    const h = await readHistories(deps.redis, deps.keys);
    expect(h.size).toBe(31);
    expect(h.get('HeJing')).toEqual([expect.objectContaining({ to: '2026-12-05', end: 'removed' })]);
  });

  it('refuse a file naming someone never on the roster, and nothing is written', async () => {
    const s = fresh();
    const store = new RosterStore(s.redis, s.keys, fixedClock('2026-12-06T09:00:00+08:00'));
    await store.replace(sample);
    const before = [await s.redis.get(s.keys.roster()), await s.redis.hgetall(s.keys.assignments())];
    const bad = { ...sample, departures: [{ userid: 'Ghost', on: '2026-12-01', reason: 'recalled' as const }] };
    await expect(store.replace(bad)).rejects.toThrow(RosterImportError);
    expect([await s.redis.get(s.keys.roster()), await s.redis.hgetall(s.keys.assignments())]).toEqual(before);
  });

  it('are seeded once from a roster stored by the previous release; figures read the same before and after', async () => {
    const s = fresh();
    // The previous release wrote the document only.
    await s.redis.set(s.keys.roster(), JSON.stringify(sample));
    await checkIn(s, 'WangJianGuo', eachDate('2026-11-02', '2026-11-17'));
    const src = { redis: s.redis, keys: s.keys, policy: defaultPolicy(), calendar: new HolidayCalendar() };
    const now = new Date('2026-11-18T09:00:00+08:00');
    const figures = () => loadFigures(src, sample.cadres.slice(0, 3), { now, months: ['2026-11', '2026-10'] });
    const without = await figures();
    expect(without.get('WangJianGuo')!.month.present).toBe(16);

    expect(await seedAssignments(s.redis, s.keys, '2026-11-18')).toBe(31);
    expect(await seedAssignments(s.redis, s.keys, new Date('2026-11-19T09:00:00+08:00'))).toBe(0);
    expect((await readHistories(s.redis, s.keys, ['WangJianGuo'])).get('WangJianGuo')).toEqual([
      expect.objectContaining({ from: '2026-04-28', to: null, village: 'beibao', townshipName: '新田乡' }),
    ]);
    expect(await figures()).toEqual(without);
  });

  it('seed a term already over as ended at its end, and nothing without a roster', async () => {
    const s = fresh();
    expect(await seedAssignments(s.redis, s.keys, '2027-05-01')).toBe(0);
    await s.redis.set(s.keys.roster(), JSON.stringify(sample));
    await seedAssignments(s.redis, s.keys, '2027-05-01');
    expect((await readHistories(s.redis, s.keys)).get('HeJing')).toEqual([
      expect.objectContaining({ to: '2027-04-27', end: 'term-end' }),
    ]);
  });

  it('are built at the first import over a roster of the previous release', async () => {
    const s = fresh();
    await s.redis.set(s.keys.roster(), JSON.stringify(sample));
    const store = new RosterStore(s.redis, s.keys, fixedClock('2026-12-06T09:00:00+08:00'));
    const plan = await store.replace({ ...sample, cadres: sample.cadres.filter((c) => c.userid !== 'HeJing') });
    expect(plan.diff.ended.map((e) => [e.userid, e.lastDay])).toEqual([['HeJing', '2026-12-05']]);
    expect((await readHistories(s.redis, s.keys)).size).toBe(31);
  });
});
