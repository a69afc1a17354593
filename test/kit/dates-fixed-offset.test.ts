/**
 * The fixed-offset (UTC+8) date helpers against the time-zone database: every day of 2025–2027 at the instants
 * where a UTC day or a Shanghai day turns, compared with the straightforward dayjs-tz computation they replace.
 */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { describe, expect, it } from 'vitest';
import { momentLabel } from '../../src/kit/date-label.js';
import {
  addDays,
  dateOfDay,
  dayOfYear,
  daysBetween,
  daysInMonth,
  eachDate,
  localDate,
  localDateTime,
  localMonth,
  localTime,
  onFixedOffset,
  startOfLocalDay,
  weekday,
} from '../../src/kit/dates.js';

dayjs.extend(utc);
dayjs.extend(timezone);

const TZ = 'Asia/Shanghai';
const HOUR = 3_600_000;
const DAY = 86_400_000;

// The dayjs-tz computations the helpers replace, written out as they were.
const ref = {
  localDate: (at: Date) => dayjs(at).tz(TZ).format('YYYY-MM-DD'),
  localMonth: (at: Date) => dayjs(at).tz(TZ).format('YYYY-MM'),
  localTime: (at: Date) => dayjs(at).tz(TZ).format('HH:mm'),
  localDateTime: (at: Date) => dayjs(at).tz(TZ).format('YYYY-MM-DD HH:mm'),
  momentLabel: (at: Date | string) => dayjs(at).tz(TZ).format('M月D日 HH:mm'),
  startOfLocalDay: (date: string) => dayjs.tz(date, TZ).toDate().getTime(),
  dayOfYear: (date: string) => {
    const d = dayjs.utc(date);
    return d.diff(dayjs.utc(`${d.year()}-01-01`), 'day');
  },
  dateOfDay: (year: number, index: number) => dayjs.utc(`${year}-01-01`).add(index, 'day').format('YYYY-MM-DD'),
  eachDate: (start: string, end: string) => {
    const out: string[] = [];
    for (let d = dayjs.utc(start); !d.isAfter(dayjs.utc(end)); d = d.add(1, 'day')) out.push(d.format('YYYY-MM-DD'));
    return out;
  },
  daysInMonth: (month: string) => dayjs.utc(`${month}-01`).daysInMonth(),
  daysBetween: (a: string, b: string) => dayjs.utc(b).diff(dayjs.utc(a), 'day'),
  addDays: (date: string, n: number) => dayjs.utc(date).add(n, 'day').format('YYYY-MM-DD'),
  weekday: (date: string) => dayjs.utc(date).day(),
};

/** Every UTC date of 2025–2027, written `YYYY-MM-DD` by Date itself. */
function datesOf2025To2027(): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2028, 0, 1); t += DAY)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const DATES = datesOf2025To2027();

/** The instants of a UTC date where the UTC or the Shanghai day (and the Shanghai hour 00/08/16) turns. */
function instantsOf(date: string): Date[] {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  const localMidnight = utcMidnight - 8 * HOUR;
  return [
    utcMidnight,
    utcMidnight + 8 * HOUR - 1,
    utcMidnight + 8 * HOUR,
    utcMidnight + 16 * HOUR - 1,
    utcMidnight + 16 * HOUR,
    utcMidnight + DAY - 1,
    localMidnight - 1,
    localMidnight,
    localMidnight + 1,
  ].map((t) => new Date(t));
}

