/**
 * The monthly attendance sheet (考勤表) as an Excel workbook: the county's sheet, one sheet per sending unit
 * (its own cadres, same columns) and the 说明 sheet. `buildSheet`
 * is pure (figures, roster, month and calendar in; a workbook out); `exportSheet` loads the county's figures
 * in one batch and writes the file's bytes.
 */
import ExcelJS from 'exceljs';
import type { FiguresSource } from '../attendance/figures.js';
import { monthDates, startOfLocalDay } from '../kit/dates.js';
import { loadMonthFigures } from '../attendance/month-figures.js';
import type { Roster } from '../roster/roster.js';
import { monthCadres, monthFiguresFor, type MonthBasis } from '../close/read.js';
import { addMonthSheet, type SheetCalendar } from './month-sheet.js';
import { addNotesSheet } from './notes-sheet.js';
import { ClosedMonthStore } from '../close/store.js';
import type { SheetRules } from '../../templates/sheet.js';
import { sheetRows, type SheetInput } from './rows.js';

export type { SheetCalendar } from './month-sheet.js';
export type { SheetInput } from './rows.js';
export type { SheetRules } from '../../templates/sheet.js';

/**
 * Build the workbook of `month` (`YYYY-MM`) from figures that hold that month (`loadMonthFigures` gives the
 * leave class of each day too, for the shading of leave that counts as present). Every cadre of the roster
 * with figures and at least one term day in the month gets a row. `rules` are the policy's check-in rules the
 * 说明 sheet explains (`checkin.selfReported`, `checkin.backfillHours`); `basis` which policy version applied and
 * whether the month is closed (the line under the title says so).
 */
export function buildSheet(
  figures: SheetInput,
  roster: Roster,
  month: string,
  calendar: SheetCalendar,
  rules: SheetRules,
  basis?: MonthBasis,
): ExcelJS.Workbook {
  const rows = sheetRows(figures, roster, month);
  const any = [...figures.values()].flatMap((f) => f.months).find((m) => m.month === month);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'zhucun-bot';
  // The file's own dates follow the figures, not the clock, so the same data gives the same workbook.
  if (any) wb.created = wb.modified = startOfLocalDay(any.today);
  const meta = { county: roster.data.county, month, today: any?.today, phase: any?.phase, basis };
  addMonthSheet(wb, rows, meta, calendar);
  for (const unit of unitsOf(roster, rows)) {
    addMonthSheet(
      wb,
      rows.filter((r) => r.cadre.sendingUnit === unit),
      { ...meta, unit },
      calendar,
    );
  }
  const target = rows.map((r) => r.month.target).find((t) => t.status === 'set');
  addNotesSheet(wb, target?.status === 'set' ? { minimum: target.minimum, rule: target.rule } : undefined, rules);
  return wb;
}

/**
 * The sending units with a row in the month, in the roster's order of units (its `sendingUnits`, then the
 * units as the cadres name them), each once.
 */
function unitsOf(roster: Roster, rows: readonly { cadre: { sendingUnit: string } }[]): string[] {
  const present = new Set(rows.map((r) => r.cadre.sendingUnit));
  const order = [
    ...(roster.data.sendingUnits ?? []).map((u) => u.name),
    ...roster.data.cadres.map((c) => c.sendingUnit),
    ...rows.map((r) => r.cadre.sendingUnit),
  ];
  return [...new Set(order)].filter((u) => present.has(u));
}

/** What `exportSheet` needs: the figures' sources, with a calendar that may name holidays. */
export interface SheetSource extends FiguresSource {
  calendar: SheetCalendar;
}

/** An exported sheet: the xlsx bytes, how many cadres it lists, and which policy and closing it reflects. */
export interface ExportedSheet {
  bytes: Buffer;
  cadres: number;
  basis?: MonthBasis;
}

/**
 * The xlsx of `month` for every cadre on the roster whose term touches the month, as of `now`; a closed month
 * lists the cadres and figures it was closed with. `only` keeps the cadres it accepts (a scope's part of the
 * county). Throws RangeError for a malformed month.
 */
export async function exportSheet(
  src: SheetSource,
  roster: Roster,
  month: string,
  now: Date,
  only?: (userid: string) => boolean,
): Promise<ExportedSheet> {
  // A closed month lists the cadres it was closed with, not those the roster has put in post since.
  const store = new ClosedMonthStore(src.redis, src.keys);
  const closed = (await store.get(month)) ? new Set(await store.cadres(month)) : undefined;
  // `only`: a part of the county (a township's, a sending unit's, a work group's cadres); the county without it.
  const closedIds = closed && only ? new Set([...closed].filter(only)) : closed;
  const listed = closedIds ? roster.data.cadres.filter((c) => closedIds.has(c.userid)) : monthCadres(roster, month);
  const cadres = only ? listed.filter((c) => only(c.userid)) : listed;
  const read = await monthFiguresFor(src, cadres, { now, months: [month] });
  const { basis } = read;
  const figures = closedIds ? new Map([...read.figures].filter(([id]) => closedIds.has(id))) : read.figures;
  const b = basis.get(month);
  // The 说明 sheet explains the rules of the policy the month was counted under.
  const policy = b?.policy ?? src.policy;
  const { selfReported, backfillHours } = policy.checkin;
  const withYear = await throughMonthEnd({ ...src, policy }, cadres, figures, month, now);
  const wb = buildSheet(withYear, roster, month, src.calendar, { selfReported, backfillHours }, b);
  return { bytes: Buffer.from(await wb.xlsx.writeBuffer()), cadres: figures.size, ...(b ? { basis: b } : {}) };
}

/**
 * The figures with their annual figures counted through the month's last day (the year-to-date columns): for a
 * month already over, the year as it stood on that day, from the same data; for the running month (or a month
 * to come) the year as of `now`, as given.
 */
async function throughMonthEnd(
  src: FiguresSource,
  cadres: Parameters<typeof loadMonthFigures>[1],
  figures: SheetInput,
  month: string,
  now: Date,
): Promise<SheetInput> {
  // The last moment of the month: its last day counts once it has a check-in, as every day does on its evening.
  const end = new Date(startOfLocalDay(monthDates(month).at(-1)!).getTime() + 86_400_000 - 1);
  if (end >= now) return figures;
  const asOfEnd = await loadMonthFigures(src, cadres, { now: end, months: [month] });
  return new Map(
    [...figures].map(([id, f]) => {
      const year = asOfEnd.get(id)?.year;
      return [id, year ? { ...f, year } : f];
    }),
  );
}
