/**
 * `zhucun roster verify`, the judgement: every userid of the roster must be a member of the corp, and inside the
 * app's visibility range, since the app messages everyone on the roster (cadres, supervisors, the four contacts
 * of each village, the sending units' leaders). Pure: the roster and what WeCom's address book said in, the
 * problems out, one per person, in roster order.
 */
import type { Roster } from './roster.js';

/** What WeCom said (see src/wecom/directory.ts): members with their departments, and the app's range. */
export interface DirectoryView {
  /** null: WeCom did not let the app read the member list; membership is then not judged. */
  members: ReadonlyMap<string, readonly number[]> | null;
  visible: { users: ReadonlySet<string>; departments: ReadonlySet<number> };
}

export interface VerifyProblem {
  userid: string;
  name: string;
  /** What the roster has them for: `cadre`, `supervisor`, `countyLeader of beibao`, `deputy of 县财政局`, … */
  uses: string[];
  /** `not-a-member`: WeCom has no such userid; `not-visible`: a member the app cannot message. */
  problem: 'not-a-member' | 'not-visible';
}

export interface VerifyResult {
  checked: number;
  /** Whether the member list was read (otherwise only the visibility range was judged). */
  membersRead: boolean;
  problems: VerifyProblem[];
}

/** What the roster has a userid for, for the messages. */
export function usesOf(roster: Roster, userid: string): string[] {
  const p = roster.person(userid);
  const uses: string[] = [];
  if (p?.cadre) uses.push(`cadre of ${p.cadre.village}`);
  for (const s of p?.supervisor ?? []) uses.push(`supervisor (${s.kind} ${s.scope})`);
  if (p?.other) uses.push('person');
  for (const k of roster.contactRolesOf(userid)) uses.push(`${k.as} of ${k.village}`);
  for (const u of roster.unitRolesOf(userid)) uses.push(`${u.as} of ${u.unit}`);
  if (roster.menteesOf(userid).length) uses.push('mentor');
  return uses;
}

export function verifyRoster(roster: Roster, dir: DirectoryView): VerifyResult {
  const problems: VerifyProblem[] = [];
  const userids = roster.userids();
  for (const userid of userids) {
    const departments = dir.members?.get(userid);
    let problem: VerifyProblem['problem'] | undefined;
    if (dir.members && !departments) problem = 'not-a-member';
    else if (!dir.visible.users.has(userid) && !(departments ?? []).some((d) => dir.visible.departments.has(d)))
      problem = 'not-visible';
    if (problem) problems.push({ userid, name: roster.person(userid)!.name, uses: usesOf(roster, userid), problem });
  }
  return { checked: userids.length, membersRead: dir.members !== null, problems };
}
