/**
 * What `走访记录` shows: the visits of the villages in the asker's scope, newest first (the latest few per
 * village, with the total), and for the sending units in scope each leader's current obligation and the
 * periods of this term already over without a visit. Pure; the handler reads the visits.
 */
import type { Roster } from '../roster/roster.js';
import type { UnitLine, VisitLine, VisitListView } from '../../templates/visits.js';
import { current, overdue, type Obligation } from './obligations.js';
import type { Visit } from './visit.js';

/** Visits listed per village (the total is given too). */
export const VISITS_SHOWN = 5;

/** How a visitor is named beside their name: their title on the roster, if any. */
export function visitorTitle(roster: Roster, userid: string): string | undefined {
  const p = roster.person(userid);
  if (!p) return undefined;
  const unit = roster.unitRolesOf(userid)[0];
  if (unit) return `${unit.unit}${unit.as === 'mainLeader' ? '主要领导' : '分管领导'}`;
  return p.other?.title ?? p.supervisor?.find((s) => s.title)?.title;
}

export function visitListView(
  roster: Roster,
  today: string,
  scope: { villages: readonly string[]; units: readonly string[]; detail: boolean },
  visitsOfVillage: ReadonlyMap<string, readonly Visit[]>,
  obligationsInScope: readonly Obligation[],
): VisitListView {
  const name = (userid: string) => roster.person(userid)?.name ?? userid;
  const line = (v: Visit): VisitLine => {
    const title = visitorTitle(roster, v.userId);
    return {
      no: v.no,
      at: v.at,
      name: name(v.userId),
      ...(title ? { title } : {}),
      village: roster.villages.get(v.village)?.name ?? v.village,
      ...(v.note ? { note: v.note } : {}),
      photos: v.photos.length,
    };
  };
  const villages = scope.villages.map((id) => {
    const all = visitsOfVillage.get(id) ?? [];
    return {
      name: roster.villages.get(id)?.name ?? id,
      total: all.length,
      visits: all.slice(0, VISITS_SHOWN).map(line),
    };
  });
  const now = current(obligationsInScope, today);
  const late = overdue(obligationsInScope, today);
  const units: UnitLine[] = scope.units.map((unit) => ({
    unit,
    leaders: now
      .filter((o) => o.unit === unit)
      .map((o) => ({ as: o.as, name: name(o.userid), period: o.period, visits: o.visits })),
    overdue: late.filter((o) => o.unit === unit).map((o) => ({ as: o.as, name: name(o.userid), period: o.period })),
  }));
  return { today, detail: scope.detail, villages, units };
}
