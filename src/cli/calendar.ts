/**
 * `zhucun calendar YEAR [--json]`: the year's official calendar month by month (days, days off, make-up
 * working days, official working days) and the monthly target of a cadre in post the whole month under the
 * current policy. For a year whose holiday notice is not loaded the data columns read 待定 (null in JSON) and
 * the text says how to add the year with `ZHUCUN_HOLIDAYS`.
 */
import { calendarTable, type CalendarRow } from '../../templates/calendar.js';
import { monthlyTarget } from '../attendance/targets.js';
import { HolidayCalendar } from '../calendar/calendar.js';
import { daysInMonth, monthKey } from '../kit/dates.js';
import type { Policy } from '../policy/policy.js';
import { printJson, UsageError, type CliIO } from './io.js';
import { loadRules, parseCli } from './options.js';

const USAGE = 'usage: zhucun calendar YEAR [--json]';

/** The twelve rows of a year; counts that need holiday data are null for a year without it. */
export function calendarRows(year: number, calendar: HolidayCalendar, policy: Policy): CalendarRow[] {
  const term = { start: `${year}-01-01`, end: `${year}-12-31` };
  const rows: CalendarRow[] = [];
  for (let m = 1; m <= 12; m++) {
    const month = monthKey(year, m);
    const t = monthlyTarget({ month, term, calendar, policy });
    rows.push({
      month: m,
      days: daysInMonth(month),
      daysOff: calendar.daysOff(month)?.length ?? null,
      makeupWorkdays: calendar.makeupWorkdays(month)?.length ?? null,
      workdays: calendar.officialWorkdays(month)?.length ?? null,
      target: t.status === 'set' ? t.target : null,
    });
  }
  return rows;
}

/** Run the subcommand; reads `ZHUCUN_POLICY` (default `config/policy.yaml`) and `ZHUCUN_HOLIDAYS`. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCli(
    { args: argv, options: { json: { type: 'boolean', default: false } }, allowPositionals: true },
    USAGE,
  );
  const [yearText, ...extra] = parsed.positionals;
  if (!yearText || extra.length || !/^\d{4}$/.test(yearText)) throw new UsageError(USAGE);
  const year = Number(yearText);

  const { policy, calendar } = await loadRules(io.env);
  const rows = calendarRows(year, calendar, policy);

  if (parsed.values.json) {
    printJson(io, { year, months: rows });
  } else {
    const covered = calendar.isYearCovered(year);
    io.out(
      calendarTable(year, rows, {
        minimum: policy.monthly.minimum,
        rule: policy.monthly.rule,
        covered,
        source: calendar.yearSource(year),
      }),
    );
  }
  return 0;
}
