/**
 * Who is asking, for the dashboard and `/api`: a person signed in (a session cookie), or a machine with
 * `Authorization: Bearer <ADMIN_TOKEN>`, which reads the county and changes nothing. A bearer token that is not
 * the admin token is refused outright, never taken for no credential.
 */
import type { Context } from 'koa';
import type { Role } from '../kit/roles.js';
import type { Roster } from '../roster/roster.js';
import { bearerToken, tokenMatches } from '../http/credentials.js';
import { countyScope, dashScope, type DashScope } from './scope.js';
import type { DashSessions } from './session.js';

export type Principal =
  | { kind: 'person'; userid: string; name: string; roles: Role[]; scope: DashScope }
  | { kind: 'machine'; scope: DashScope };

/** Why nobody is signed in: no credential, a wrong one, or someone the roster no longer knows. */
export type Refusal = 'none' | 'wrong-token' | 'not-on-roster';

export async function principalOf(
  ctx: Context,
  o: { sessions: DashSessions; roster: Roster; adminToken: string | undefined },
): Promise<Principal | Refusal> {
  const header = ctx.get('Authorization');
  if (header) {
    const given = bearerToken(header);
    if (given === undefined || !o.adminToken || !tokenMatches(given, o.adminToken)) return 'wrong-token';
    return { kind: 'machine', scope: countyScope(o.roster) };
  }
  const userid = await o.sessions.userOf(ctx);
  if (userid === undefined) return 'none';
  const person = o.roster.person(userid);
  if (!person) return 'not-on-roster';
  return { kind: 'person', userid, name: person.name, roles: person.roles, scope: dashScope(person, o.roster) };
}
