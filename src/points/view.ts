/**
 * 积分 for the chat: which half year a message asks for, and the plain data the templates show.
 */
import type { Roster } from '../roster/roster.js';
import { calendarHalfOf, parseHalfName, type HalfName } from './half.js';
import type { CadrePoints } from './load.js';

/**
 * The half year named in a message: `上半年`/`下半年` (of this year), `2026年上半年`, `2026H2`; undefined for
 * none (the current one); null for words that are not a half year.
 */
export function readHalf(text: string, today: string): HalfName | undefined | null {
  const t = text.normalize('NFKC').replace(/\s+/g, '');
  if (!t) return undefined;
  const named = parseHalfName(t);
  if (named) return named;
  const m = /^(?:(\d{4})年)?([上下])半年$/.exec(t);
  if (!m) return null;
  return { year: m[1] ? Number(m[1]) : calendarHalfOf(today).year, half: m[2] === '上' ? 1 : 2 };
}

/** The template's view of one cadre's points. */
export function pointsView(p: CadrePoints, roster: Roster, asOf: string) {
  const names = new Map<string, string>();
  for (const e of p.points.events)
    if (e.ref.kind === 'visit') names.set(e.ref.by, roster.person(e.ref.by)?.name ?? e.ref.by);
  return {
    name: p.cadre.name,
    village: roster.villageOf(p.cadre).name,
    period: p.half.period,
    asOf: asOf < p.half.period.end ? asOf : p.half.period.end,
    events: p.points.events,
    items: p.points.items,
    total: p.points.total,
    noticesKnown: p.points.noticesKnown,
    names,
  };
}

/** Cadres in the order of every points list: township, village (as the roster lists them), then name. */
export function byVillageThenName<T extends { cadre: { village: string; name: string; userid: string } }>(
  roster: Roster,
  list: readonly T[],
): T[] {
  const villages = [...roster.villages.keys()];
  const townships = roster.data.townships.map((t) => t.id);
  const tw = (v: string) => townships.indexOf(roster.villages.get(v)?.township ?? '');
  return [...list].sort(
    (a, b) =>
      tw(a.cadre.village) - tw(b.cadre.village) ||
      villages.indexOf(a.cadre.village) - villages.indexOf(b.cadre.village) ||
      a.cadre.name.localeCompare(b.cadre.name, 'zh-Hans-CN-u-co-pinyin') ||
      a.cadre.userid.localeCompare(b.cadre.userid),
  );
}
