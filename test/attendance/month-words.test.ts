/**
 * The month figures counted as words (`accountMonthWords`) on chosen cadres, beside the random ones of
 * bulk-figures.test.ts: each case is compared with the day-by-day count (`accountMonth`) and the per-day
 * reference, and the counts that make the case are spelled out.
 */
import { describe, expect, it } from 'vitest';
import { accountMonth } from '../../src/attendance/accounting.js';
import { FiguresCache } from '../../src/attendance/cache.js';
import type { CadreAttendance } from '../../src/attendance/days.js';
import { eachMark, type MonthFigures } from '../../src/attendance/accounting.js';
import { accountMonthWords } from '../../src/attendance/month-words.js';
import type { YearBits } from '../../src/attendance/ledger.js';
import type { Term } from '../../src/attendance/targets.js';
import { popcount, rangeWord, word32 } from '../../src/attendance/words.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { dayOfYear, eachDate, startOfLocalDay } from '../../src/kit/dates.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { refMonth } from './reference-figures.js';

const calendar = new HolidayCalendar();
const policy = defaultPolicy();

/** A year's bitmap (Redis bit order) with the given dates set. */
function bitmap(dates: readonly string[]): Buffer {
  const buf = Buffer.alloc(46);
  for (const d of dates) buf[dayOfYear(d) >> 3]! |= 0x80 >> (dayOfYear(d) & 7);
  return buf;
}

function bitsOf(year: number, b: { present?: string[]; self?: string[]; pending?: string[] }) {
  const bits: YearBits = {
    present: bitmap(b.present ?? []),
    selfReported: bitmap(b.self ?? []),
    ...(b.pending ? { pending: bitmap(b.pending) } : {}),
  };
  return new Map([[year, bits]]);
}

let no = 0;
function leave(
  type: string,
  cls: LeaveRequest['class'],
  start: string,
  end: string,
  more: Partial<LeaveRequest> = {},
): LeaveRequest {
  no += 1;
  return {
    no: `Q${no}`,
    userId: 'u',
    type,
    class: cls,
    start,
    end,
    days: 1,
    reason: '测试',
    createdAt: '2024-01-01T00:00:00.000Z',
    status: 'approved',
    steps: [],
    ...more,
  };
}

/** The words' figures, checked equal to the day-by-day count and the reference before they are looked at. */
function figures(data: CadreAttendance, month: string, today: string): MonthFigures {
  const env = { now: startOfLocalDay(today), today, policy, calendar, cache: new FiguresCache(calendar, policy) };
  const words = accountMonthWords(data, month, env);
  const byDay = accountMonth(data, month, env);
  expect(words).toEqual(byDay);
  expect(byDay).toEqual(refMonth(data, month, { today, policy, calendar }));
  return words!;
}

const LETTER = {
  present: 'P',
  'self-reported': 'S',
  pending: 'W',
  leave: 'L',
  off: 'H',
  absent: 'A',
  open: 'O',
  outside: 'X',
};

/** The day line as one letter a day (`LETTER`). */
function marks(m: MonthFigures): string {
  const out: string[] = [];
  eachMark(m, (_date, mark) => out.push(LETTER[mark]));
  return out.join('');
}

const WHOLE_TERM: Term = { start: '2023-01-01', end: '2027-12-31' };

describe('words of days', () => {
  it('counts bits, reads a Redis bitmap 32 days from any bit, and makes ranges', () => {
    expect(popcount(0)).toBe(0);
    expect(popcount(-1)).toBe(32);
    expect(popcount(0x80000001)).toBe(2);
    // Days 3, 10 and 40 of a bitmap: day 0 is the highest bit of byte 0.
    const buf = Buffer.alloc(6);
    for (const d of [3, 10, 40]) buf[d >> 3]! |= 0x80 >> (d & 7);
    expect(word32(buf, 0)).toBe((1 << 3) | (1 << 10));
    expect(word32(buf, 3)).toBe(1 | (1 << 7));
    expect(word32(buf, 10)).toBe(1 | (1 << 30));
    expect(word32(buf, 11)).toBe((1 << 29) >>> 0);
    expect(word32(buf, 41)).toBe(0);
    expect(word32(Buffer.alloc(0), 0)).toBe(0);
    expect(rangeWord(0, 0)).toBe(0);
    expect(rangeWord(2, 5)).toBe(0b11100);
    expect(rangeWord(0, 32)).toBe(-1);
    expect(rangeWord(31, 32)).toBe(1 << 31);
  });
});

