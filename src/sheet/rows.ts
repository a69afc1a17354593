/**
 * The rows of the monthly sheet, pure: one per cadre in post during the month, grouped by township and
 * village in roster order (the village's 书记 first), each with the month's figures and the leave of its days.
 */
import type { MonthFigures } from '../attendance/accounting.js';
import type { CadreFigures } from '../attendance/figures.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import type { DayLeave } from '../attendance/month-figures.js';

/** What the builder takes per cadre: `loadMonthFigures` gives the leave too; plain figures show leave unshaded. */
export type SheetInput = ReadonlyMap<string, CadreFigures & { leave?: ReadonlyMap<string, DayLeave> }>;

export interface SheetRow {
  townshipId: string;
  township: string;
  villageId: string;
  village: string;
  cadre: Cadre;
  month: MonthFigures;
  leave: ReadonlyMap<string, DayLeave>;
}

/** A run of consecutive rows with the same key (a township's or a village's rows), 0-based, end excluded. */
export interface Run {
  start: number;
  end: number;
}

const ROLE_ORDER: Record<Cadre['role'], number> = { 书记: 0, 委员: 1 };

/**
 * The sheet's rows for `month`. A cadre without figures for the month, or whose term has no day in it, has
 * no row: the sheet is about who was meant to be in the village that month.
 */
export function sheetRows(figures: SheetInput, roster: Roster, month: string): SheetRow[] {
  const townshipOrder = new Map([...roster.townships.keys()].map((id, i) => [id, i]));
  const villageOrder = new Map([...roster.villages.keys()].map((id, i) => [id, i]));
  const cadreOrder = new Map(roster.data.cadres.map((c, i) => [c.userid, i]));
  const rows: (SheetRow & { key: number[] })[] = [];
  for (const cadre of roster.data.cadres) {
    const f = figures.get(cadre.userid);
    const m = f?.months.find((x) => x.month === month);
    if (!f || !m || m.days.every((d) => d.mark === 'outside')) continue;
    const village = roster.villageOf(cadre);
    const township = roster.townshipOf(cadre);
    rows.push({
      townshipId: township.id,
      township: township.name,
      villageId: village.id,
      village: village.name,
      cadre,
      month: m,
      leave: f.leave ?? new Map(),
      key: [
        townshipOrder.get(township.id)!,
        villageOrder.get(village.id)!,
        ROLE_ORDER[cadre.role],
        cadreOrder.get(cadre.userid)!,
      ],
    });
  }
  rows.sort((a, b) => compareKeys(a.key, b.key));
  return rows.map(({ key: _key, ...row }) => row);
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Runs of equal keys in order (rows are grouped already, so each key makes one run). */
export function runs(keys: readonly string[]): Run[] {
  const out: Run[] = [];
  keys.forEach((key, i) => {
    const last = out.at(-1);
    if (last && keys[last.start] === key) last.end = i + 1;
    else out.push({ start: i, end: i + 1 });
  });
  return out;
}
