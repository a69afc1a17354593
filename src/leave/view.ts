/** A leave request as the templates show it: the stored request plus the requester's name and village. */
import type { Roster } from '../roster/roster.js';
import type { LeaveView } from '../../templates/leave.js';
import type { LeaveRequest } from './workflow.js';

/**
 * The view of a request. Without a roster (or for someone who has left it) the userid stands in for the name,
 * which only happens in sentences addressed to the requester themself.
 */
export function leaveView(roster: Roster | undefined, r: LeaveRequest): LeaveView {
  const cadre = roster?.cadres.get(r.userId);
  return {
    no: r.no,
    name: cadre?.name ?? roster?.person(r.userId)?.name ?? r.userId,
    villageName: cadre ? roster!.villageOf(cadre).name : '',
    townshipName: cadre ? roster!.townshipOf(cadre).name : '',
    type: r.type,
    start: r.start,
    end: r.end,
    days: r.days,
    ...(r.halfStart ? { halfStart: true as const } : {}),
    ...(r.halfEnd ? { halfEnd: true as const } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.judged ? { judged: r.judged } : {}),
  };
}
