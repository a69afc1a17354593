/**
 * The half-yearly 积分表 for the organisation department (xlsx): one row per cadre with each item's points and
 * the total, and every event behind them on the 明细 sheet. Rows go by township, village and name; only an
 * export that asks for `score` order (the department's own, private) sorts by points.
 */
import ExcelJS from 'exceljs';
import type { Roster } from '../roster/roster.js';
import { POINTS_ITEMS, type Policy } from '../policy/schema.js';
import * as T from '../../templates/points.js';
import type { CadrePoints } from './load.js';
import { byVillageThenName } from './view.js';

export type PointsOrder = 'village' | 'score';

/** The rows in the order of the export: village and name, or (asked for) points, highest first, then name. */
export function orderRows(roster: Roster, rows: readonly CadrePoints[], order: PointsOrder): CadrePoints[] {
  const base = byVillageThenName(roster, rows);
  if (order === 'village') return base;
  return base
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.points.total - a.r.points.total || a.i - b.i)
    .map((x) => x.r);
}

/** One JSON-able row per cadre, in the export's order. */
export function pointsRows(roster: Roster, rows: readonly CadrePoints[], order: PointsOrder) {
  return orderRows(roster, rows, order).map((p) => ({
    userid: p.cadre.userid,
    name: p.cadre.name,
    township: roster.townshipOf(p.cadre).name,
    village: roster.villageOf(p.cadre).name,
    sendingUnit: p.cadre.sendingUnit,
    period: p.half.period,
    items: Object.fromEntries(p.points.items.map((i) => [i.item, i.counted])),
    total: p.points.total,
    noticesKnown: p.points.noticesKnown,
    events: p.points.events,
  }));
}

export function buildPointsSheet(
  roster: Roster,
  rows: readonly CadrePoints[],
  half: string,
  policy: Pick<Policy, 'points'>,
  order: PointsOrder,
): ExcelJS.Workbook {
  const items = POINTS_ITEMS.filter((i) => policy.points.items[i].enabled);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'zhucun-bot';
  wb.created = wb.modified = new Date(0);
  const ws = wb.addWorksheet(T.sheet.summary);
  ws.addRow([T.sheet.title(roster.data.county ?? '', half)]).font = { bold: true, size: 14 };
  ws.addRow([order === 'score' ? T.sheet.byScore : T.sheet.byVillage]);
  const head = ws.addRow([...T.sheet.columns, ...items.map((i) => T.ITEM_NAMES[i]), T.sheet.total]);
  head.font = { bold: true };
  const ordered = orderRows(roster, rows, order);
  for (const p of ordered) {
    const counted = new Map(p.points.items.map((i) => [i.item, i.counted]));
    ws.addRow([
      roster.townshipOf(p.cadre).name,
      roster.villageOf(p.cadre).name,
      p.cadre.name,
      p.cadre.sendingUnit,
      T.periodCell(p.half.period.start, p.half.period.end),
      ...items.map((i) => counted.get(i) ?? 0),
      p.points.total,
    ]);
  }
  if (ordered.some((p) => !p.points.noticesKnown)) ws.addRow([T.sheet.noticesMissing]);
  ws.columns.forEach((c, i) => (c.width = i < 5 ? [12, 10, 8, 14, 26][i] : 12));

  const ds = wb.addWorksheet(T.sheet.details);
  ds.addRow(T.sheet.detailColumns).font = { bold: true };
  for (const p of ordered) {
    const names = new Map<string, string>();
    for (const e of p.points.events)
      if (e.ref.kind === 'visit') names.set(e.ref.by, roster.person(e.ref.by)?.name ?? e.ref.by);
    for (const e of p.points.events)
      ds.addRow([
        roster.townshipOf(p.cadre).name,
        roster.villageOf(p.cadre).name,
        p.cadre.name,
        e.date,
        T.ITEM_NAMES[e.item],
        e.points,
        e.counted,
        e.cut,
        T.eventSource(e, names),
      ]);
  }
  ds.columns.forEach((c, i) => (c.width = [12, 10, 8, 12, 18, 10, 8, 10, 36][i]));
  return wb;
}
