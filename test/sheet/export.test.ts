import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { loadFigures } from '../../src/attendance/figures.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { Roster } from '../../src/roster/roster.js';
import { exportSheet } from '../../src/sheet/build.js';
import { FIRST_ROW, signatureRow, totalsColumn, yearColumn } from '../../src/sheet/month-sheet.js';
import * as T from '../../templates/sheet.js';
import { checkIn, days, leave } from '../attendance/seed.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const NOW = new Date('2026-11-18T09:00:00+08:00');
const roster = new Roster(sampleRosterData());
const calendar = new HolidayCalendar();
const src = { redis: t.redis, keys: t.keys, policy: defaultPolicy(), calendar };

beforeAll(async () => {
  // As in build.test.ts: October 2026 with a holiday day in the village, a self-reported day, sick leave and
  // an official trip; thirteen more days in November, the month of NOW.
  await checkIn(t, 'LiXiaoYan', ['2026-10-03', ...days('2026-10-08', '2026-10-16')]);
  await checkIn(t, 'LiXiaoYan', ['2026-10-17'], 'message');
  await leave(t, 'LiXiaoYan', '病假', '2026-10-19', '2026-10-21');
  await leave(t, 'LiXiaoYan', '公差', '2026-10-22', '2026-10-23');
  await checkIn(t, 'LiXiaoYan', days('2026-11-02', '2026-11-13'));
  await checkIn(t, 'LiXiaoYan', ['2026-11-16'], 'message');
  await checkIn(t, 'ZhaoWenBo', days('2026-10-08', '2026-10-09'));
});

async function exported(month: string): Promise<ExcelJS.Workbook> {
  const { bytes } = await exportSheet({ ...src }, roster, month, NOW);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

/** The cells of row `r` from column `from`, `n` of them. */
const cells = (ws: ExcelJS.Worksheet, r: number, from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ws.getCell(r, from + i).value);

/** The cells of column `col` from row `from`, `n` of them. */
const down = (ws: ExcelJS.Worksheet, from: number, col: number, n: number) =>
  Array.from({ length: n }, (_, i) => ws.getCell(from + i, col).value);

function rowOf(ws: ExcelJS.Worksheet, name: string): number {
  for (let r = FIRST_ROW; r <= ws.rowCount; r++) if (ws.getCell(r, 3).value === name) return r;
  throw new Error(`no row for ${name}`);
}

/** The cadres of the roster in the sheet's order (township, village, 书记 first), of one unit or all. */
function expectedNames(unit?: string): string[] {
  const cadres = roster.data.cadres.filter((c) => !unit || c.sendingUnit === unit);
  const township = [...roster.townships.keys()];
  const village = [...roster.villages.keys()];
  const key = (c: (typeof cadres)[number]) => [
    township.indexOf(roster.villageOf(c).township),
    village.indexOf(c.village),
    c.role === '书记' ? 0 : 1,
    roster.data.cadres.indexOf(c),
  ];
  return [...cadres]
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return 0;
    })
    .map((c) => c.name);
}

