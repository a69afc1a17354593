/**
 * The county's figures keep each month's day line compact and make its entries only when read; the roll-up
 * counts from the compact marks. On a prepared county (check-ins, self-reported and pending days, leave of
 * every class with a half day and a 销假, holidays, a closed month, terms starting and ending mid-month) the
 * roll-up's counts from the marks equal the straightforward count over the day line, and the figures read
 * as plain data (spread, JSON, assignment) exactly as the day line made up front.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { anyMarkBut, eachMark, type MonthFigures } from '../../src/attendance/accounting.js';
import type { DayLeave } from '../../src/attendance/month-figures.js';
import type { TargetCalendar } from '../../src/attendance/targets.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { closeMonth } from '../../src/close/close.js';
import { monthCadres, monthFiguresFor } from '../../src/close/read.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { elapsedEligible } from '../../src/rollup/rollup.js';
import { Roster } from '../../src/roster/roster.js';
import { checkIn, days, leave, pendingCheckIn } from '../attendance/seed.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const data = sampleRosterData();
// One term starting mid-November, one ending mid-November.
const late = data.cadres.find((c) => c.userid === 'LiXiaoYan')!;
late.termStart = '2026-11-10';
const early = data.cadres.find((c) => c.userid === 'ZhaoWenBo')!;
early.termEnd = '2026-11-20';
const roster = new Roster(data);
const calendar = new HolidayCalendar();
const src = { redis: t.redis, keys: t.keys, policy: defaultPolicy(), calendar };
const NOW = new Date('2026-11-18T15:00:00+08:00');
const MONTHS = ['2026-11', '2026-10'];

/** The roll-up's count as it was, over the day line's entries. */
function straightElapsed(m: MonthFigures, leave: ReadonlyMap<string, DayLeave>, cal: TargetCalendar) {
  let present = 0;
  let eligible = 0;
  for (const d of m.days) {
    if (d.mark === 'outside' || d.date > m.today) continue;
    const cls = leave.get(d.date)?.class;
    const counts = d.mark === 'present' || d.mark === 'self-reported' || cls === 'present';
    if (d.date === m.today && !counts) continue;
    if (cal.isDayOff(d.date) === true || cls === 'excused') continue;
    eligible += 1;
    if (counts) present += 1;
  }
  return { present, eligible };
}

beforeAll(async () => {
  // October (国庆 1–7 off), closed below: check-ins, a self-reported day, leave.
  await checkIn(t, 'WangJianGuo', [...days('2026-10-03', '2026-10-10'), ...days('2026-10-20', '2026-10-24')]);
  await checkIn(t, 'WangJianGuo', ['2026-10-11'], 'message');
  await leave(t, 'WangJianGuo', '病假', '2026-10-14', '2026-10-16');
  await closeMonth(src, roster, '2026-10', { now: new Date('2026-11-03T09:00:00+08:00'), actor: 'cli:ops@host' });
  // November, under way: every kind of day for several cadres.
  await checkIn(t, 'WangJianGuo', [...days('2026-11-02', '2026-11-06'), '2026-11-18']);
  await checkIn(t, 'WangJianGuo', ['2026-11-09', '2026-11-10'], 'message');
  await pendingCheckIn(t, 'WangJianGuo', ['2026-11-11', '2026-11-12']);
  await leave(t, 'WangJianGuo', '公差', '2026-11-13', '2026-11-13');
  await leave(t, 'WangJianGuo', '病假', '2026-11-16', '2026-11-17');
  await leave(t, 'WangJianGuo', '事假', '2026-11-19', '2026-11-20');
  await checkIn(t, 'LiXiaoYan', days('2026-11-05', '2026-11-17'));
  await leave(t, 'LiXiaoYan', '病假', '2026-11-18', '2026-11-25', { returnedOn: '2026-11-19' });
  await checkIn(t, 'ZhaoWenBo', days('2026-11-01', '2026-11-25'));
  await leave(t, 'ZhaoWenBo', '培训', '2026-11-26', '2026-11-28');
  await checkIn(t, 'SunLiJuan', ['2026-11-01', '2026-11-08', '2026-11-15'], 'message');
  await pendingCheckIn(t, 'SunLiJuan', ['2026-11-18']);
  await leave(t, 'SunLiJuan', '事假', '2026-11-02', '2026-11-06', { status: 'rejected' });
  await leave(t, 'SunLiJuan', '病假', '2026-10-29', '2026-11-03');
});

describe('the compact day line', () => {
  it('gives the roll-up the counts of the day line, month by month and cadre by cadre', async () => {
    const cadres = monthCadres(roster, MONTHS[0]!);
    const { figures } = await monthFiguresFor(src, cadres, { now: NOW, months: MONTHS });
    expect(figures.size).toBe(data.cadres.length);
    let seen = 0;
    for (const f of figures.values())
      for (const m of f.months) {
        // From the marks first (nothing made yet), then over the entries, then from the marks again.
        const fast = elapsedEligible(m, f.leave, calendar);
        const inTerm = anyMarkBut(m, 'outside');
        const marks: string[] = [];
        eachMark(m, (date, mark) => marks.push(`${date}:${mark}`));
        expect(fast).toEqual(straightElapsed(m, f.leave, calendar));
        expect(inTerm).toBe(m.days.some((d) => d.mark !== 'outside'));
        expect(marks).toEqual(m.days.map((d) => `${d.date}:${d.mark}`));
        expect(elapsedEligible(m, f.leave, calendar)).toEqual(fast);
        if (fast.eligible > 0) seen += 1;
      }
    expect(seen).toBeGreaterThan(data.cadres.length);
    const wang = figures.get('WangJianGuo')!.month;
    expect(wang.days.filter((d) => d.mark === 'self-reported').map((d) => d.date)).toEqual([
      '2026-11-09',
      '2026-11-10',
    ]);
    expect(wang.days.filter((d) => d.mark === 'pending')).toHaveLength(2);
    expect(
      figures
        .get('LiXiaoYan')!
        .month.days.slice(0, 9)
        .every((d) => d.mark === 'outside'),
    ).toBe(true);
    expect(
      figures
        .get('ZhaoWenBo')!
        .month.days.slice(20)
        .every((d) => d.mark === 'outside'),
    ).toBe(true);
  });

  it('reads as plain data: a spread, JSON, equality and assignment see the day line', async () => {
    const cadres = monthCadres(roster, MONTHS[0]!);
    const read = () => monthFiguresFor(src, cadres, { now: NOW, months: MONTHS });
    const [a, b, c] = await Promise.all([read(), read(), read()]);
    const one = a.figures.get('WangJianGuo')!.month;
    const two = b.figures.get('WangJianGuo')!.month;
    const three = c.figures.get('WangJianGuo')!.month;
    // JSON of figures whose line is not made yet is that of figures whose line was read first.
    const json = JSON.stringify(one);
    expect(two.days).toHaveLength(30);
    expect(JSON.stringify(two)).toBe(json);
    const parsed = JSON.parse(json) as MonthFigures;
    expect(Object.keys(parsed).at(-1)).toBe('days');
    expect(three).toEqual(parsed);
    expect({ ...three }).toEqual(parsed);
    expect(Object.keys(three)).toEqual(Object.keys(parsed));
    // Assigning a day line replaces it, read or not.
    c.figures.get('LiuFang')!.month.days = [];
    expect(c.figures.get('LiuFang')!.month.days).toEqual([]);
    expect(anyMarkBut(c.figures.get('LiuFang')!.month, 'outside')).toBe(false);
  });
});
