/**
 * The month's worksheet: title, the as-of line, a two-row header (day numbers over weekdays, days off shaded),
 * one row per cadre grouped by township and village with a mark per day, the month's totals and the year to
 * date (年度累计), the legend under the table and the signature block (填报单位、审核人、日期) under that. The
 * county's sheet and each sending unit's are made the same way. Writes into a workbook; reads nothing but its arguments.
 */
import type ExcelJS from 'exceljs';
import type { MonthFigures } from '../attendance/accounting.js';
import type { DayMark } from '../attendance/days.js';
import type { TargetCalendar } from '../attendance/targets.js';
import { localDate, monthDates, weekday } from '../kit/dates.js';
import * as T from '../../templates/sheet.js';
import { runs, type SheetRow } from './rows.js';
import { BORDER, CENTER, FILLS, FONTS, PRINT } from './style.js';

/** What the sheet needs from the holiday calendar; `holidayName` (HolidayCalendar has it) adds header notes. */
export interface SheetCalendar extends TargetCalendar {
  holidayName?(date: string): string | undefined;
}

/** Facts of the whole sheet, the same for every row. */
export interface SheetMeta {
  county: string | undefined;
  month: string;
  today: string | undefined;
  phase: MonthFigures['phase'] | undefined;
  /** A sending unit's sheet: its name (sheet name, title and 填报单位); absent for the county's sheet. */
  unit?: string;
  /** Which policy version applied and whether the month is closed (absent: the line says nothing of it). */
  basis?: { closed?: { closedAt: number }; version?: { effectiveFrom: string } };
}

const FIXED = [
  { header: T.HEADERS.township, width: 10 },
  { header: T.HEADERS.village, width: 10 },
  { header: T.HEADERS.name, width: 9 },
  { header: T.HEADERS.role, width: 6 },
  { header: T.HEADERS.unit, width: 16 },
] as const;

const TOTALS = [
  { header: T.HEADERS.present, width: 8 },
  { header: T.HEADERS.selfReported, width: 8 },
  { header: T.HEADERS.leave, width: 8 },
  { header: T.HEADERS.target, width: 7 },
  { header: T.HEADERS.gap, width: 6 },
  { header: T.HEADERS.status, width: 9 },
] as const;

/** The year-to-date group after the month's totals (presence through the month, pace, annual target). */
const YEAR = [
  { header: T.YEAR_HEADERS.present, width: 8 },
  { header: T.YEAR_HEADERS.pace, width: 8 },
  { header: T.YEAR_HEADERS.target, width: 8 },
] as const;

/** First data row; rows 1–2 are the title and the as-of line, 3–4 the header. */
export const FIRST_ROW = 5;

/** 1-based column of day `n` of the month, and of the first totals column for a month of `days` days. */
export const dayColumn = (n: number) => FIXED.length + n;
export const totalsColumn = (days: number) => FIXED.length + days + 1;
/** 1-based column of the first year-to-date column, and the last column of the table. */
export const yearColumn = (days: number) => totalsColumn(days) + TOTALS.length;
export const lastColumn = (days: number) => yearColumn(days) + YEAR.length - 1;

// Framed cells share their style objects, one per font and fill: ExcelJS works out a style once per object it
// has seen, so thousands of cells cost a few styles, not one each. A shared style is replaced, never changed
// (setting `cell.fill` would change it for every cell that shares it).
const framed = new Map<Partial<ExcelJS.Font>, Map<ExcelJS.Fill | undefined, Partial<ExcelJS.Style>>>();

function frame(cell: ExcelJS.Cell, font: Partial<ExcelJS.Font> = FONTS.body, fill?: ExcelJS.Fill): void {
  let byFill = framed.get(font);
  if (!byFill) framed.set(font, (byFill = new Map()));
  let style = byFill.get(fill);
  if (!style) {
    style = { border: BORDER, font, alignment: CENTER, ...(fill ? { fill } : {}) };
    byFill.set(fill, style);
  }
  cell.style = style;
}

