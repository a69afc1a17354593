/**
 * Who hears of a `#困难` report at once: the team leader(s) of the cadre's township and the township's
 * supervisors (党委书记 / 分管领导), the people who can act on it the same day.
 */
import type { Outbound } from '../core/outbound.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import { difficultyMessage } from '../../templates/reports.js';

export interface DifficultyRecipients {
  userIds: string[];
  names: string[];
}

/** Team leaders (the cadre excluded) and township supervisors of the cadre's township, each once. */
export function difficultyRecipients(roster: Roster, cadre: Cadre): DifficultyRecipients {
  const township = roster.townshipOf(cadre).id;
  const people = [
    ...roster.teamLeadersOf(cadre).map((c) => ({ userid: c.userid, name: c.name })),
    ...roster.townshipSupervisors(township).map((s) => ({ userid: s.userid, name: s.name })),
  ].filter((p) => p.userid !== cadre.userid);
  const seen = new Map(people.map((p) => [p.userid, p.name]));
  return { userIds: [...seen.keys()], names: [...seen.values()] };
}

/**
 * The app message that forwards a `#困难` report, and the names it goes to (no message when nobody is on the
 * roster). The key carries the report number, so a correction that keeps the tag sends nothing twice.
 */
export function difficultyForward(
  roster: Roster,
  cadre: Cadre,
  report: { no: string; text: string; createdAt: string },
): { outbound?: Outbound; names: string[] } {
  const to = difficultyRecipients(roster, cadre);
  if (!to.userIds.length) return { names: [] };
  const place = `${roster.townshipOf(cadre).name}${roster.villageOf(cadre).name}`;
  return {
    names: to.names,
    outbound: {
      key: `difficulty:${report.no}`,
      to: { kind: 'user', userIds: to.userIds },
      body: { type: 'text', content: difficultyMessage({ ...report, cadreName: cadre.name, place }) },
      purpose: 'difficulty',
    },
  };
}
