/**
 * Options and set-up shared by the CLI subcommands: `--now` and `--month`, and the policy and holiday calendar
 * the way the server loads them (`ZHUCUN_POLICY`, `ZHUCUN_HOLIDAYS`), and reading a command line.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HolidayCalendar } from '../calendar/calendar.js';
import { dayjs, localMonth, parseMonth, TZ } from '../kit/dates.js';
import { loadPolicy, type Policy } from '../policy/policy.js';
import { UsageError } from './io.js';

/** `--now`: an ISO time; without an offset it is read as Asia/Shanghai wall time. Absent: the real now. */
export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const at = /(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(value) ? new Date(value) : dayjs.tz(value, TZ).toDate();
  if (Number.isNaN(at.getTime())) throw new UsageError(`--now: not a time: ${value} (e.g. 2026-11-18T09:30)`);
  return at;
}

/** `--month`: `YYYY-MM`; absent: the Shanghai month of `now`. */
export function parseMonthOption(value: string | undefined, now: Date): string {
  const month = value ?? localMonth(now);
  try {
    parseMonth(month);
  } catch {
    throw new UsageError(`--month: not a month written YYYY-MM: ${month}`);
  }
  return month;
}

/** The policy file and the holiday calendar with its overrides, as `serve` loads them. */
export async function loadRules(env: NodeJS.ProcessEnv): Promise<{ policy: Policy; calendar: HolidayCalendar }> {
  const policy = loadPolicy(env.ZHUCUN_POLICY?.trim() || 'config/policy.yaml', (line) =>
    process.stderr.write(`${line}\n`),
  );
  const calendar = await HolidayCalendar.load({ overrides: env.ZHUCUN_HOLIDAYS?.trim() || undefined });
  return { policy, calendar };
}

/** `parseArgs` with a wrong command line (unknown or malformed option) turned into a `UsageError` showing `usage`. */
export function parseCli<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
  }
}
