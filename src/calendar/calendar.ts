/**
 * The official holiday calendar: days off (放假), make-up working days (调休上班) and official working days,
 * keyed by Asia/Shanghai date strings. Data comes from the `chinese-days` package, and override files
 * (`ZHUCUN_HOLIDAYS`) add a newly announced year and replace the package for every year they announce.
 *
 * A year with no data is never guessed: every month-level question about it answers `undefined`, and
 * `isYearCovered` tells the caller so that targets read 待定 and the warning ladder pauses.
 */
import { addDays, isWeekend, monthDates, parseMonth } from '../kit/dates.js';
import { HolidayFileError, readHolidayOverrides, type HolidayFile } from './overrides.js';
import { packageYear, type YearDays } from './package-data.js';

/** Where a year's data came from. */
export type YearSource = 'package' | 'override';

/** One holiday break: consecutive days off, with the holiday names it covers (e.g. "国庆节、中秋"). */
export interface HolidayPeriod {
  name: string;
  start: string;
  end: string;
  days: number;
}

interface OverrideDay {
  name: string;
  isOffDay: boolean;
  source: string;
}

export class HolidayCalendar {
  private readonly overrideYears = new Set<number>();
  private readonly overrideDays = new Map<string, OverrideDay>();
  private readonly years = new Map<number, YearDays | undefined>();

  /** Build from already parsed override files (none: the package alone). */
  constructor(overrides: readonly HolidayFile[] = []) {
    for (const file of overrides) {
      this.overrideYears.add(file.year);
      for (const day of file.days) {
        const seen = this.overrideDays.get(day.date);
        if (seen && seen.isOffDay !== day.isOffDay) {
          throw new HolidayFileError(
            `${file.source}: ${day.date} is a ${day.isOffDay ? 'day off' : 'working day'} here but not in ${seen.source}`,
          );
        }
        this.overrideDays.set(day.date, { name: day.name, isOffDay: day.isOffDay, source: file.source });
      }
    }
  }

  /**
   * Load the calendar: the package's data plus the override file or folder when `overrides` is set (an empty
   * string counts as unset, as in the environment).
   */
  static async load(opts: { overrides?: string } = {}): Promise<HolidayCalendar> {
    const path = opts.overrides?.trim();
    return new HolidayCalendar(path ? await readHolidayOverrides(path) : []);
  }

  /** True when the year's State Council notice is known (from the package or an override). */
  isYearCovered(year: number): boolean {
    return this.year(year) !== undefined;
  }

  /** Where the year's data comes from, or undefined for a year without data. */
  yearSource(year: number): YearSource | undefined {
    if (!this.isYearCovered(year)) return undefined;
    return this.overrideYears.has(year) ? 'override' : 'package';
  }

  /** The days off of a month `YYYY-MM`, in order; undefined when its year has no data. */
  daysOff(month: string): string[] | undefined {
    const data = this.year(parseMonth(month).year);
    return data && monthDates(month).filter((d) => data.off.has(d));
  }

  /** The make-up working days (调休上班) of a month; undefined when its year has no data. */
  makeupWorkdays(month: string): string[] | undefined {
    const data = this.year(parseMonth(month).year);
    return data && monthDates(month).filter((d) => data.makeup.has(d));
  }

  /** The official working days of a month (weekdays not off, plus make-up days); undefined without data. */
  officialWorkdays(month: string): string[] | undefined {
    const data = this.year(parseMonth(month).year);
    return data && monthDates(month).filter((d) => data.makeup.has(d) || (!isWeekend(d) && !data.off.has(d)));
  }

  /** Whether a date is inside an announced holiday break; undefined when its year has no data. */
  isDayOff(date: string): boolean | undefined {
    const data = this.year(Number(date.slice(0, 4)));
    return data && data.off.has(date);
  }

  /** The holiday a date belongs to (a day off or a make-up working day), or undefined. */
  holidayName(date: string): string | undefined {
    const data = this.year(Number(date.slice(0, 4)));
    return data?.off.get(date) ?? data?.makeup.get(date);
  }

  /** The holiday breaks of a year (runs of consecutive days off); undefined when the year has no data. */
  holidayPeriods(year: number): HolidayPeriod[] | undefined {
    const data = this.year(year);
    if (!data) return undefined;
    const periods: HolidayPeriod[] = [];
    let names: string[] = [];
    for (const date of [...data.off.keys()].sort()) {
      const last = periods[periods.length - 1];
      const name = data.off.get(date)!;
      if (last && addDays(last.end, 1) === date) {
        last.end = date;
        last.days += 1;
        if (!names.includes(name)) names.push(name);
        last.name = names.join('、');
      } else {
        names = [name];
        periods.push({ name, start: date, end: date, days: 1 });
      }
    }
    return periods;
  }

  private year(year: number): YearDays | undefined {
    if (!this.years.has(year)) this.years.set(year, this.build(year));
    return this.years.get(year);
  }

  /**
   * A year an override announces comes from the overrides only, so a corrected notice fully replaces the
   * package. Otherwise the package's year, with any override day that spills over into it (a New Year break
   * announced with the previous year) applied on top.
   */
  private build(year: number): YearDays | undefined {
    const prefix = `${year}-`;
    const own = [...this.overrideDays].filter(([date]) => date.startsWith(prefix));
    let data: YearDays | undefined;
    if (this.overrideYears.has(year)) data = { off: new Map(), makeup: new Map() };
    else data = packageYear(year);
    if (!data) return undefined;
    for (const [date, day] of own) {
      data.off.delete(date);
      data.makeup.delete(date);
      (day.isOffDay ? data.off : data.makeup).set(date, day.name);
    }
    return data;
  }
}
