/**
 * The sandbox's sample visits (到村调研) of the sending units' leaders, as steps of the history: `到村 村名 内容`
 * in the app chat, then the check-in page opened for the visit, from inside the village. Relative to "now" and
 * the policy's half years: the first unit's main leader and deputy visited this half year; the second unit's
 * deputy only in the last one, so this half year's visit is still open (the `visit-due` job reminds the deputy
 * once 30 days remain); the third unit's deputy missed the last half year (overdue in the weekly digest); the
 * other units' deputies visited in both. Pure.
 */
import { addDays } from '../kit/dates.js';
import type { Policy } from '../policy/policy.js';
import type { Roster } from '../roster/roster.js';
import { obligations, type Period } from '../visits/obligations.js';
import { villagesOfUnit } from '../visits/visitors.js';
import { sampleVisitNotes } from '../../templates/visits.js';
import type { SeedStep } from './seed-step.js';
import { at } from './visits.js';

/** A day inside `p` before `today`, `back` days before the earlier of its end and yesterday; undefined if none. */
function dayIn(p: Period, today: string, back: number): string | undefined {
  const last = p.end < today ? p.end : addDays(today, -1);
  const d = addDays(last, -back);
  return d >= p.start ? d : last >= p.start ? p.start : undefined;
}

export function leaderVisitSteps(roster: Roster, policy: Policy, today: string): SeedStep[] {
  const steps: SeedStep[] = [];
  const owed = obligations(roster, today, policy.visits.halfYear, new Map());
  let note = 0;
  const visit = (user: string, unit: string, day: string | undefined) => {
    const villageId = villagesOfUnit(roster, unit)[0];
    const village = villageId ? roster.villages.get(villageId) : undefined;
    if (!day || !village) return;
    const text = `到村 ${village.name} ${sampleVisitNotes[note++ % sampleVisitNotes.length]}`;
    steps.push({ at: at(day, 9 * 60 + 30), user, text });
    const point = { lat: village.lat + 200 / 111_195, lng: village.lng };
    steps.push({ at: at(day, 10 * 60), user, location: { ...point, source: 'page', visit: village.id } });
  };
  const units = (roster.data.sendingUnits ?? []).filter((u) => owed.some((o) => o.unit === u.name));
  units.forEach((u, i) => {
    const halves = owed.filter((o) => o.unit === u.name && o.as === 'deputy');
    const now = halves.findIndex((o) => o.period.start <= today && today <= o.period.end);
    const current = halves[now]?.period;
    const previous = now > 0 ? halves[now - 1]!.period : undefined;
    const term = owed.find((o) => o.unit === u.name && o.as === 'mainLeader')!.period;
    if (i === 0) {
      visit(u.mainLeader, u.name, dayIn(term, today, 40));
      if (previous) visit(u.deputy, u.name, dayIn(previous, today, 50));
      if (current) visit(u.deputy, u.name, dayIn(current, today, 6));
    } else if (i === 1) {
      if (previous) visit(u.deputy, u.name, dayIn(previous, today, 30));
    } else if (i === 2) {
      if (current) visit(u.deputy, u.name, dayIn(current, today, 3));
    } else {
      if (previous) visit(u.deputy, u.name, dayIn(previous, today, 20 + i));
      if (current) visit(u.deputy, u.name, dayIn(current, today, 10 + i));
    }
  });
  return steps;
}