describe('the exported monthly sheet, read back cell by cell', () => {
  it('has the county sheet, one sheet per sending unit in roster order, and the notes', async () => {
    const wb = await exported('2026-10');
    const units = (roster.data.sendingUnits ?? []).map((u) => u.name);
    expect(units.length).toBeGreaterThan(1);
    expect(wb.worksheets.map((w) => w.name)).toEqual([T.monthSheetName('2026-10'), ...units, T.NOTES_SHEET]);
  });

  it('heads the year-to-date columns and fills them through the month’s end', async () => {
    const ws = (await exported('2026-10')).getWorksheet(T.monthSheetName('2026-10'))!;
    const totals = totalsColumn(31);
    const year = yearColumn(31);
    expect(year).toBe(totals + 6);
    expect(cells(ws, 3, totals, 6)).toEqual(Object.values(T.HEADERS).slice(5));
    expect(ws.getCell(3, year).value).toBe('年度累计');
    expect(ws.getCell(3, year + 2).isMerged).toBe(true);
    expect(cells(ws, 4, year, 3)).toEqual(['在村天数', '应达天数', '年度目标']);

    // The term year runs from 2026-04-28. Through 31 October: the 13 presence days of October, not the 13 of
    // November that came later. The target is the year's, lowered by the three days of sick leave; the pace
    // spreads it over the 362 term days not excused, of which 183 were behind on 31 October (28 April to
    // 30 October less the sick leave; the 31st, a Saturday without a check-in, is not counted before it is over).
    const live = (await loadFigures(src, [roster.cadres.get('LiXiaoYan')!], { now: NOW })).get('LiXiaoYan')!.year;
    expect(live.present).toBe(26);
    const target = live.target.target;
    expect(live.target.termDays - live.target.excusedDays).toBe(362);
    const r = rowOf(ws, '李晓燕');
    expect(cells(ws, r, 1, 5)).toEqual(['新田乡', '北堡村', '李晓燕', '委员', '县财政局']);
    expect(cells(ws, r, totals, 6)).toEqual([13, 1, 5, 15, 2, '未达标']);
    expect(cells(ws, r, year, 3)).toEqual([13, Math.round((target * 183) / 362), target]);
    // A cadre with no day in the village all year: nothing to date, the full pace against them.
    const fan = rowOf(ws, '范卫东');
    expect(ws.getCell(fan, year).value).toBe(0);
  });

  it('counts the running month’s year to today', async () => {
    const ws = (await exported('2026-11')).getWorksheet(T.monthSheetName('2026-11'))!;
    const r = rowOf(ws, '李晓燕');
    expect(ws.getCell(r, yearColumn(30)).value).toBe(26);
  });

  it('lists every cadre once on the county sheet and a unit’s own cadres on its sheet, with the same figures', async () => {
    const wb = await exported('2026-10');
    const county = wb.getWorksheet(T.monthSheetName('2026-10'))!;
    const all = expectedNames();
    expect(down(county, FIRST_ROW, 3, all.length).map(String)).toEqual(all);
    expect(county.getCell(FIRST_ROW + all.length + 1, 1).value).toBe(T.LEGEND);

    const unit = wb.getWorksheet('县财政局')!;
    expect(unit.getCell(1, 1).value).toBe('侯马市（示例） 县财政局 驻村干部 2026年10月 考勤表');
    expect(unit.getCell(2, 1).value).toBe(county.getCell(2, 1).value);
    const own = expectedNames('县财政局');
    expect(own).toContain('李晓燕');
    expect(own.length).toBeLessThan(all.length);
    expect(down(unit, FIRST_ROW, 3, own.length).map(String)).toEqual(own);
    expect(unit.getCell(FIRST_ROW + own.length, 3).value).toBeNull();
    for (let i = 0; i < own.length; i++) expect(unit.getCell(FIRST_ROW + i, 5).value).toBe('县财政局');
    // Same columns, same figures as the county's row.
    const width = yearColumn(31) + 3;
    expect(cells(unit, 3, 1, width)).toEqual(cells(county, 3, 1, width));
    expect(cells(unit, 4, 1, width)).toEqual(cells(county, 4, 1, width));
    expect(cells(unit, rowOf(unit, '李晓燕'), 3, width - 2)).toEqual(
      cells(county, rowOf(county, '李晓燕'), 3, width - 2),
    );

    const other = wb.getWorksheet('县人社局')!;
    expect(cells(other, rowOf(other, '赵文博'), totalsColumn(31), 1)).toEqual([2]);
  });

  it('puts the signature block under each table', async () => {
    const wb = await exported('2026-10');
    const county = wb.getWorksheet(T.monthSheetName('2026-10'))!;
    const all = expectedNames().length;
    const sign = (ws: ExcelJS.Worksheet, n: number) => {
      const r = signatureRow(n);
      const out: unknown[] = [];
      for (let c = 1; c <= yearColumn(31) + 2; c++) {
        const cell = ws.getCell(r, c);
        if (cell.isMerged && cell.master !== cell) continue;
        if (cell.value !== null) out.push(cell.value);
      }
      return out;
    };
    expect(signatureRow(all)).toBe(FIRST_ROW + all + 3);
    expect(sign(county, all)).toEqual(['填报单位：', '审核人：', '日期：　　年　　月　　日']);
    const own = expectedNames('县财政局').length;
    expect(sign(wb.getWorksheet('县财政局')!, own)).toEqual([
      '填报单位：县财政局',
      '审核人：',
      '日期：　　年　　月　　日',
    ]);
    // Nothing between the legend and the signature block.
    expect(county.getCell(signatureRow(all) - 1, 1).value).toBeNull();
  });
});
