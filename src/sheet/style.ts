/**
 * Looks of the attendance sheet: fills, fonts and borders shared by the month sheet and the 说明 sheet. The
 * marks stay readable in black and white; the colours only help on screen.
 */
import type ExcelJS from 'exceljs';
import type { LeaveClass } from '../leave/workflow.js';

const solid = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });

export const FILLS = {
  header: solid('FFD9E1F2'),
  holidayHeader: solid('FFF8CBAD'),
  holiday: solid('FFFCE4D6'),
  leave: { present: solid('FFE2EFDA'), excused: solid('FFFFF2CC'), absent: solid('FFEDEDED') } satisfies Record<
    LeaveClass,
    ExcelJS.Fill
  >,
  atRisk: solid('FFFFE699'),
  short: solid('FFF4B084'),
};

export const FONTS = {
  title: { name: '宋体', size: 16, bold: true } satisfies Partial<ExcelJS.Font>,
  header: { name: '宋体', size: 10, bold: true } satisfies Partial<ExcelJS.Font>,
  body: { name: '宋体', size: 10 } satisfies Partial<ExcelJS.Font>,
  selfReported: { name: '宋体', size: 10, color: { argb: 'FFC55A11' } } satisfies Partial<ExcelJS.Font>,
  absent: { name: '宋体', size: 10, bold: true, color: { argb: 'FFC00000' } } satisfies Partial<ExcelJS.Font>,
  muted: { name: '宋体', size: 10, color: { argb: 'FF808080' } } satisfies Partial<ExcelJS.Font>,
};

const thin: ExcelJS.Border = { style: 'thin', color: { argb: 'FF808080' } };

export const BORDER: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };

export const CENTER: Partial<ExcelJS.Alignment> = { horizontal: 'center', vertical: 'middle' };

export const WRAP: Partial<ExcelJS.Alignment> = { vertical: 'top', wrapText: true };

/** A4 landscape, one page wide, as many pages down as needed (Excel's `fitToHeight: 0`). */
export const PRINT: Partial<ExcelJS.PageSetup> = {
  paperSize: 9,
  orientation: 'landscape',
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  horizontalCentered: true,
  margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
};
