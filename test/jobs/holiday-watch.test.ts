import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { holidayWatch, missingYears } from '../../src/jobs/holiday-watch.js';
import { defaultPolicy, jobSchedule } from '../../src/policy/policy.js';
import { CronSlots } from '../../src/schedule/slots.js';
import type { JobContext } from '../../src/schedule/job.js';
import { isoWeek } from '../../src/schedule/windows.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const ctx: JobContext = testDeps(t);
const FIXTURE_2027 = fileURLToPath(new URL('../fixtures/holidays/2027.json', import.meta.url));

async function planAt(iso: string, c: JobContext = ctx) {
  const now = new Date(iso);
  return holidayWatch.plan(now, await holidayWatch.load(c, now));
}

beforeAll(async () => {
  await ctx.roster.replace(sampleRosterData());
});

describe('holiday-watch', () => {
  it('from November, warns the organisation department that next year is missing, naming the override file', async () => {
    const msgs = await planAt('2026-11-02T09:00:00+08:00');
    expect(msgs.map((m) => m.key)).toEqual([
      'holiday-watch:2027:2026-W45:WuJianZhong',
      'holiday-watch:2027:2026-W45:ChangXiaoMin',
    ]);
    const text = msgs[0]!.body.type === 'text' ? msgs[0]!.body.content : '';
    expect(text).toContain('2027 年');
    expect(text).toContain('ZHUCUN_HOLIDAYS');
    expect(text).toContain('holiday-cn');
    expect(text).toContain('"isOffDay": true');
    expect(text.split('\n').at(-1)).toMatch(/^（为什么收到：/);
    expect(msgs[0]!.purpose).toBe('reminder');
  });

  it('uses one key per ISO week', async () => {
    const monday = (await planAt('2026-11-16T09:00:00+08:00')).map((m) => m.key);
    const friday = (await planAt('2026-11-20T19:00:00+08:00')).map((m) => m.key);
    expect(friday).toEqual(monday);
    expect(monday[0]).toContain('2026-W47');
    expect((await planAt('2026-11-23T09:00:00+08:00'))[0]!.key).toContain('2026-W48');
  });

  it('runs every week of the year, so a new year without data is reported from its first Monday', async () => {
    const slots = new CronSlots(jobSchedule(defaultPolicy(), 'holidayWatch')!);
    expect(slots.next(new Date('2026-12-31T12:00:00+08:00'))).toEqual(new Date('2027-01-04T09:00:00+08:00'));
    expect(slots.next(new Date('2027-03-10T12:00:00+08:00'))).toEqual(new Date('2027-03-15T09:00:00+08:00'));
    slots.dispose();
    const msgs = await planAt('2027-01-04T09:00:00+08:00');
    expect(msgs.map((m) => m.key)).toEqual([
      'holiday-watch:2027:2027-W01:WuJianZhong',
      'holiday-watch:2027:2027-W01:ChangXiaoMin',
    ]);
    expect(msgs[0]!.body.type === 'text' && msgs[0]!.body.content).toContain('2027 年');
    // Still in March, and every week until the year is loaded.
    expect((await planAt('2027-03-15T09:00:00+08:00')).map((m) => m.key)).toContain(
      'holiday-watch:2027:2027-W11:WuJianZhong',
    );
  });

  it("awaits next year from the policy's month", async () => {
    const early = defaultPolicy();
    early.calendar.watchFromMonth = 10;
    expect((await planAt('2026-10-26T09:00:00+08:00', { ...ctx, policy: early }))[0]!.key).toBe(
      'holiday-watch:2027:2026-W44:WuJianZhong',
    );
    const late = defaultPolicy();
    late.calendar.watchFromMonth = 12;
    expect(await planAt('2026-11-23T09:00:00+08:00', { ...ctx, policy: late })).toEqual([]);
  });

  it('is quiet before November and once the year is loaded', async () => {
    expect(await planAt('2026-10-26T09:00:00+08:00')).toEqual([]);
    const loaded = { ...ctx, calendar: await HolidayCalendar.load({ overrides: FIXTURE_2027 }) };
    expect(await planAt('2026-11-02T09:00:00+08:00', loaded)).toEqual([]);
  });

  it('names a year already under way without data', () => {
    const state = { fromMonth: 11, org: [] };
    expect(missingYears({ ...state, date: '2027-01-04', covered: { 2027: false, 2028: false } })).toEqual([2027]);
    expect(missingYears({ ...state, date: '2027-06-07', covered: { 2027: false, 2028: false } })).toEqual([2027]);
    expect(missingYears({ ...state, date: '2027-11-01', covered: { 2027: false, 2028: false } })).toEqual([2027, 2028]);
    expect(missingYears({ ...state, date: '2027-10-25', covered: { 2027: true, 2028: false } })).toEqual([]);
    expect(missingYears({ ...state, date: '2026-12-28', covered: { 2026: true, 2027: true } })).toEqual([]);
  });

  it('numbers ISO weeks across the year end', () => {
    expect(isoWeek('2026-01-01')).toBe('2026-W01');
    expect(isoWeek('2026-12-31')).toBe('2026-W53');
    expect(isoWeek('2027-01-03')).toBe('2026-W53');
    expect(isoWeek('2027-01-04')).toBe('2027-W01');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
  });
});
