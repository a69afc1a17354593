import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { Roster } from '../../src/roster/roster.js';
import { buildSheet } from '../../src/sheet/build.js';
import { inTermDuring, loadMonthFigures } from '../../src/attendance/month-figures.js';
import { dayColumn, FIRST_ROW, totalsColumn } from '../../src/sheet/month-sheet.js';
import { FILLS } from '../../src/sheet/style.js';
import * as T from '../../templates/sheet.js';
import { checkIn, days, leave, pendingCheckIn } from '../attendance/seed.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const NOW = new Date('2026-11-18T09:00:00+08:00');
const roster = new Roster(sampleRosterData());
const calendar = new HolidayCalendar();
const src = { redis: t.redis, keys: t.keys, policy: defaultPolicy(), calendar };

beforeAll(async () => {
  // October 2026: 国庆 1–7 off, one day in the village on the holiday, a self-reported day, sick leave
  // (excused) and an official trip (counts as present).
  await checkIn(t, 'LiXiaoYan', ['2026-10-03', ...days('2026-10-08', '2026-10-16')]);
  await checkIn(t, 'LiXiaoYan', ['2026-10-17'], 'message');
  await leave(t, 'LiXiaoYan', '病假', '2026-10-19', '2026-10-21');
  await leave(t, 'LiXiaoYan', '公差', '2026-10-22', '2026-10-23');
  // November 2026, the month of `now`.
  await checkIn(t, 'LiXiaoYan', days('2026-11-02', '2026-11-13'));
  await checkIn(t, 'LiXiaoYan', ['2026-11-16'], 'message');
  // A self-reported location still waiting for confirmation: marked apart, not counted.
  await pendingCheckIn(t, 'LiXiaoYan', ['2026-11-17']);
});

const rules = { selfReported: 'confirm' as const, backfillHours: 48 };

/** Build the month's workbook, write it as xlsx and read it back as Excel would. */
async function roundTrip(month: string, sheetRules: T.SheetRules = rules): Promise<ExcelJS.Workbook> {
  const cadres = roster.data.cadres.filter((c) => inTermDuring(c, month));
  const figures = await loadMonthFigures(src, cadres, { now: NOW, months: [month] });
  const bytes = await buildSheet(figures, roster, month, calendar, sheetRules).xlsx.writeBuffer();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes);
  return wb;
}

function rowOf(ws: ExcelJS.Worksheet, name: string): number {
  for (let r = FIRST_ROW; r <= ws.rowCount; r++) if (ws.getCell(r, 3).value === name) return r;
  throw new Error(`no row for ${name}`);
}

