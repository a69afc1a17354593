/**
 * Who approves one cadre's leave: the policy names roles by length of leave, the roster names the people in
 * each role for that cadre. Pure: the policy, the roster and the cadre come in.
 */
import type { Role } from '../kit/roles.js';
import { approvalChain, type Policy } from '../policy/policy.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import type { ApprovalStep } from './workflow.js';

/**
 * The userids holding `role` for this cadre: township → the supervisors of the cadre's township, sending-unit →
 * the leaders of the cadre's sending unit, org → the organisation department, team-leader → the team leaders
 * of the cadre's township. A cadre is never their own approver, and the role `cadre` names nobody.
 */
export function peopleInRole(roster: Roster, cadre: Cadre, role: Role): string[] {
  let ids: string[];
  switch (role) {
    case 'township':
      ids = roster.townshipSupervisors(roster.townshipOf(cadre).id).map((s) => s.userid);
      break;
    case 'sending-unit':
      ids = roster.sendingUnitLeaders(cadre.sendingUnit).map((s) => s.userid);
      break;
    case 'org':
      ids = roster.orgDepartment().map((s) => s.userid);
      break;
    case 'team-leader':
      ids = roster.teamLeadersOf(cadre).map((c) => c.userid);
      break;
    case 'cadre':
      ids = [];
      break;
  }
  return [...new Set(ids)].filter((id) => id !== cadre.userid);
}

/**
 * The level above each role, for a step whose role has nobody on the roster for this cadre: a cadre's own step
 * goes to the team leader, the team leader's to the township, the township's to the sending unit, the sending
 * unit's to the organisation department, which is the top (docs/rules.md).
 */
export const LEVEL_UP: Readonly<Record<Role, Role | undefined>> = {
  cadre: 'team-leader',
  'team-leader': 'township',
  township: 'sending-unit',
  'sending-unit': 'org',
  org: undefined,
};

export interface ResolvedChain {
  /** Steps with at least one approver, in order; a step taken over from an empty level lists it in `covers`. */
  steps: ApprovalStep[];
  /** Set when a level and every level above it, the organisation department included, have nobody. */
  unfilled?: Role;
  /** Who is copied on the final outcome. */
  copy: string[];
}

/**
 * The approval steps of a leave counting `days` (see count.ts), with each step's approvers. A step whose role
 * has nobody for this cadre goes to the next level up (`LEVEL_UP`), never dropped; when that level already has
 * a step of its own in the chain, the one step decides for both (the same people would otherwise approve
 * twice).
 */
export function resolveChain(policy: Policy, roster: Roster, cadre: Cadre, days: number): ResolvedChain {
  const chain = approvalChain(policy, days);
  const steps: ApprovalStep[] = [];
  const copy = copyRecipients(policy, roster, cadre);
  for (const role of chain.steps) {
    const covers: Role[] = [];
    let kind: Role | undefined = role;
    let approvers = peopleInRole(roster, cadre, kind);
    while (!approvers.length) {
      covers.push(kind);
      kind = LEVEL_UP[kind];
      if (!kind) return { steps, unfilled: role, copy };
      approvers = peopleInRole(roster, cadre, kind);
    }
    const same = steps.find((s) => s.kind === kind);
    if (same) {
      if (covers.length) same.covers = [...new Set([...(same.covers ?? []), ...covers])];
      continue;
    }
    // A later step of the chain may be the level this one went up to: it is merged above when it comes.
    steps.push({ kind, approvers, ...(covers.length ? { covers } : {}) });
  }
  return { steps, copy };
}

/** Who is copied on the final outcome of this cadre's leave (`policy.leave.copy`, e.g. the team leaders). */
export function copyRecipients(policy: Policy, roster: Roster, cadre: Cadre): string[] {
  return copyTo(policy, roster, cadre).userIds;
}

/** The people copied on a final outcome, and the roles they are copied as (for the copy's why-line). */
export interface CopyTo {
  userIds: string[];
  roles: Role[];
}

/** `copyRecipients` with the roles of `policy.leave.copy` that name someone for this cadre. */
export function copyTo(policy: Policy, roster: Roster, cadre: Cadre): CopyTo {
  const byRole = policy.leave.copy
    .map((role) => ({ role, ids: peopleInRole(roster, cadre, role) }))
    .filter((r) => r.ids.length);
  return { userIds: [...new Set(byRole.flatMap((r) => r.ids))], roles: byRole.map((r) => r.role) };
}

/** Display names of userids, in order, for whoever is on the roster. */
export function namesOf(roster: Roster, ids: string[]): string[] {
  return ids.map((id) => roster.person(id)?.name ?? id);
}
