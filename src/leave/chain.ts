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

export interface ResolvedChain {
  /** Steps with at least one approver, in order. */
  steps: ApprovalStep[];
  /** Roles of the policy's chain that have nobody on the roster for this cadre (skipped; the caller logs them). */
  skipped: Role[];
  /** Who is copied on the final outcome. */
  copy: string[];
}

/** The approval steps of a leave of `days` calendar days, with each step's approvers; empty steps are left out. */
export function resolveChain(policy: Policy, roster: Roster, cadre: Cadre, days: number): ResolvedChain {
  const chain = approvalChain(policy, days);
  const steps: ApprovalStep[] = [];
  const skipped: Role[] = [];
  for (const role of chain.steps) {
    const approvers = peopleInRole(roster, cadre, role);
    if (approvers.length) steps.push({ kind: role, approvers });
    else skipped.push(role);
  }
  return { steps, skipped, copy: copyRecipients(policy, roster, cadre) };
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
