/**
 * The day line of a month's figures, kept compact until someone reads it: one character per day, the index
 * of its mark in `MARKS` (see `CountedMonth` in accounting.ts, which makes the entries on first read).
 */
import { monthDates } from '../kit/dates.js';
import type { CompiledSpan, DayFlags, DayMark } from './days.js';

/** The marks of the day line, in the order of their codes. */
export const MARKS: readonly DayMark[] = [
  'present',
  'self-reported',
  'pending',
  'leave',
  'off',
  'absent',
  'open',
  'outside',
];

/** Code of each mark: the character `'0' + index in MARKS`. */
export const MARK_CODE: Readonly<Record<DayMark, number>> = Object.fromEntries(
  MARKS.map((m, i) => [m, 0x30 + i]),
) as Record<DayMark, number>;

/** One day of a day line. */
export type DayEntry = { date: string; mark: DayMark };

// The dates of the months asked about (a county's figures ask about the same few).
const datesOf = new Map<string, readonly string[]>();

function dates(month: string): readonly string[] {
  let d = datesOf.get(month);
  if (!d) {
    d = monthDates(month);
    if (datesOf.size > 1000) datesOf.clear();
    datesOf.set(month, d);
  }
  return d;
}

/** The day line of `codes`, one character per day of `month` (`MARK_CODE`). */
export function expandDays(month: string, codes: string): DayEntry[] {
  const ds = dates(month);
  const days = new Array<DayEntry>(codes.length);
  for (let i = 0; i < codes.length; i++) days[i] = { date: ds[i]!, mark: MARKS[codes.charCodeAt(i) - 0x30]! };
  return days;
}

/** Each day of the codes of `month`, in order. */
export function eachCode(month: string, codes: string, fn: (date: string, mark: DayMark) => void): void {
  const ds = dates(month);
  for (let i = 0; i < codes.length; i++) fn(ds[i]!, MARKS[codes.charCodeAt(i) - 0x30]!);
}

// One code per day of a span, written here before they become a string.
let scratch = Buffer.alloc(400);

/**
 * The day line of a cadre's flags as codes (`withDayLine`): `lt` days of the span are before today, `le` up
 * to it. A check-in wins over everything, then a self-reported location waiting for confirmation, then
 * approved leave, then a day off; a past day with none of these is absent, today and later days are open.
 */
export function dayCodes(span: CompiledSpan, f: DayFlags, lt: number, le: number): string {
  if (scratch.length < f.n) scratch = Buffer.alloc(f.n);
  for (let i = 0; i < f.n; i++) {
    let m: number;
    if (!f.inTerm[i]) m = 7;
    else if (f.checked[i] && i < le) m = f.self[i] ? 1 : 0;
    else if (f.pending[i] && i < le) m = 2;
    else if (f.leave[i]) m = 3;
    else if (span.off[i]) m = 4;
    else m = i < lt ? 5 : 6;
    scratch[i] = 0x30 + m;
  }
  return scratch.toString('latin1', 0, f.n);
}