describe('a month counted in words', () => {
  it('a leap February: the 29th is a working day and counts', () => {
    const present = eachDate('2024-02-01', '2024-02-29');
    const m = figures({ term: WHOLE_TERM, bits: bitsOf(2024, { present }), leaves: [] }, '2024-02', '2024-03-05');
    expect(m.days).toHaveLength(29);
    expect(m.present).toBe(29);
    expect(m.days.at(-1)).toEqual({ date: '2024-02-29', mark: 'present' });
  });

  it('the official calendar: the Spring Festival off, its make-up Sundays open like working days', () => {
    const m = figures({ term: WHOLE_TERM, bits: new Map(), leaves: [] }, '2024-02', '2024-02-01');
    const days = new Map(m.days.map((d) => [d.date, d.mark]));
    expect(days.get('2024-02-04')).toBe('open');
    expect(days.get('2024-02-10')).toBe('off');
    expect(days.get('2024-02-17')).toBe('off');
    expect(days.get('2024-02-18')).toBe('open');
    // Open days leave the official days off out (the festival's; a weekend is not one).
    expect(m.remaining).toBe(eachDate('2024-02-01', '2024-02-29').filter((d) => calendar.isDayOff(d) !== true).length);
  });

  it('a term starting and one ending mid-month, and days in post cut inside the month', () => {
    const present = eachDate('2025-10-01', '2025-10-31');
    const bits = bitsOf(2025, { present });
    const starts = figures(
      { term: { start: '2025-10-15', end: '2027-10-14' }, bits, leaves: [] },
      '2025-10',
      '2025-11-02',
    );
    expect(starts.present).toBe(17);
    expect(marks(starts)).toBe('X'.repeat(14) + 'P'.repeat(17));
    const ends = figures(
      { term: { start: '2023-10-20', end: '2025-10-19' }, bits, leaves: [] },
      '2025-10',
      '2025-10-10',
    );
    expect(ends.present).toBe(10);
    expect(marks(ends).slice(9)).toBe('P' + 'O'.repeat(9) + 'X'.repeat(12));
    const spans = [
      { start: '2025-10-03', end: '2025-10-05' },
      { start: '2025-10-30', end: '2025-11-30' },
    ];
    const cut = figures({ term: { ...WHOLE_TERM, spans }, bits, leaves: [] }, '2025-10', '2025-12-01');
    expect(cut.present).toBe(5);
  });

  it('leave classes: the kindest wins, half days stay open, leave across the month edges', () => {
    const leaves = [
      // Excused from the last days of September into October; a present-class trip over two of its days.
      leave('病假', 'excused', '2025-09-28', '2025-10-09'),
      leave('公差', 'present', '2025-10-08', '2025-10-10'),
      // Absent across the month's end, half on its first day.
      leave('事假', 'absent', '2025-10-30', '2025-11-03', { halfStart: true }),
      // An excused half day at the end of a leave that ran to its end.
      leave('病假', 'excused', '2025-10-20', '2025-10-21', { halfEnd: true }),
    ];
    const m = figures({ term: WHOLE_TERM, bits: bitsOf(2025, {}), leaves }, '2025-10', '2025-10-15');
    // 公差 on the 8th, 9th and 10th counts as presence up to today.
    expect(m.present).toBe(3);
    expect(m.presentLeave).toBe(3);
    expect(marks(m).slice(0, 10)).toBe('L'.repeat(10));
    // From today: the 20th whole excused, the 21st a half (open), the 30th a half (open), the 31st away.
    const open = m.days.filter((d) => d.date >= '2025-10-15' && calendar.isDayOff(d.date) !== true);
    expect(m.remaining).toBe(open.length - 2);
    // Excused whole working days: the 20th only (the 1st to the 8th are the National Day holiday, the 9th 公差).
    expect(m.target).toMatchObject({ status: 'set', excusedDays: 1 });
  });

  it('check-ins, self-reported ones and locations waiting, before and after today', () => {
    const bits = bitsOf(2026, {
      present: ['2026-03-02', '2026-03-03', '2026-03-20'],
      self: ['2026-03-03', '2026-03-20'],
      pending: ['2026-03-02', '2026-03-04', '2026-03-10', '2026-03-25'],
    });
    const m = figures({ term: WHOLE_TERM, bits, leaves: [] }, '2026-03', '2026-03-10');
    // Waiting on the 2nd is not counted (checked in); the 20th and 25th are after today: not counted, not shown.
    expect([m.present, m.selfReported, m.pending]).toEqual([2, 1, 2]);
    expect(marks(m).slice(0, 11)).toBe('APSWAAAAAWO');
    expect(marks(m).slice(19, 25)).toBe('OOOOOO');
  });

  it('a location waiting on a day of leave shows as waiting, a check-in on one as present', () => {
    const bits = bitsOf(2026, { present: ['2026-03-03'], pending: ['2026-03-02', '2026-03-05'] });
    const leaves = [
      leave('病假', 'excused', '2026-03-02', '2026-03-04'),
      leave('公差', 'present', '2026-03-05', '2026-03-05'),
    ];
    const m = figures({ term: WHOLE_TERM, bits, leaves }, '2026-03', '2026-03-10');
    expect(marks(m).slice(0, 6)).toBe('AWPLWA');
    // The 5th counts through its present-class leave; the 2nd waits (the 3rd is checked in, the 4th excused).
    expect([m.present, m.presentLeave, m.pending]).toEqual([2, 1, 1]);
  });

  it('a month wholly before or after the term, and a cadre without bitmaps', () => {
    const term = { start: '2026-06-01', end: '2028-05-31' };
    const before = figures({ term, bits: new Map(), leaves: [] }, '2026-05', '2026-05-20');
    expect(marks(before)).toBe('X'.repeat(31));
    expect(before.remaining).toBe(0);
    const after = figures({ term: WHOLE_TERM, bits: new Map(), leaves: [] }, '2026-12', '2026-11-20');
    expect(after.phase).toBe('future');
  });
});
