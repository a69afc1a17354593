/**
 * `notice-triggers`: once a day, the policy's notice triggers besides the attendance ladder (which issues its own
 * notices, src/jobs/warning-ladder.ts): 六个一 not done by the end of the first month, 超假, a problem left
 * unanswered, and (off by default) no report for some weeks (src/notices/triggers.ts). Each issues a numbered
 * notice once per trigger id, sent to the cadre and its reviewers. The same run tells the reviewers, once, of
 * each notice whose answer deadline passed without an answer.
 *
 * The messages carry the numbers, and the runner queues messages before the job writes: `load` reads the
 * counters and numbers the notices in a fixed order, and `apply` takes exactly those numbers in the commit, which
 * applies only while the counters are unchanged (a number taken meanwhile by hand fails the run instead of being
 * given twice). Nothing runs in quiet hours; a dry run records nothing.
 */
import { stageAudit } from '../audit/trail.js';
import type { Outbound } from '../core/outbound.js';
import { localDate } from '../kit/dates.js';
import { issuedEntry, issuedMessages } from '../notices/messages.js';
import {
  formatNo,
  isOverdue,
  issue,
  markedOverdue,
  NOTICE_KINDS,
  reviewersOf,
  type Notice,
  type NoticeDraft,
  type NoticeKind,
} from '../notices/notice.js';
import { triggerDrafts } from '../notices/triggers.js';
import { sixOnesOf } from '../reports/six-ones.js';
import { Tx } from '../redis/tx.js';
import { inQuietHours } from '../schedule/burden.js';
import type { Job } from '../schedule/job.js';
import { policyCutOff } from '../schedule/windows.js';
import { overdueToReviewer } from '../../templates/notices.js';

export const JOB_ID = 'notice-triggers';
const ACTOR = `job:${JOB_ID}`;

export interface NoticeTriggerState {
  quiet: boolean;
  year: number;
  /** The counters of the three kinds as read (0: none this year). */
  counters: Record<NoticeKind, number>;
  /** The notices to issue, numbered, with their reviewers. */
  issue: { notice: Notice; reviewers: string[] }[];
  /** Notices whose deadline passed without an answer, not yet reported to their reviewers. */
  overdue: { notice: Notice; reviewers: string[] }[];
}

/** Number the drafts in order: each kind counts on from its counter. Pure. */
export function numberDrafts<T extends Pick<NoticeDraft, 'kind'>>(
  drafts: readonly T[],
  year: number,
  counters: Record<NoticeKind, number>,
): { draft: T; no: string }[] {
  const next = { ...counters };
  return drafts.map((draft) => ({ draft, no: formatNo(draft.kind, year, ++next[draft.kind]) }));
}

function overdueMessage(n: Notice, to: string): Outbound {
  return {
    key: `notice-overdue:${n.no}:${to}`,
    to: { kind: 'user', userIds: [to] },
    body: { type: 'text', content: overdueToReviewer(n) },
    purpose: 'warning',
  };
}

export const noticeTriggers: Job<NoticeTriggerState> = {
  id: JOB_ID,
  policyJob: 'noticeTriggers',
  summary: 'numbered notices for 六个一, 超假, unanswered problems (and no reports, when on); overdue answers',
  catchUpUntil: policyCutOff('noticeTriggers'),

  async load(ctx, now) {
    const { policy } = ctx;
    const roster = await ctx.roster.get();
    const cadres = roster.data.cadres;
    const ids = cadres.map((c) => c.userid);
    const year = Number(localDate(now).slice(0, 4));
    const [leaves, reports, problems, counters, open] = await Promise.all([
      ctx.repos.leave.ofUsers(ids),
      ctx.repos.reports.ofUsers(ids),
      ctx.repos.problems.open(),
      ctx.repos.notices.counters(year),
      ctx.repos.notices.open(),
    ]);
    const drafts = cadres.flatMap((cadre) => {
      const mine = reports.get(cadre.userid) ?? [];
      return triggerDrafts(
        {
          cadre,
          sixOnes: sixOnesOf(roster, cadre, mine, now, policy.reports.firstMonthDays),
          leaves: leaves.get(cadre.userid) ?? [],
          problems: problems.filter((p) => p.userId === cadre.userid),
          reports: mine,
        },
        now,
        policy,
        ACTOR,
      );
    });
    const issued = await ctx.repos.notices.issuedTriggers(drafts.map((d) => d.triggerId));
    const fresh = drafts.filter((d) => !issued.has(d.triggerId));
    const numbered = numberDrafts(fresh, year, counters).map(({ draft, no }) => {
      const notice = issue(draft, no, { now, roster, policy });
      return { notice, reviewers: reviewersOf(notice, roster) };
    });
    return {
      quiet: inQuietHours(now, policy.push.quietHours),
      year,
      counters,
      issue: numbered,
      overdue: open
        .filter((n) => isOverdue(n, now) && !n.overdueNotified)
        .map((notice) => ({ notice, reviewers: reviewersOf(notice, roster) })),
    };
  },

  plan(_now, state) {
    if (state.quiet) return [];
    return [
      ...state.issue.flatMap(({ notice, reviewers }) => issuedMessages(notice, reviewers)),
      ...state.overdue.flatMap(({ notice, reviewers }) => reviewers.map((r) => overdueMessage(notice, r))),
    ];
  },

  writes: {
    describe(_now, state) {
      if (state.quiet) return ['quiet hours: nothing issued or recorded; the next run outside them does'];
      return [
        ...state.issue.map(({ notice: n }) => `issue ${n.no} to ${n.userId} (${n.triggerId})`),
        ...state.overdue.map(({ notice: n }) => `mark ${n.no} overdue (told ${n.reviewer ?? 'nobody'})`),
      ];
    },
    async apply(ctx, now, state) {
      if (state.quiet) return;
      const tx = new Tx();
      const repo = ctx.repos.notices;
      const taken = { ...state.counters };
      for (const kind of NOTICE_KINDS) {
        for (const { notice } of state.issue.filter((i) => i.notice.kind === kind)) {
          const no = repo.takePredicted(tx, kind, state.year, taken[kind]);
          taken[kind]++;
          if (no !== notice.no) throw new Error(`notice number ${no} differs from the planned ${notice.no}`);
          repo.save(tx, notice);
          stageAudit(tx, ctx.keys, issuedEntry(notice, ACTOR, 'job', `${JOB_ID}:${notice.triggerId}`));
        }
      }
      for (const { notice } of state.overdue) repo.save(tx, markedOverdue(notice, ACTOR, now), { previous: notice });
      await tx.commit(ctx.redis);
    },
  },
};