describe('fixed-offset Shanghai time against the time-zone database', () => {
  it('covers 1,095 days', () => {
    expect(DATES).toHaveLength(3 * 365);
    expect(DATES[0]).toBe('2025-01-01');
    expect(DATES.at(-1)).toBe('2027-12-31');
  });

  it('reads the local date, month and time of every turning instant of 2025–2027', () => {
    let compared = 0;
    const wrong: string[] = [];
    for (const date of DATES) {
      for (const at of instantsOf(date)) {
        // One time-zone conversion, formatted as each of the replaced helpers did.
        const z = dayjs(at).tz(TZ);
        const want = [
          z.format('YYYY-MM-DD'),
          z.format('YYYY-MM'),
          z.format('HH:mm'),
          z.format('YYYY-MM-DD HH:mm'),
        ].join('|');
        const got = [localDate(at), localMonth(at), localTime(at), localDateTime(at)].join('|');
        if (!onFixedOffset(at) || got !== want) wrong.push(`${at.toISOString()}: ${got} ≠ ${want}`);
        compared++;
      }
    }
    expect(wrong).toEqual([]);
    expect(compared).toBe(DATES.length * 9);
  });

  it('writes moment labels of Dates and ISO strings as dayjs did', () => {
    const wrong: string[] = [];
    for (const date of DATES) {
      for (const at of instantsOf(date)) {
        const iso = at.toISOString();
        const got = [momentLabel(at), momentLabel(iso)].join('|');
        const want = [ref.momentLabel(at), ref.momentLabel(iso)].join('|');
        if (got !== want) wrong.push(`${iso}: ${got} ≠ ${want}`);
      }
    }
    // Written with the +08:00 offset, on the 1st and the 15th of each month.
    for (const date of DATES.filter((d) => d.endsWith('-01') || d.endsWith('-15'))) {
      for (const at of instantsOf(date)) {
        const offset = `${ref.localDateTime(at).replace(' ', 'T')}:${at.toISOString().slice(17, 23)}+08:00`;
        if (momentLabel(offset) !== ref.momentLabel(offset)) wrong.push(`${offset}: ${momentLabel(offset)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('finds Shanghai midnight of every date of 2025–2027, and that instant reads back as the date at 00:00', () => {
    for (const date of DATES) {
      const start = startOfLocalDay(date);
      expect(start.getTime(), date).toBe(ref.startOfLocalDay(date));
      expect(localDateTime(start)).toBe(`${date} 00:00`);
      expect(localDate(new Date(start.getTime() - 1))).toBe(addDays(date, -1));
    }
  });

  it('does date-string arithmetic for every date of 2025–2027 as dayjs did', () => {
    for (const date of DATES) {
      const year = Number(date.slice(0, 4));
      const index = dayOfYear(date);
      expect(index, date).toBe(ref.dayOfYear(date));
      expect(dateOfDay(year, index)).toBe(ref.dateOfDay(year, index));
      expect(dateOfDay(year, index)).toBe(date);
      for (const n of [0, 1, -1, 7, -7, 30, 59, 365, -366, 1000]) {
        expect(addDays(date, n), `${date} + ${n}`).toBe(ref.addDays(date, n));
      }
      for (const other of ['2024-02-29', '2025-06-15', '2027-12-31', '2028-03-01']) {
        expect(daysBetween(date, other)).toBe(ref.daysBetween(date, other));
      }
      expect(daysInMonth(date.slice(0, 7))).toBe(ref.daysInMonth(date.slice(0, 7)));
      expect(weekday(date)).toBe(ref.weekday(date));
    }
  });

  it('lists date spans as dayjs did, across month and year ends and leap days', () => {
    const spans: [string, string][] = [
      ['2024-12-25', '2025-01-05'],
      ['2028-02-27', '2028-03-02'],
      ['2025-01-01', '2027-12-31'],
      ['2026-06-01', '2026-06-01'],
      ['2026-06-02', '2026-06-01'],
    ];
    for (const [a, b] of spans) expect(eachDate(a, b)).toEqual(ref.eachDate(a, b));
    for (const year of [2024, 2025, 2100, 2000]) {
      for (const index of [0, 58, 59, 60, 364, 365, 366, -1]) {
        expect(dateOfDay(year, index)).toBe(ref.dateOfDay(year, index));
      }
    }
    for (const month of ['2024-02', '2025-02', '2100-02', '2000-02', '2026-12', '2026-04']) {
      expect(daysInMonth(month)).toBe(ref.daysInMonth(month));
    }
  });

  it('answers the other shapes (rolled-over, short, non-integer) as dayjs did', () => {
    for (const date of ['2025-02-30', '2025-12-32', '2025-04-31', '2025-03-00', '2025-2-1', '20250201', '2025/02/01']) {
      expect(dayOfYear(date), date).toBe(ref.dayOfYear(date));
      expect(addDays(date, 1), date).toBe(ref.addDays(date, 1));
      expect(daysBetween('2025-01-01', date), date).toBe(ref.daysBetween('2025-01-01', date));
      expect(startOfLocalDay(date).getTime(), date).toBe(ref.startOfLocalDay(date));
    }
    expect(addDays('2025-01-01', 1.5)).toBe(ref.addDays('2025-01-01', 1.5));
    expect(addDays('2025-01-01', -0.5)).toBe(ref.addDays('2025-01-01', -0.5));
    expect(dateOfDay(2025, 2.5)).toBe(ref.dateOfDay(2025, 2.5));
    expect(daysInMonth('2025-13')).toBe(ref.daysInMonth('2025-13'));
    expect(eachDate('2025-01-30', '2025-2-2')).toEqual(ref.eachDate('2025-01-30', '2025-2-2'));
    // Strings without an offset are read in the process time zone by dayjs, as before.
    for (const s of ['2026-12-06T09:30:00', '2026-12-06 09:30', '2026-12-06'])
      expect(momentLabel(s)).toBe(ref.momentLabel(s));
  });

  it('takes the time-zone database for instants before 1992, when Shanghai still kept summer time', () => {
    // 1 July 1988 15:30 UTC was 00:30 on 2 July under China's summer time (UTC+9); plain UTC+8 would say 23:30.
    const summer = new Date('1988-07-01T15:30:00Z');
    expect(onFixedOffset(summer)).toBe(false);
    expect(localDate(summer)).toBe('1988-07-02');
    expect(localTime(summer)).toBe('00:30');
    expect([localDate(summer), localMonth(summer), localTime(summer), localDateTime(summer)]).toEqual([
      ref.localDate(summer),
      ref.localMonth(summer),
      ref.localTime(summer),
      ref.localDateTime(summer),
    ]);
    expect(momentLabel(summer)).toBe(ref.momentLabel(summer));
    expect(startOfLocalDay('1988-07-02').getTime()).toBe(ref.startOfLocalDay('1988-07-02'));
    expect(startOfLocalDay('1988-07-02').toISOString()).toBe('1988-07-01T15:00:00.000Z');
    // The last instant before the fixed range and the first one in it.
    const edge = Date.parse('1991-12-31T16:00:00Z');
    for (const t of [edge - 1, edge]) {
      const at = new Date(t);
      expect(onFixedOffset(at)).toBe(t === edge);
      expect([localDate(at), localTime(at)]).toEqual([ref.localDate(at), ref.localTime(at)]);
    }
    expect(startOfLocalDay('1992-01-01').getTime()).toBe(edge);
    expect(startOfLocalDay('1991-12-31').getTime()).toBe(ref.startOfLocalDay('1991-12-31'));
  });

  it('keeps an invalid Date invalid', () => {
    const bad = new Date(Number.NaN);
    expect(onFixedOffset(bad)).toBe(false);
    expect([localDate(bad), localTime(bad), momentLabel(bad)]).toEqual([
      ref.localDate(bad),
      ref.localTime(bad),
      ref.momentLabel(bad),
    ]);
  });
});
