/**
 * The sending units' visiting obligations (docs/rules.md, 到村调研): the main leader visits the unit's villages
 * at least once a term, the deputy in charge at least once every half year. Pure.
 *
 * **The term** of a unit is that of its cadres on the roster: of those whose term has started by the day, the
 * latest term start, ending on the latest term end given with it. A unit without such cadres has no obligation.
 * **Half years** are aligned to the term by default (`visits.halfYear: term`: six months from the term start,
 * then six more, the last one cut at the term end) or to the calendar (`calendar`: 1 January–30 June and
 * 1 July–31 December, cut to the term). **An obligation falls due** on the last day of its period; it is met by a
 * visit of that leader, recorded in the period at a village where the unit's cadres serve.
 */
import { addDays, isDateString, localDate } from '../kit/dates.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import type { Visit } from './visit.js';

export type HalfYearAlignment = 'term' | 'calendar';

export interface Period {
  start: string;
  end: string;
}

export interface Obligation {
  unit: string;
  as: 'mainLeader' | 'deputy';
  userid: string;
  period: Period;
  /** Visits of this leader counted for the unit in the period. */
  visits: number;
}

/** `date` moved by `months` calendar months, the day kept or cut to the month's last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The unit's term on `today` (see the module comment), or undefined. */
export function unitTerm(cadres: readonly Cadre[], unit: string, today: string): Period | undefined {
  const mine = cadres.filter((c) => c.sendingUnit === unit && c.termStart <= today);
  if (!mine.length) return undefined;
  const start = mine.reduce((s, c) => (c.termStart > s ? c.termStart : s), mine[0]!.termStart);
  const end = mine.filter((c) => c.termStart === start).reduce((e, c) => (c.termEnd > e ? c.termEnd : e), start);
  return { start, end };
}

/** The half years of a term, in order, under the alignment. */
export function halfYears(term: Period, alignment: HalfYearAlignment): Period[] {
  const out: Period[] = [];
  if (alignment === 'term') {
    for (let i = 0; ; i += 1) {
      const start = addMonths(term.start, 6 * i);
      if (start > term.end) break;
      const next = addDays(addMonths(term.start, 6 * (i + 1)), -1);
      out.push({ start, end: next < term.end ? next : term.end });
    }
    return out;
  }
  let year = Number(term.start.slice(0, 4));
  for (;;) {
    for (const [a, b] of [
      ['01-01', '06-30'],
      ['07-01', '12-31'],
    ] as const) {
      const start = `${year}-${a}`;
      const end = `${year}-${b}`;
      if (start > term.end) return out;
      if (end < term.start) continue;
      out.push({ start: start < term.start ? term.start : start, end: end < term.end ? end : term.end });
    }
    year += 1;
  }
}

const dayOf = (iso: string) => localDate(new Date(iso));

/**
 * Every obligation of the units' leaders in the units' current terms on `today`, with the visits that meet it.
 * `visitsOfUnit` are the visits counted for each unit (any order).
 */
export function obligations(
  roster: Roster,
  today: string,
  alignment: HalfYearAlignment,
  visitsOfUnit: ReadonlyMap<string, readonly Visit[]>,
): Obligation[] {
  if (!isDateString(today)) throw new RangeError(`not a date: ${today}`);
  const out: Obligation[] = [];
  for (const u of roster.data.sendingUnits ?? []) {
    const term = unitTerm(roster.data.cadres, u.name, today);
    if (!term) continue;
    const visits = visitsOfUnit.get(u.name) ?? [];
    const count = (userid: string, as: Obligation['as'], p: Period) =>
      visits.filter((v) => {
        if (v.userId !== userid || !v.units.some((r) => r.unit === u.name && r.as === as)) return false;
        const d = dayOf(v.at);
        return p.start <= d && d <= p.end;
      }).length;
    out.push({
      unit: u.name,
      as: 'mainLeader',
      userid: u.mainLeader,
      period: term,
      visits: count(u.mainLeader, 'mainLeader', term),
    });
    for (const p of halfYears(term, alignment))
      out.push({ unit: u.name, as: 'deputy', userid: u.deputy, period: p, visits: count(u.deputy, 'deputy', p) });
  }
  return out;
}

/** The obligations to remind of on `today`: not met, falling due within `daysBefore` days (today included). */
export function dueSoon(list: readonly Obligation[], today: string, daysBefore: number): Obligation[] {
  return list.filter((o) => o.visits === 0 && addDays(o.period.end, -daysBefore) <= today && today <= o.period.end);
}

/** The obligations whose period is over without a visit. */
export function overdue(list: readonly Obligation[], today: string): Obligation[] {
  return list.filter((o) => o.visits === 0 && o.period.end < today);
}

/** The current period of each leader's obligation (the one `today` falls in), for `走访记录`. */
export function current(list: readonly Obligation[], today: string): Obligation[] {
  return list.filter((o) => o.period.start <= today && today <= o.period.end);
}
