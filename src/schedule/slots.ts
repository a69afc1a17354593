/**
 * The times a cron expression fires, before or after a given instant, by the injected clock rather than the
 * process's real time: catch-up on start needs the latest slot before "now", and `zhucun jobs list --now`
 * the next one. node-cron answers whether an instant matches (`task.match`, with its day-of-month and weekday
 * rules: `L`, `W`, `#`, ranges that wrap) and which seconds, minutes and hours an expression has (`parse`);
 * its own `getNextRun` reads the real clock, so the walk over days is done here.
 */
import { createTask, parse, type ScheduledTask } from 'node-cron';
import { addDays, localDate, startOfLocalDay, TZ } from '../kit/dates.js';

/** How far back or ahead to look; a policy schedule fires at least once a year. */
const HORIZON_DAYS = 400;

export class CronSlots {
  private readonly task: ScheduledTask;
  /** Milliseconds after local midnight at which the expression fires on a matching day, ascending. */
  private readonly times: number[];

  constructor(readonly expression: string) {
    const f = parse(expression);
    const times = new Set<number>();
    for (const h of f.hour)
      for (const m of f.minute) for (const s of f.second) times.add(((h * 60 + m) * 60 + s) * 1000);
    this.times = [...times].sort((a, b) => a - b);
    // A task that is never started: only its matcher is used. `dispose()` takes it out of node-cron's registry.
    this.task = createTask(expression, () => undefined, { timezone: TZ });
  }

  /** The latest slot at or before `at`, or null when there is none within a year. */
  previous(at: Date): Date | null {
    const limit = at.getTime();
    let date = localDate(at);
    for (let i = 0; i <= HORIZON_DAYS; i++, date = addDays(date, -1)) {
      const midnight = startOfLocalDay(date).getTime();
      if (!this.dayMatches(midnight)) continue;
      for (let j = this.times.length - 1; j >= 0; j--) {
        const t = midnight + this.times[j]!;
        if (t <= limit) return new Date(t);
      }
    }
    return null;
  }

  /** The first slot strictly after `after`, or null when there is none within a year. */
  next(after: Date): Date | null {
    const limit = after.getTime();
    let date = localDate(after);
    for (let i = 0; i <= HORIZON_DAYS; i++, date = addDays(date, 1)) {
      const midnight = startOfLocalDay(date).getTime();
      if (!this.dayMatches(midnight)) continue;
      for (const offset of this.times) {
        const t = midnight + offset;
        if (t > limit) return new Date(t);
      }
    }
    return null;
  }

  /** Remove the matcher's task from node-cron's task registry. */
  dispose(): void {
    void this.task.destroy();
  }

  /**
   * The time fields do not depend on the day, so a day matches exactly when its first firing time does.
   * Adding milliseconds to local midnight is exact because Asia/Shanghai has no daylight saving time.
   */
  private dayMatches(midnight: number): boolean {
    return this.task.match(new Date(midnight + this.times[0]!));
  }
}

/** `HH:MM` when an expression fires once a day at a single time (for texts such as "每天09:30提醒"), else undefined. */
export function dailyTime(expression: string): string | undefined {
  const f = parse(expression);
  if (f.hour.length !== 1 || f.minute.length !== 1) return undefined;
  return `${String(f.hour[0]).padStart(2, '0')}:${String(f.minute[0]).padStart(2, '0')}`;
}
