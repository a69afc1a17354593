/**
 * The 说明 worksheet: what each mark means, how the totals are counted (with the month's rule), and where a
 * check-in comes from, so whoever reads the sheet can tell a phone's location from a point picked on a map.
 */
import type ExcelJS from 'exceljs';
import type { MonthlyRule } from '../policy/policy.js';
import * as T from '../../templates/sheet.js';
import { BORDER, CENTER, FILLS, FONTS, PRINT, WRAP } from './style.js';

function heading(ws: ExcelJS.Worksheet, text: string): void {
  const row = ws.addRow([text]);
  row.font = FONTS.header;
  row.height = 20;
}

function table(ws: ExcelJS.Worksheet, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const head = ws.addRow([...header]);
  head.eachCell((cell) => {
    cell.font = FONTS.header;
    cell.fill = FILLS.header;
    cell.border = BORDER;
    cell.alignment = CENTER;
  });
  for (const values of rows) {
    const row = ws.addRow([...values]);
    row.eachCell((cell, col) => {
      cell.font = FONTS.body;
      cell.border = BORDER;
      cell.alignment = col === 1 ? CENTER : WRAP;
    });
  }
}

/**
 * Add the 说明 sheet; `rule` is the month's target rule when it is known (undefined while pending), `rules` the
 * county's check-in rules the marks and sources depend on.
 */
export function addNotesSheet(
  wb: ExcelJS.Workbook,
  rule: { minimum: number; rule: MonthlyRule } | undefined,
  rules: T.SheetRules,
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(T.NOTES_SHEET, { pageSetup: { ...PRINT, orientation: 'portrait' } });
  ws.columns = [{ width: 20 }, { width: 70 }, { width: 12 }, { width: 10 }];

  heading(ws, T.NOTES_TITLES.marks);
  table(ws, T.MARK_HEADER, T.markRows(rules));
  ws.addRow([]);

  heading(ws, T.NOTES_TITLES.counting);
  for (const line of T.countingRows(rule)) {
    const row = ws.addRow([line]);
    ws.mergeCells(row.number, 1, row.number, 4);
    row.getCell(1).alignment = WRAP;
    row.getCell(1).font = FONTS.body;
    // Merged cells do not grow with wrapped text; give a long line the height of its wrapped lines.
    row.height = 15 * Math.ceil([...line].length / 50);
  }
  ws.addRow([]);

  heading(ws, T.NOTES_TITLES.sources);
  table(ws, T.SOURCE_HEADER, T.sourceRows(rules));
  return ws;
}
