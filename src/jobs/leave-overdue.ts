/**
 * `leave-overdue`: follow-up of approved leave that ended without 销假. The morning after the planned last day
 * the cadre is reminded; from `policy.leave.overdueEscalateDays` days after it the township supervisors are
 * told too (and the cadre once more, saying so). Each stage goes once per leave and person: the message keys name the leave number and
 * the stage, so running every morning never repeats a stage.
 */
import { daysBetween, localDate } from '../kit/dates.js';
import type { Outbound } from '../core/outbound.js';
import { overdue, type LeaveRequest } from '../leave/workflow.js';
import type { Job } from '../schedule/job.js';
import { policyCutOff } from '../schedule/windows.js';
import {
  overdueToCadre,
  overdueToCadreEscalated,
  overdueToTownship,
  type OverdueLeaveView,
} from '../../templates/jobs.js';

export interface OverdueCandidate {
  leave: LeaveRequest;
  name: string;
  village: string;
  township: { id: string; name: string };
  supervisors: string[];
}

export interface OverdueState {
  today: string;
  /** Approved leaves not reported back, of cadres on the roster. */
  candidates: OverdueCandidate[];
  /** `policy.leave.overdueEscalateDays`: days after the planned last day from which the township is told. */
  escalateDays: number;
}

function reminder(key: string, userId: string, content: string): Outbound {
  return { key, to: { kind: 'user', userIds: [userId] }, body: { type: 'text', content }, purpose: 'reminder' };
}

/**
 * The messages for one overdue leave on `today`: stage 1 (cadre) or, from `escalateDays` days after the end,
 * stage 2 (cadre and township). Pure.
 */
export function overdueMessages(c: OverdueCandidate, today: string, escalateDays: number): Outbound[] {
  const r = c.leave;
  if (!overdue(r, today)) return [];
  const daysOver = daysBetween(r.end, today);
  const v: OverdueLeaveView = {
    name: c.name,
    village: c.village,
    no: r.no,
    type: r.type,
    start: r.start,
    end: r.end,
    daysOver,
    escalateDays,
  };
  if (daysOver < escalateDays) return [reminder(`leave-overdue:${r.no}:1:${r.userId}`, r.userId, overdueToCadre(v))];
  return [
    reminder(`leave-overdue:${r.no}:2:${r.userId}`, r.userId, overdueToCadreEscalated(v)),
    ...c.supervisors.map((s) =>
      reminder(`leave-overdue:${r.no}:2:${s}`, s, overdueToTownship({ ...v, township: c.township.name })),
    ),
  ];
}

export const leaveOverdue: Job<OverdueState> = {
  id: 'leave-overdue',
  policyJob: 'leaveOverdue',
  summary: 'follow up leave that ended without 销假 (cadre, then township)',
  catchUpUntil: policyCutOff('leaveOverdue'),

  async load(ctx, now) {
    const roster = await ctx.roster.get();
    const cadres = roster.data.cadres;
    const leaves = await ctx.repos.leave.ofUsers(cadres.map((c) => c.userid));
    const candidates: OverdueCandidate[] = [];
    for (const cadre of cadres) {
      const open = (leaves.get(cadre.userid) ?? []).filter((r) => r.status === 'approved' && !r.returnedAt);
      if (!open.length) continue;
      const township = roster.townshipOf(cadre);
      const supervisors = roster.townshipSupervisors(township.id).map((s) => s.userid);
      for (const leave of open) {
        candidates.push({
          leave,
          name: cadre.name,
          village: roster.villageOf(cadre).name,
          township: { id: township.id, name: township.name },
          supervisors,
        });
      }
    }
    return { today: localDate(now), candidates, escalateDays: ctx.policy.leave.overdueEscalateDays };
  },

  plan(_now, state) {
    return state.candidates.flatMap((c) => overdueMessages(c, state.today, state.escalateDays));
  },
};
