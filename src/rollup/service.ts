/**
 * Who sees which roll-up, and loading it: the organisation department sees the county, a township supervisor
 * the townships they supervise. The figures of every cadre in scope come in one batch for the month and the
 * month before it (for "below target last month").
 */
import type { FiguresSource } from '../attendance/figures.js';
import { localDate } from '../kit/dates.js';
import type { Person, Roster } from '../roster/roster.js';
import { inTermDuring, previousMonth, type SheetFigures } from '../attendance/month-figures.js';
import { monthFiguresFor } from '../close/read.js';
import { countyRollup, type Rollup } from './rollup.js';

/** What a person's roll-up covers: the whole county, or some townships (ids in roster order). */
export interface RollupScope {
  county: boolean;
  townships: string[];
  /** Only the cadres of these sending units (by name), across `townships`: a sending unit's roll-up. */
  units?: string[];
}

/**
 * The scope of a person's roll-up: the county for the organisation department; otherwise the townships they
 * supervise (none for anyone else).
 */
export function rollupScope(person: Person, roster: Roster): RollupScope {
  const all = [...roster.townships.keys()];
  if (person.roles.includes('org')) return { county: true, townships: all };
  const own = new Set((person.supervisor ?? []).filter((s) => s.kind === 'township').map((s) => s.scope));
  return { county: false, townships: all.filter((id) => own.has(id)) };
}

/**
 * The sending units a person leads: those the roster's `sendingUnits` name them main leader or deputy of, and
 * those they supervise as a sending-unit supervisor, in roster order (units named only by a supervisor last).
 */
export function unitsOf(person: Pick<Person, 'userid' | 'supervisor'>, roster: Roster): string[] {
  const mine = new Set([
    ...roster.unitRolesOf(person.userid).map((u) => u.unit),
    ...(person.supervisor ?? []).filter((s) => s.kind === 'sending-unit').map((s) => s.scope),
  ]);
  const order = (roster.data.sendingUnits ?? []).map((u) => u.name);
  return [...order.filter((u) => mine.has(u)), ...[...mine].filter((u) => !order.includes(u))];
}

/** The scope of one sending unit's roll-up: its cadres, wherever they serve. */
export function unitScope(unit: string): RollupScope {
  return { county: false, townships: [], units: [unit] };
}

/** Load and roll up `month` (`YYYY-MM`) for `scope` as of `now`. */
export async function loadRollup(
  src: FiguresSource,
  roster: Roster,
  scope: RollupScope,
  month: string,
  now: Date,
): Promise<Rollup> {
  return (await readRollup(src, roster, scope, month, now)).rollup;
}

/** `loadRollup`, with the figures it was rolled up from (a closed month's as closed). */
export async function readRollup(
  src: FiguresSource,
  roster: Roster,
  scope: RollupScope,
  month: string,
  now: Date,
): Promise<{ rollup: Rollup; figures: ReadonlyMap<string, SheetFigures> }> {
  const previous = previousMonth(month);
  const units = scope.units && new Set(scope.units);
  // A unit's cadres serve in any township: every township is looked at, and only its cadres are counted.
  const townships = units ? [...roster.townships.keys()] : scope.townships;
  const cadres = townships
    .flatMap((id) => roster.cadresOfTownship(id))
    .filter((c) => !units || units.has(c.sendingUnit))
    .filter((c) => inTermDuring(c, month) || inTermDuring(c, previous));
  // A closed month (usually the previous one) reads as it was closed.
  const { figures } = await monthFiguresFor(src, cadres, { now, months: [month, previous] });
  const rollup = countyRollup({
    roster,
    townships,
    ...(units ? { units } : {}),
    figures,
    month,
    previousMonth: previous,
    today: localDate(now),
    calendar: src.calendar,
  });
  // A unit's roll-up names only the townships its cadres serve in.
  return {
    rollup: units ? { ...rollup, townships: rollup.townships.filter((t) => t.cadres > 0) } : rollup,
    figures,
  };
}
