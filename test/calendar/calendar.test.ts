import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { HolidayFileError } from '../../src/calendar/overrides.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/holidays/', import.meta.url));
const FIXTURE_2027 = join(FIXTURES, '2027.json');

// The State Council notices (国办发明电〔2024〕12号 for 2025; the November 2025 notice for 2026), written out by
// hand so that the package's data is checked against them rather than against itself.
const OFFICIAL = {
  2025: {
    periods: [
      ['2025-01-01', '2025-01-01'],
      ['2025-01-28', '2025-02-04'],
      ['2025-04-04', '2025-04-06'],
      ['2025-05-01', '2025-05-05'],
      ['2025-05-31', '2025-06-02'],
      ['2025-10-01', '2025-10-08'],
    ],
    makeup: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    periods: [
      ['2026-01-01', '2026-01-03'],
      ['2026-02-15', '2026-02-23'],
      ['2026-04-04', '2026-04-06'],
      ['2026-05-01', '2026-05-05'],
      ['2026-06-19', '2026-06-21'],
      ['2026-09-25', '2026-09-27'],
      ['2026-10-01', '2026-10-07'],
    ],
    makeup: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
} as const;

async function tempFile(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zhucun-holidays-'));
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('HolidayCalendar from the package', () => {
  const calendar = new HolidayCalendar();

  it('holds exactly the announced holiday periods of 2025 and 2026', () => {
    for (const year of [2025, 2026] as const) {
      const periods = calendar.holidayPeriods(year)!.map((p) => [p.start, p.end]);
      expect(periods).toEqual(OFFICIAL[year].periods);
    }
  });

  it('holds exactly the announced make-up working days of 2025 and 2026', () => {
    for (const year of [2025, 2026] as const) {
      const makeup: string[] = [];
      for (let m = 1; m <= 12; m++) makeup.push(...calendar.makeupWorkdays(`${year}-${String(m).padStart(2, '0')}`)!);
      expect(makeup).toEqual(OFFICIAL[year].makeup);
    }
  });

  it('counts the days off of a month, weekends inside a break included', () => {
    expect(calendar.daysOff('2025-02')).toEqual(['2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04']);
    expect(calendar.daysOff('2025-10')).toHaveLength(8);
    expect(calendar.daysOff('2025-07')).toEqual([]);
    expect(calendar.isDayOff('2025-02-01')).toBe(true);
    expect(calendar.isDayOff('2025-02-08')).toBe(false);
  });

  it('counts official working days with make-up days (February 2026 has 16)', () => {
    expect(calendar.officialWorkdays('2026-02')).toHaveLength(16);
    expect(calendar.officialWorkdays('2026-02')).toContain('2026-02-14');
    expect(calendar.officialWorkdays('2025-03')).toHaveLength(21);
  });

  it('names the holiday of a day off and of a make-up day', () => {
    expect(calendar.holidayName('2026-02-16')).toBe('春节');
    expect(calendar.holidayName('2026-02-28')).toBe('春节');
    expect(calendar.holidayName('2026-03-02')).toBeUndefined();
    expect(calendar.holidayPeriods(2026)![6]).toEqual({
      name: '国庆节',
      start: '2026-10-01',
      end: '2026-10-07',
      days: 7,
    });
  });

  it('never guesses a year without a notice: 2027 is uncovered', () => {
    expect(calendar.isYearCovered(2025)).toBe(true);
    expect(calendar.isYearCovered(2026)).toBe(true);
    expect(calendar.isYearCovered(2027)).toBe(false);
    expect(calendar.yearSource(2027)).toBeUndefined();
    expect(calendar.daysOff('2027-01')).toBeUndefined();
    expect(calendar.makeupWorkdays('2027-01')).toBeUndefined();
    expect(calendar.officialWorkdays('2027-01')).toBeUndefined();
    expect(calendar.isDayOff('2027-01-01')).toBeUndefined();
    expect(calendar.holidayPeriods(2027)).toBeUndefined();
  });

  it('refuses a malformed month', () => {
    expect(() => calendar.daysOff('2025-13')).toThrow(RangeError);
    expect(() => calendar.daysOff('2025-1')).toThrow(RangeError);
  });
});

describe('HolidayCalendar with overrides (ZHUCUN_HOLIDAYS)', () => {
  it('an override file adds 2027', async () => {
    const calendar = await HolidayCalendar.load({ overrides: FIXTURE_2027 });
    expect(calendar.isYearCovered(2027)).toBe(true);
    expect(calendar.yearSource(2027)).toBe('override');
    expect(calendar.daysOff('2027-02')).toHaveLength(9);
    expect(calendar.makeupWorkdays('2027-02')).toEqual(['2027-02-20']);
    expect(calendar.isDayOff('2027-01-01')).toBe(true);
    // the package still answers the years it holds
    expect(calendar.yearSource(2026)).toBe('package');
    expect(calendar.daysOff('2026-02')).toHaveLength(9);
    expect(calendar.isYearCovered(2028)).toBe(false);
  });

  it('a folder of override files works the same', async () => {
    const calendar = await HolidayCalendar.load({ overrides: FIXTURES });
    expect(calendar.isYearCovered(2027)).toBe(true);
    expect(calendar.daysOff('2027-10')).toHaveLength(7);
  });

  it('an empty setting means no overrides', async () => {
    const calendar = await HolidayCalendar.load({ overrides: '  ' });
    expect(calendar.isYearCovered(2027)).toBe(false);
  });

  it('an override wins over the package for the whole year it announces', async () => {
    const path = await tempFile(
      '2026.json',
      JSON.stringify({ year: 2026, days: [{ name: '元旦', date: '2026-01-01', isOffDay: true }] }),
    );
    const calendar = await HolidayCalendar.load({ overrides: path });
    expect(calendar.yearSource(2026)).toBe('override');
    expect(calendar.daysOff('2026-01')).toEqual(['2026-01-01']);
    expect(calendar.daysOff('2026-02')).toEqual([]);
  });

  it('a bad file is refused with its name and the field', async () => {
    const path = await tempFile(
      '2027-bad.json',
      JSON.stringify({ year: 2027, days: [{ name: '元旦', date: '2027-13-01', isOffDay: true }] }),
    );
    await expect(HolidayCalendar.load({ overrides: path })).rejects.toThrow(
      /2027-bad\.json: days\.0\.date: must be a date written YYYY-MM-DD/,
    );
    const notJson = await tempFile('broken.json', '{"year": 2027,');
    await expect(HolidayCalendar.load({ overrides: notJson })).rejects.toThrow(/broken\.json: not valid JSON/);
  });

  it('a missing path is refused', async () => {
    await expect(HolidayCalendar.load({ overrides: join(FIXTURES, 'nope.json') })).rejects.toThrow(
      /ZHUCUN_HOLIDAYS: no such file or folder/,
    );
  });

  it('two files that disagree about a day are refused', () => {
    const a = { source: 'a.json', year: 2027, days: [{ name: '元旦', date: '2027-01-01', isOffDay: true }] };
    const b = { source: 'b.json', year: 2027, days: [{ name: '元旦', date: '2027-01-01', isOffDay: false }] };
    expect(() => new HolidayCalendar([a, b])).toThrow(HolidayFileError);
  });
});