function writeHeader(ws: ExcelJS.Worksheet, dates: readonly string[], calendar: SheetCalendar): void {
  const lastCol = lastColumn(dates.length);
  for (const r of [3, 4]) {
    for (let col = 1; col <= lastCol; col++) {
      const cell = ws.getCell(r, col);
      frame(cell, FONTS.header, FILLS.header);
    }
  }
  const cols = [
    ...FIXED.map((c, i) => ({ ...c, col: i + 1 })),
    ...TOTALS.map((c, i) => ({ ...c, col: totalsColumn(dates.length) + i })),
  ];
  for (const c of cols) {
    ws.mergeCells(3, c.col, 4, c.col);
    ws.getCell(3, c.col).value = c.header;
    ws.getColumn(c.col).width = c.width;
  }
  const year = yearColumn(dates.length);
  ws.mergeCells(3, year, 3, year + YEAR.length - 1);
  ws.getCell(3, year).value = T.YEAR_HEADER;
  YEAR.forEach((c, i) => {
    ws.getCell(4, year + i).value = c.header;
    ws.getColumn(year + i).width = c.width;
  });
  dates.forEach((date, i) => {
    const col = dayColumn(i + 1);
    ws.getColumn(col).width = 3.6;
    ws.getCell(3, col).value = i + 1;
    ws.getCell(4, col).value = T.WEEKDAYS[weekday(date)];
    const name = calendar.holidayName?.(date);
    const off = calendar.isDayOff(date) === true;
    if (name) ws.getCell(3, col).note = T.holidayNote(name, off);
    if (off) for (const r of [3, 4]) frame(ws.getCell(r, col), FONTS.header, FILLS.holidayHeader);
  });
}

const MARK_FONTS: Partial<Record<DayMark, Partial<ExcelJS.Font>>> = {
  'self-reported': FONTS.selfReported,
  pending: FONTS.selfReported,
  absent: FONTS.absent,
  outside: FONTS.muted,
};

function writeDay(cell: ExcelJS.Cell, day: { date: string; mark: DayMark }, row: SheetRow, off: boolean): void {
  // A day with no data yet is an empty cell, not an empty string.
  cell.value = T.MARKS[day.mark] || null;
  const leave = row.leave.get(day.date);
  const font = MARK_FONTS[day.mark];
  if (day.mark === 'leave' && leave) {
    frame(cell, font, FILLS.leave[leave.class]);
    cell.note = T.leaveNote(leave.type, leave.class);
  } else frame(cell, font, off ? FILLS.holiday : undefined);
}

function writeTotals(ws: ExcelJS.Worksheet, r: number, first: number, row: SheetRow): void {
  const m = row.month;
  const leaveDays = m.days.filter((d) => d.mark === 'leave').length;
  const status = T.statusWord(m.status, m.phase);
  const values = [
    m.present,
    m.selfReported,
    leaveDays,
    m.target.status === 'set' ? m.target.target : T.PENDING,
    m.needed ?? T.PENDING,
    status,
  ];
  const statusFill = m.status === 'at-risk' ? FILLS.atRisk : m.status === 'cannot-reach' ? FILLS.short : undefined;
  values.forEach((v, i) => {
    const cell = ws.getCell(r, first + i);
    cell.value = v;
    frame(cell, FONTS.body, i === values.length - 1 ? statusFill : undefined);
  });
  const y = row.year;
  [y.present, y.pace, y.target.target].forEach((v, i) => {
    const cell = ws.getCell(r, first + TOTALS.length + i);
    cell.value = v;
    frame(cell);
  });
}

function writeRows(
  ws: ExcelJS.Worksheet,
  rows: readonly SheetRow[],
  dates: readonly string[],
  calendar: SheetCalendar,
): void {
  const offs = dates.map((d) => calendar.isDayOff(d) === true);
  rows.forEach((row, i) => {
    const r = FIRST_ROW + i;
    const fixed = [row.township, row.village, row.cadre.name, row.cadre.role, row.cadre.sendingUnit];
    fixed.forEach((v, c) => {
      const cell = ws.getCell(r, c + 1);
      cell.value = v;
      frame(cell);
    });
    if (row.note) ws.getCell(r, 3).note = row.note;
    row.month.days.forEach((day, d) => writeDay(ws.getCell(r, dayColumn(d + 1)), day, row, offs[d]!));
    writeTotals(ws, r, totalsColumn(dates.length), row);
  });
  // Township and village cells span their rows, as a printed 考勤表 groups them.
  for (const run of runs(rows.map((r) => r.townshipId)))
    if (run.end - run.start > 1) ws.mergeCells(FIRST_ROW + run.start, 1, FIRST_ROW + run.end - 1, 1);
  for (const run of runs(rows.map((r) => `${r.townshipId}/${r.villageId}`))) {
    if (run.end - run.start > 1) ws.mergeCells(FIRST_ROW + run.start, 2, FIRST_ROW + run.end - 1, 2);
  }
}