const day = (ws: ExcelJS.Worksheet, r: number, n: number) => ws.getCell(r, dayColumn(n));
const fillOf = (cell: ExcelJS.Cell) => (cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;

describe('the monthly attendance sheet', () => {
  it('marks each day of a closed month and totals it against the target', async () => {
    const wb = await roundTrip('2026-10');
    const ws = wb.getWorksheet(T.monthSheetName('2026-10'))!;
    expect(ws.getCell(1, 1).value).toBe('侯马市（示例） 驻村干部 2026年10月 考勤表');
    expect(ws.getCell(2, 1).value).toBe('本月已结束，2026年11月18日导出。');

    // Header: day numbers over weekdays, the National Day break shaded.
    expect(ws.getCell(3, dayColumn(1)).value).toBe(1);
    expect(ws.getCell(4, dayColumn(1)).value).toBe('四');
    expect(ws.getCell(3, dayColumn(31)).value).toBe(31);
    expect(fillOf(ws.getCell(3, dayColumn(1)))).toBe(fillOf({ fill: FILLS.holidayHeader } as ExcelJS.Cell));
    expect(fillOf(ws.getCell(3, dayColumn(8)))).toBe(fillOf({ fill: FILLS.header } as ExcelJS.Cell));

    const r = rowOf(ws, '李晓燕');
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => day(ws, r, n).value)).toEqual(['节', '节', '✓', '节', '节', '节', '节']);
    expect(day(ws, r, 8).value).toBe('✓');
    expect(day(ws, r, 17).value).toBe('◐');
    expect(day(ws, r, 18).value).toBe('·');
    expect(day(ws, r, 19).value).toBe('假');
    expect(fillOf(day(ws, r, 19))).toBe(fillOf({ fill: FILLS.leave.excused } as ExcelJS.Cell));
    expect(day(ws, r, 22).value).toBe('假');
    expect(fillOf(day(ws, r, 22))).toBe(fillOf({ fill: FILLS.leave.present } as ExcelJS.Cell));

    // 13 presence days: the holiday, nine verified, one self-reported, two days of 公差. Target: 31 days,
    // 7 off, 3 excused → ceil(22 × 21 / 31) = 15; two short, so the closed month is missed.
    const totals = totalsColumn(31);
    expect([0, 1, 2, 3, 4, 5].map((i) => ws.getCell(r, totals + i).value)).toEqual([13, 1, 5, 15, 2, '未达标']);
    expect(ws.getCell(3, totals).value).toBe(T.HEADERS.present);
    expect(ws.getCell(3, totals + 5).value).toBe(T.HEADERS.status);
  });

  it('groups rows by township and village, with the identity columns', async () => {
    const ws = (await roundTrip('2026-10')).getWorksheet(T.monthSheetName('2026-10'))!;
    const first = [1, 2, 3, 4, 5].map((c) => ws.getCell(FIRST_ROW, c).value);
    expect(first).toEqual(['新田乡', '北堡村', '王建国', '书记', '县财政局']);
    const r = rowOf(ws, '李晓燕');
    // Township and village cells span their rows.
    expect(ws.getCell(r, 1).isMerged).toBe(true);
    expect(ws.getCell(r, 1).value).toBe('新田乡');
    expect(ws.getCell(r, 2).value).toBe('北堡村');
    expect(ws.getCell(rowOf(ws, '范卫东'), 1).value).toBe('高村乡');
    expect(ws.getCell(rowOf(ws, '范卫东') + 4, 2).value).toBe('隘口村');
    // 31 cadres, then a blank row and the legend.
    expect(ws.getCell(FIRST_ROW + 31 + 1, 1).value).toBe(T.LEGEND);
  });

  it('leaves today without a check-in and the rest of a running month blank', async () => {
    const ws = (await roundTrip('2026-11')).getWorksheet(T.monthSheetName('2026-11'))!;
    expect(ws.getCell(2, 1).value).toBe('统计截至 2026年11月18日（今天尚未签到的为空白，不算未在村）。');
    const r = rowOf(ws, '李晓燕');
    expect(day(ws, r, 1).value).toBe('·');
    expect(day(ws, r, 2).value).toBe('✓');
    expect(day(ws, r, 16).value).toBe('◐');
    expect(day(ws, r, 18).value).toBeNull();
    expect(day(ws, r, 30).value).toBeNull();
    // 13 days so far, 22 to reach, 9 still needed with 13 open days: on track.
    const totals = totalsColumn(30);
    expect([0, 1, 2, 3, 4, 5].map((i) => ws.getCell(r, totals + i).value)).toEqual([13, 1, 0, 22, 9, '按计划']);
  });

  it('reads 待定 for a month of a year without holiday data', async () => {
    const ws = (await roundTrip('2027-02')).getWorksheet(T.monthSheetName('2027-02'))!;
    expect(ws.getCell(2, 1).value).toBe(
      '本月尚未开始，2026年11月18日导出；2027 年放假安排尚未公布，表中未标放假日，月目标待定。',
    );
    const r = rowOf(ws, '李晓燕');
    const totals = totalsColumn(28);
    expect([3, 4, 5].map((i) => ws.getCell(r, totals + i).value)).toEqual(['待定', '待定', '待定']);
  });

  it('freezes the names and header and prints landscape on A4, one page wide', async () => {
    const ws = (await roundTrip('2026-10')).getWorksheet(T.monthSheetName('2026-10'))!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 5, ySplit: 4 });
    expect(ws.pageSetup).toMatchObject({
      orientation: 'landscape',
      paperSize: 9,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    });
    expect(ws.getColumn(dayColumn(1)).width).toBeLessThan(ws.getColumn(5).width!);
  });

  it('explains marks, counting and check-in sources on a second sheet', async () => {
    const wb = await roundTrip('2026-10');
    // The county's sheet, one per sending unit, then the notes.
    const names = wb.worksheets.map((w) => w.name);
    expect(names[0]).toBe(T.monthSheetName('2026-10'));
    expect(names.slice(1, -1)).toEqual((roster.data.sendingUnits ?? []).map((u) => u.name));
    expect(names.at(-1)).toBe(T.NOTES_SHEET);
    const text: string[] = [];
    wb.getWorksheet(T.NOTES_SHEET)!.eachRow((row) => row.eachCell((cell) => text.push(String(cell.value))));
    const all = text.join('\n');
    for (const [mark] of T.markRows(rules)) expect(text).toContain(mark);
    expect(all).toContain('发送位置（自选地点）');
    expect(all).toContain('签到页定位');
    expect(all).toContain('月目标（按比例折算）：每月 22 天 × 应在村天数 ÷ 当月天数，向上取整');
  });

  it('builds the back-fill window and the self-reported rule of the notes from the policy', async () => {
    const wb = await roundTrip('2026-11', { selfReported: 'count', backfillHours: 24 });
    const text: string[] = [];
    wb.getWorksheet(T.NOTES_SHEET)!.eachRow((row) => row.eachCell((cell) => text.push(String(cell.value))));
    const all = text.join('\n');
    expect(all).toContain('漏签后 24 小时内说明原因');
    expect(all).not.toContain('48 小时');
    expect(all).toContain('按本县规定直接计入在村天数');
    const confirm = await roundTrip('2026-11');
    const notes: string[] = [];
    confirm.getWorksheet(T.NOTES_SHEET)!.eachRow((row) => row.eachCell((cell) => notes.push(String(cell.value))));
    expect(notes.join('\n')).toContain('经领队或乡镇（街道）确认后计入在村天数');
    expect(notes).toContain('○');
  });

  it('marks a day waiting for confirmation apart and does not count it', async () => {
    const wb = await roundTrip('2026-11');
    const ws = wb.getWorksheet(T.monthSheetName('2026-11'))!;
    const r = rowOf(ws, '李晓燕');
    expect(day(ws, r, 16).value).toBe('◐');
    expect(day(ws, r, 17).value).toBe('○');
    // 12 verified days and the self-reported 16th; the 17th waits.
    expect(ws.getCell(r, totalsColumn(30)).value).toBe(13);
  });
});
