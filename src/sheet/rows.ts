/**
 * The rows of the monthly sheet, pure: one per cadre in post during the month, grouped by township and
 * village in roster order (the village's 书记 first), each with the month's figures and the leave of its days.
 *
 * A cadre who is no longer on the roster (replaced, recalled, term over) still has the rows of the months they
 * served, under the village of that period. A cadre moved mid-month has one row, under the village held at the
 * month's end (or left last), with a note of the move: the month's target is one target over all their days
 * in post, so splitting the row would split a figure that is not split.
 */
import { sheetNote } from '../../templates/roster.js';
import { placeInMonth, type Assignment } from '../roster/assignments.js';
import { anyMarkBut, type MonthFigures } from '../attendance/accounting.js';
import type { CadreFigures } from '../attendance/figures.js';
import type { YearFigures } from '../attendance/annual.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import type { DayLeave } from '../attendance/month-figures.js';

/** What the builder takes per cadre: `loadMonthFigures` gives the leave too; plain figures show leave unshaded. */
export type SheetInput = ReadonlyMap<
  string,
  CadreFigures & { leave?: ReadonlyMap<string, DayLeave>; periods?: readonly Assignment[] }
>;

export interface SheetRow {
  townshipId: string;
  township: string;
  villageId: string;
  village: string;
  cadre: Cadre;
  month: MonthFigures;
  /** The annual period's figures the year-to-date columns show (through the month's end, or today if earlier). */
  year: YearFigures;
  leave: ReadonlyMap<string, DayLeave>;
  /** A move or an end of assignment inside the month (`12月7日起由北堡村调入`), for the name cell's note. */
  note?: string;
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
  // Places and people no longer on the roster come after those that are, in the order met.
  const later = (order: Map<string, number>, id: string) => {
    if (!order.has(id)) order.set(id, order.size);
    return order.get(id)!;
  };
  const rows: (SheetRow & { key: number[] })[] = [];
  for (const [userid, f] of figures) {
    const m = f.months.find((x) => x.month === month);
    if (!m || !anyMarkBut(m, 'outside')) continue;
    const place = placeOf(roster, userid, f.periods ?? [], month);
    if (!place) continue;
    const { cadre, township, village } = place;
    rows.push({
      townshipId: township.id,
      township: township.name,
      villageId: village.id,
      village: village.name,
      cadre,
      month: m,
      year: f.year,
      leave: f.leave ?? new Map(),
      ...(place.note ? { note: place.note } : {}),
      key: [
        later(townshipOrder, township.id),
        later(villageOrder, village.id),
        ROLE_ORDER[cadre.role],
        later(cadreOrder, userid),
      ],
    });
  }
  rows.sort((a, b) => compareKeys(a.key, b.key));
  return rows.map(({ key: _key, ...row }) => row);
}

interface Place {
  cadre: Cadre;
  township: { id: string; name: string };
  village: { id: string; name: string };
  note?: string;
}

/**
 * Where a cadre's row of `month` goes: the period held at the month's end (or left last) when there is a
 * history, the roster's village otherwise. Undefined for a cadre neither in the history nor on the roster.
 */
export function placeOf(
  roster: Roster,
  userid: string,
  periods: readonly Assignment[],
  month: string,
): Place | undefined {
  const held = placeInMonth(periods, month);
  if (!held) {
    const cadre = roster.cadres.get(userid);
    if (!cadre) return undefined;
    return { cadre, township: roster.townshipOf(cadre), village: roster.villageOf(cadre) };
  }
  const cadre: Cadre = {
    userid,
    name: held.name,
    role: held.role,
    village: held.village,
    sendingUnit: held.sendingUnit,
    termStart: held.termStart,
    termEnd: held.termEnd,
    teamLeader: held.teamLeader,
  };
  const note = sheetNote(periods, held, month);
  return {
    cadre,
    township: { id: held.township, name: held.townshipName },
    village: { id: held.village, name: held.villageName },
    ...(note ? { note } : {}),
  };
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