/** Add the month's worksheet to `wb`. */
export function addMonthSheet(
  wb: ExcelJS.Workbook,
  rows: readonly SheetRow[],
  meta: SheetMeta,
  calendar: SheetCalendar,
): ExcelJS.Worksheet {
  const dates = monthDates(meta.month);
  const lastCol = lastColumn(dates.length);
  const year = Number(meta.month.slice(0, 4));
  const name = meta.unit === undefined ? T.monthSheetName(meta.month) : T.unitSheetName(meta.unit);
  const ws = wb.addWorksheet(name, {
    pageSetup: { ...PRINT, printTitlesRow: `3:${FIRST_ROW - 1}` },
    headerFooter: { oddFooter: T.FOOTER },
  });
  // Names and header stay in view while scrolling through days and cadres.
  const corner = ws.getCell(FIRST_ROW, FIXED.length + 1).address;
  ws.views = [
    { state: 'frozen', xSplit: FIXED.length, ySplit: FIRST_ROW - 1, topLeftCell: corner, activeCell: corner },
  ];
  ws.mergeCells(1, 1, 1, lastCol);
  const titleCell = ws.getCell(1, 1);
  titleCell.value =
    meta.unit === undefined ? T.title(meta.county, meta.month) : T.unitTitle(meta.county, meta.unit, meta.month);
  titleCell.font = FONTS.title;
  titleCell.alignment = CENTER;
  ws.getRow(1).height = 28;
  ws.mergeCells(2, 1, 2, lastCol);
  const asOf = ws.getCell(2, 1);
  const closedAt = meta.basis?.closed?.closedAt;
  const basis = meta.basis
    ? T.basisLine({
        ...(closedAt !== undefined ? { closedOn: localDate(new Date(closedAt)) } : {}),
        ...(meta.basis.version ? { effectiveFrom: meta.basis.version.effectiveFrom } : {}),
        monthEnd: monthDates(meta.month).at(-1)!,
      })
    : '';
  asOf.value =
    T.asOf({
      phase: meta.phase,
      today: meta.today,
      cadres: rows.length,
      uncoveredYear: calendar.isYearCovered(year) ? undefined : year,
      closed: closedAt !== undefined,
    }) + basis;
  asOf.font = FONTS.body;
  writeHeader(ws, dates, calendar);
  writeRows(ws, rows, dates, calendar);
  const legendRow = FIRST_ROW + rows.length + 1;
  ws.mergeCells(legendRow, 1, legendRow, lastCol);
  const legend = ws.getCell(legendRow, 1);
  legend.value = T.LEGEND;
  legend.font = FONTS.muted;
  writeSignature(ws, legendRow + 2, lastCol, meta.unit);
  return ws;
}

/** The row of the signature block: 填报单位, 审核人 and 日期 side by side, each over a third of the width. */
export const signatureRow = (cadres: number) => FIRST_ROW + cadres + 3;

function writeSignature(ws: ExcelJS.Worksheet, r: number, lastCol: number, unit: string | undefined): void {
  const parts = T.signature(unit);
  const width = Math.floor(lastCol / parts.length);
  parts.forEach((text, i) => {
    const from = 1 + i * width;
    const to = i === parts.length - 1 ? lastCol : from + width - 1;
    ws.mergeCells(r, from, r, to);
    const cell = ws.getCell(r, from);
    cell.value = text;
    cell.font = FONTS.header;
    cell.alignment = { vertical: 'middle', horizontal: 'left' };
  });
  ws.getRow(r).height = 30;
}
