/**
 * A new term and a rotation start new targets; the old term's figures stay queryable for its months (as
 * `zhucun attendance` and 我的考勤 of a past month read them).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFigures } from '../../src/attendance/figures.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { fixedClock } from '../../src/core/clock.js';
import { eachDate } from '../../src/kit/dates.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { readHistories } from '../../src/roster/history.js';
import { RosterStore } from '../../src/roster/store.js';
import { checkIn } from '../attendance/seed.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const src = { redis: t.redis, keys: t.keys, policy: defaultPolicy(), calendar: new HolidayCalendar() };
const sample = sampleRosterData();
const NEW_TERM = { termStart: '2027-01-01', termEnd: '2027-12-31' };

const figures = async (userid: string, month: string, now: string) => {
  const cadre = (await new RosterStore(t.redis, t.keys).get()).cadres.get(userid)!;
  return (await loadFigures(src, [cadre], { now: new Date(now), months: [month] })).get(userid)!;
};

beforeAll(async () => {
  await new RosterStore(t.redis, t.keys, fixedClock('2026-10-01T09:00:00+08:00')).replace(sample);
  await checkIn(t, 'WangJianGuo', eachDate('2026-11-01', '2026-12-19'));
  await checkIn(t, 'ZhouMingHui', eachDate('2026-11-01', '2026-11-30'));
  // Wang Jianguo serves a new term in his village; Zhou Minghui rotates to 城小村 with a new term.
  const next = {
    ...sample,
    cadres: sample.cadres.map((c) =>
      c.userid === 'WangJianGuo'
        ? { ...c, ...NEW_TERM }
        : c.userid === 'ZhouMingHui'
          ? { ...c, ...NEW_TERM, village: 'chengxiao' }
          : c,
    ),
  };
  await new RosterStore(t.redis, t.keys, fixedClock('2026-12-20T09:00:00+08:00')).replace(next);
  await checkIn(t, 'WangJianGuo', eachDate('2027-01-04', '2027-01-08'));
});

describe('a new term and a rotation', () => {
  it('keep the old term in the history, ended the day before the new one', async () => {
    const h = await readHistories(t.redis, t.keys);
    expect(h.get('WangJianGuo')!.map((a) => [a.termStart, a.from, a.to, a.end ?? null])).toEqual([
      ['2026-04-28', '2026-04-28', '2026-12-31', 'term-end'],
      ['2027-01-01', '2027-01-01', null, null],
    ]);
    expect(h.get('ZhouMingHui')!.map((a) => [a.villageName, a.to, a.end ?? null])).toEqual([
      ['香邑村', '2026-12-31', 'rotation'],
      ['城小村', null, null],
    ]);
  });

  it('start a new annual target: the old term days do not count in it', async () => {
    const f = await figures('WangJianGuo', '2027-01', '2027-01-10T20:00:00+08:00');
    expect(f.year.target).toMatchObject({ period: { start: '2027-01-01', end: '2027-12-31' }, target: 250 });
    expect(f.year.present).toBe(5);
    const z = await figures('ZhouMingHui', '2027-01', '2027-01-10T20:00:00+08:00');
    expect(z.year.present).toBe(0);
    expect(z.year.target.target).toBe(250);
  });

  it("leave the old term's figures queryable for its months, its target for the days it ran", async () => {
    const f = await figures('WangJianGuo', '2026-11', '2027-01-10T20:00:00+08:00');
    expect(f.month).toMatchObject({ present: 30, target: { target: 22 } });
    // 248 days in post of the term year 2026-04-28 – 2027-04-27: ceil(250 × 248 / 365) = 170.
    expect(f.year.target).toMatchObject({ period: { start: '2026-04-28' }, termDays: 248, target: 170 });
    expect(f.year.present).toBe(49);
    // December is the old term's last month, whole.
    const dec = await figures('WangJianGuo', '2026-12', '2027-01-10T20:00:00+08:00');
    expect(dec.month).toMatchObject({ present: 19, target: { target: 22, daysOutsideTerm: 0 } });
  });
});
