/**
 * The triggers of the policy's `notices.triggers` besides the attendance ladder (which issues its own, see
 * src/jobs/warning-ladder.ts), pure: one cadre's records, the time and the policy; the drafts of the notices
 * due. Each draft carries a trigger id, and the job issues a trigger id once (the trigger index of the store).
 *
 * - `sixOnes`: the 六个一 of the first month not all done once it is over, within `withinDays` after its end.
 * - `leaveOverdue` (超假): approved leave whose last day is `days` or more days past without 销假.
 * - `problemUnanswered`: a problem the cadre raised, open more than `days` days with no answer, hand-on or close.
 * - `noReport` (off by default): no work report for `weeks` weeks (since the last report, or the term's start).
 */
import { addDays, daysBetween, localDate } from '../kit/dates.js';
import type { LeaveRequest } from '../leave/workflow.js';
import type { Policy } from '../policy/policy.js';
import type { Problem } from '../problems/problem.js';
import type { ReportFacts, SixOnesProgress } from '../reports/six-ones.js';
import type { Cadre } from '../roster/schema.js';
import { facts, reasons } from '../../templates/notices.js';
import type { NoticeDraft } from './notice.js';

/** What the triggers read of one cadre. */
export interface TriggerFacts {
  cadre: Cadre;
  sixOnes: SixOnesProgress;
  leaves: readonly LeaveRequest[];
  /** Open problems the cadre raised. */
  problems: readonly Problem[];
  reports: readonly ReportFacts[];
}

/** The drafts due for one cadre at `now` (some may have been issued before: the caller filters by trigger id). */
export function triggerDrafts(
  f: TriggerFacts,
  now: Date,
  policy: Pick<Policy, 'notices'>,
  issuedBy: string,
): NoticeDraft[] {
  const t = policy.notices.triggers;
  const today = localDate(now);
  const { cadre } = f;
  const out: NoticeDraft[] = [];
  const draft = (d: Omit<NoticeDraft, 'cadre' | 'issuedBy'>) => out.push({ ...d, cadre, issuedBy });
  const inTerm = cadre.termStart <= today && today <= cadre.termEnd;

  const s = f.sixOnes;
  if (t.sixOnes.enabled && s.phase === 'after' && !s.complete && daysBetween(s.end, today) <= t.sixOnes.withinDays) {
    const missing = s.items.filter((i) => !i.done).map((i) => i.tag);
    draft({
      kind: t.sixOnes.kind,
      trigger: 'sixOnes',
      triggerId: `sixOnes:${cadre.userid}:${s.start}`,
      reason: reasons.sixOnes(s.start, s.end),
      facts: [facts.sixOnesDone(s.doneCount, missing)],
    });
  }

  if (t.leaveOverdue.enabled) {
    for (const l of f.leaves) {
      if (l.status !== 'approved' || l.returnedAt || l.end >= today) continue;
      const days = daysBetween(l.end, today);
      if (days < t.leaveOverdue.days) continue;
      draft({
        kind: t.leaveOverdue.kind,
        trigger: 'leaveOverdue',
        triggerId: `leave:${l.no}`,
        reason: reasons.leaveOverdue(l.no, l.end, days),
        facts: [facts.leave(l.no, l.type, l.start, l.end)],
      });
    }
  }

  if (t.problemUnanswered.enabled) {
    for (const p of f.problems) {
      if (p.status !== 'open' || p.userId !== cadre.userid) continue;
      if (p.steps.some((step) => step.kind === 'reply' || step.kind === 'handover' || step.kind === 'close')) continue;
      const days = daysBetween(localDate(new Date(p.createdAt)), today);
      if (days <= t.problemUnanswered.days) continue;
      draft({
        kind: t.problemUnanswered.kind,
        trigger: 'problemUnanswered',
        triggerId: `problem:${p.no}`,
        reason: reasons.problemUnanswered(p.no, days),
        facts: [facts.problem(p.no, localDate(new Date(p.createdAt)), p.text)],
      });
    }
  }

  if (t.noReport.enabled && inTerm) {
    const last = f.reports
      .map((r) => localDate(new Date(r.createdAt)))
      .sort()
      .at(-1);
    const since = last ?? cadre.termStart;
    if (addDays(since, t.noReport.weeks * 7) <= today)
      draft({
        kind: t.noReport.kind,
        trigger: 'noReport',
        triggerId: `noReport:${cadre.userid}:${since}`,
        reason: reasons.noReport(t.noReport.weeks),
        facts: [facts.lastReport(last)],
      });
  }
  return out;
}
