/**
 * Recording a visit (到村调研) from a measured position: which village (the one the page was opened for, the one
 * `到村 村名` named today, or for an automatic report the nearest village whose geofence holds it), the
 * geofence judgement, one visit per leader, village and day, and the note `到村 村名 内容` left for it. The
 * result says what happened; the handler words it.
 */
import type { Policy } from '../policy/policy.js';
import type { Tx } from '../redis/tx.js';
import type { Roster } from '../roster/roster.js';
import type { Village } from '../roster/schema.js';
import { localDate } from '../kit/dates.js';
import type { VisitRepo } from './repo.js';
import { judgeVisit, type Visit, type VisitJudgement } from './visit.js';
import { unitsAt } from './visitors.js';

export interface VisitInput {
  userId: string;
  at: Date;
  source: 'page' | 'auto';
  point: { lat: number; lng: number };
  accuracyM?: number;
  /** The village the page was opened for (its id). */
  village?: string;
}

export type VisitOutcome =
  | { kind: 'recorded'; visit: Visit; village: Village }
  | { kind: 'already'; visit: Visit; village: Village }
  | { kind: 'refused'; village: Village; judgement: Exclude<VisitJudgement, { ok: true }> }
  | { kind: 'unknown-village' }
  /** An automatic report outside every village: nothing to say. */
  | { kind: 'nowhere' };

export async function recordVisit(
  d: { repo: VisitRepo; tx: Tx; roster: Roster; policy: Policy },
  input: VisitInput,
): Promise<VisitOutcome> {
  const { repo, tx, roster } = d;
  const rules = { defaultRadius: d.policy.checkin.geofenceRadiusMetres };
  const today = localDate(input.at);
  const intent = await repo.intent(input.userId);
  const fresh = intent?.date === today ? intent : undefined;
  const named = input.village ?? fresh?.village;
  let village: Village | undefined;
  let judgement: VisitJudgement | undefined;
  if (named !== undefined) {
    village = roster.villages.get(named);
    if (!village) return { kind: 'unknown-village' };
    judgement = judgeVisit(input.point, input.accuracyM, village, rules);
  } else {
    // An automatic report without a named village: the nearest village whose geofence holds it.
    const inside = roster.data.villages
      .map((v) => ({ v, j: judgeVisit(input.point, input.accuracyM, v, rules) }))
      .filter((x) => x.j.ok)
      .sort((a, b) => a.j.distanceM - b.j.distanceM)[0];
    if (!inside) return { kind: 'nowhere' };
    village = inside.v;
    judgement = inside.j;
  }
  if (!judgement.ok) return { kind: 'refused', village, judgement };
  const earlier = (await repo.ofUser(input.userId)).find(
    (v) => v.village === village.id && localDate(new Date(v.at)) === today,
  );
  const note = fresh?.village === village.id ? fresh.note : undefined;
  if (earlier) {
    if (note && !earlier.note) {
      repo.save(tx, { ...earlier, note }, { previous: earlier });
      repo.clearIntent(tx, input.userId);
      return { kind: 'already', visit: { ...earlier, note }, village };
    }
    return { kind: 'already', visit: earlier, village };
  }
  const visit: Visit = {
    no: await repo.nextNo(tx),
    userId: input.userId,
    village: village.id,
    at: input.at.toISOString(),
    source: input.source,
    distanceM: judgement.distanceM,
    ...(judgement.accuracyM !== undefined ? { accuracyM: judgement.accuracyM } : {}),
    ...(note ? { note } : {}),
    photos: [],
    units: unitsAt(roster, input.userId, village.id),
  };
  repo.save(tx, visit);
  if (fresh) repo.clearIntent(tx, input.userId);
  return { kind: 'recorded', visit, village };
}
