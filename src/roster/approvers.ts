/**
 * Who can approve leave, as the roster stands: a township without a supervisor, a sending unit without a
 * leader, or a county without anyone in the organisation department is an error for `zhucun roster check`.
 * Leave still goes (the next level up decides, see src/leave/chain.ts), but the people who should decide do
 * not, so whoever keeps the roster must fix it (docs/rules.md). Pure.
 */
import type { RosterData } from './schema.js';

/** One level with nobody to approve: which, and the cadres whose leave it concerns. */
export type ApproverGap =
  | { kind: 'township'; id: string; name: string; cadres: string[] }
  | { kind: 'sending-unit'; name: string; cadres: string[] }
  | { kind: 'org-department'; cadres: string[] };

/** Every approval level with nobody on the roster, townships first, then sending units, then the county. */
export function approverGaps(d: RosterData): ApproverGap[] {
  const has = (kind: string, scope?: string) =>
    d.supervisors.some((s) => s.kind === kind && (scope === undefined || s.scope === scope));
  const townshipOfVillage = new Map(d.villages.map((v) => [v.id, v.township]));
  const out: ApproverGap[] = [];
  for (const t of d.townships) {
    if (has('township', t.id)) continue;
    const cadres = d.cadres.filter((c) => townshipOfVillage.get(c.village) === t.id).map((c) => c.name);
    out.push({ kind: 'township', id: t.id, name: t.name, cadres });
  }
  for (const unit of [...new Set(d.cadres.map((c) => c.sendingUnit))]) {
    if (has('sending-unit', unit)) continue;
    out.push({
      kind: 'sending-unit',
      name: unit,
      cadres: d.cadres.filter((c) => c.sendingUnit === unit).map((c) => c.name),
    });
  }
  if (!has('org-department')) out.push({ kind: 'org-department', cadres: d.cadres.map((c) => c.name) });
  return out;
}
