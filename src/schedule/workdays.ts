/**
 * Whether a date is an official working day, for the reminders (docs/rules.md): a weekday that is not a day off
 * of the holiday calendar, or a make-up working day (调休上班, e.g. a Saturday after a long break). In a year
 * whose holiday notice is not loaded, the weekdays: weekends are known, holidays are never guessed.
 */
import type { HolidayCalendar } from '../calendar/calendar.js';
import { isWeekend } from '../kit/dates.js';

/** What the check needs from the holiday calendar (`HolidayCalendar` fits). */
export type WorkdayCalendar = Pick<HolidayCalendar, 'officialWorkdays'>;

/** True on an official working day (see the module comment). */
export function isWorkingDay(calendar: WorkdayCalendar, date: string): boolean {
  const workdays = calendar.officialWorkdays(date.slice(0, 7));
  return workdays ? workdays.includes(date) : !isWeekend(date);
}
