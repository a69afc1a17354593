/**
 * The State Council holiday arrangements bundled in the `chinese-days` package, read one year at a time.
 *
 * The package answers "Monday to Friday" for a year it has no notice for, so it can never tell us on its own
 * whether a year is known. Every notice the package carries has a Spring Festival (春节) break, and that break
 * always falls inside its own year (late January to February), so a year counts as covered only when the
 * package holds a 春节 holiday entry in it. A year whose only entries spill over from the previous notice
 * (a New Year's Day break announced with the old year) is therefore not mistaken for an announced year.
 */
import chineseDays from 'chinese-days';
import { eachDate, isWeekend } from '../kit/dates.js';

/** One year of official days: days off (放假) and make-up working days (调休上班), each with its holiday name. */
export interface YearDays {
  off: Map<string, string>;
  makeup: Map<string, string>;
}

const SPRING_FESTIVAL = '春节';

/** The package stores names as "English,中文,days"; the Chinese part is what people read. */
function chineseName(raw: string): string {
  const parts = raw.split(',');
  return (parts.length >= 2 ? parts[1] : raw)!.trim();
}

let zoneChecked = false;

/**
 * The package turns a date string into a Date at UTC midnight and then reads it with local-time getters, so
 * in a time zone west of UTC every answer would be one day early. Refuse to run there rather than shift
 * every holiday by a day.
 */
function checkZone(): void {
  if (zoneChecked) return;
  const probe = chineseDays.getDayDetail('2025-10-01');
  if (probe.date !== '2025-10-01' || probe.work) {
    throw new Error(
      'chinese-days reads dates in the process time zone and answered for the wrong day; run with TZ=Asia/Shanghai',
    );
  }
  zoneChecked = true;
}

/** Every day of a year as the package holds it, or undefined when the package has no notice for that year. */
export function packageYear(year: number): YearDays | undefined {
  checkZone();
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  // includeWeekends=false returns exactly the dates of the package's holiday table, weekends inside a break
  // included, and nothing it would only infer from the day of the week.
  const holidays = chineseDays.getHolidaysInRange(start, end, false);
  const off = new Map<string, string>();
  for (const date of holidays) off.set(date, chineseName(chineseDays.getDayDetail(date).name));
  if (![...off.values()].some((name) => name.includes(SPRING_FESTIVAL))) return undefined;

  // A weekend day the package calls a working day can only come from its make-up-day table.
  const makeup = new Map<string, string>();
  for (const date of eachDate(start, end)) {
    if (isWeekend(date) && chineseDays.isWorkday(date))
      makeup.set(date, chineseName(chineseDays.getDayDetail(date).name));
  }
  return { off, makeup };
}
