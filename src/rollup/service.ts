/**
 * Who sees which roll-up, and loading it: the organisation department sees the county, a township supervisor
 * the townships they supervise. The figures of every cadre in scope come in one batch for the month and the
 * month before it (for "below target last month").
 */
import type { FiguresSource } from '../attendance/figures.js';
import { localDate } from '../kit/dates.js';
import type { Person, Roster } from '../roster/roster.js';
import { inTermDuring, previousMonth } from '../attendance/month-figures.js';
import { monthFiguresFor } from '../close/read.js';
import { countyRollup, type Rollup } from './rollup.js';

/** What a person's roll-up covers: the whole county, or some townships (ids in roster order). */
export interface RollupScope {
  county: boolean;
  townships: string[];
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

/** Load and roll up `month` (`YYYY-MM`) for `scope` as of `now`. */
export async function loadRollup(
  src: FiguresSource,
  roster: Roster,
  scope: RollupScope,
  month: string,
  now: Date,
): Promise<Rollup> {
  const previous = previousMonth(month);
  const cadres = scope.townships
    .flatMap((id) => roster.cadresOfTownship(id))
    .filter((c) => inTermDuring(c, month) || inTermDuring(c, previous));
  // A closed month (usually the previous one) reads as it was closed.
  const { figures } = await monthFiguresFor(src, cadres, { now, months: [month, previous] });
  return countyRollup({
    roster,
    townships: scope.townships,
    figures,
    month,
    previousMonth: previous,
    today: localDate(now),
    calendar: src.calendar,
  });
}
