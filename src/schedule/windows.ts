/**
 * Time helpers of the job table: the end of a job's catch-up window and the period a message key names
 * (day, ISO week). All in Asia/Shanghai.
 */
import { localDate, startOfLocalDay, weekday } from '../kit/dates.js';
import type { CatchUpJob, Policy } from '../policy/policy.js';

const HOUR_MS = 3_600_000;

/** The instant of `HH:MM` (Asia/Shanghai) on the local day of `at`. */
export function sameDayAt(at: Date, time: string): Date {
  const [h, m] = time.split(':').map(Number);
  return new Date(startOfLocalDay(localDate(at)).getTime() + (h! * 60 + m!) * 60_000);
}

/** `hours` after an instant. */
export function hoursAfter(at: Date, hours: number): Date {
  return new Date(at.getTime() + hours * HOUR_MS);
}

/**
 * A catch-up window that ends at `time` on the slot's day, or `minHours` after the slot when the policy puts
 * the slot later than that (so a moved schedule can still be caught up a little).
 */
export function untilSameDay(slot: Date, time: string, minHours = 1): Date {
  const end = sameDayAt(slot, time);
  return end.getTime() > slot.getTime() ? end : hoursAfter(slot, minHours);
}

/**
 * The catch-up window of a job whose cut-off the policy sets (`catchUpUntil.<job>`, a time of day): a slot
 * missed while every instance was down is still run until then on the slot's day (docs/rules.md).
 */
export function policyCutOff(job: CatchUpJob): (slot: Date, policy: Policy) => Date {
  return (slot, policy) => untilSameDay(slot, policy.catchUpUntil[job]);
}

/** ISO 8601 week of a `YYYY-MM-DD` date, written `2026-W47` (weeks start on Monday; week 1 holds a Thursday). */
export function isoWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  // The Thursday of the same week decides the week's year.
  const thursday = new Date(d.getTime() + (3 - ((weekday(date) + 6) % 7)) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
