/**
 * `warning-ladder`: once a day, the ladder's notices (`src/warnings/ladder.ts`): 提醒 to the cadre alone (a
 * reminder, so it obeys quiet hours and the daily budget), 整改 to the cadre and the township supervisors, 警示
 * to the organisation department and the cadre's sending-unit leaders. 整改 and 警示 are formal notices
 * (purpose `warning`), not reminders: the budget never drops them, because a notice a supervisor must act on
 * cannot be lost to a busy day. They still never go out in quiet hours: a run then sends and records nothing,
 * and the next run outside them sends.
 *
 * Each stage goes once per cadre, month and stage: `writes.apply` records it in the store, so a dry run
 * records nothing. A 提醒 the budget dropped is not recorded, so it is tried again the next day; so is a 提醒
 * held back because the cadre is on approved leave that day (no reminder of any kind to anyone on leave). No
 * rung goes out whose shortfall approved excused leave explains (`src/warnings/risk.ts`).
 *
 * With the policy's `notices.triggers.attendance` on, each rung is issued as a numbered notice (提醒单 T…, 整改单
 * Z…, 警示单 J…, src/notices/): the messages show its number, the 警示单 goes to the cadre too (who answers it),
 * and the notice is recorded with the once-only record. The runner queues messages before the job writes, so
 * `load` numbers the due rungs from the counters as read and `apply` takes exactly those numbers (a commit that
 * finds a counter moved fails the run rather than give a number twice). A 提醒 the budget dropped leaves its
 * number unused: the number is in a message planned, and later numbers of the run were already sent.
 */
import { loadFigures } from '../attendance/figures.js';
import { stageAudit, type AuditEntry } from '../audit/trail.js';
import { addDays, localDate, monthDates } from '../kit/dates.js';
import type { Outbound } from '../core/outbound.js';
import type { Policy } from '../policy/policy.js';
import { leaveOn } from '../leave/days.js';
import { Tx } from '../redis/tx.js';
import { inQuietHours } from '../schedule/burden.js';
import type { Job } from '../schedule/job.js';
import { policyCutOff } from '../schedule/windows.js';
import { dueNotices, warningField, type LadderFigures, type Notice } from '../warnings/ladder.js';
import { unexcusedTargets } from '../warnings/risk.js';
import {
  rectifyToCadre,
  rectifyToTownship,
  remindText,
  warnText,
  warnToCadre,
  type RectifyView,
} from '../../templates/warnings.js';
import { facts as noticeFacts, reasons as noticeReasons } from '../../templates/notices.js';
import { issue, type Notice as NumberedNotice, type NoticeDraft, type NoticeKind } from '../notices/notice.js';
import type { Roster } from '../roster/roster.js';
import { numberDrafts } from './notice-triggers.js';
import { notice as noticeSummary } from '../../templates/audit.js';

export interface LadderCadre extends LadderFigures {
  name: string;
  village: string;
  township: string;
  sendingUnit: string;
  /** Township supervisors (整改). */
  supervisors: string[];
  /** Leaders of the cadre's sending unit (警示). */
  unitLeaders: string[];
  /** On approved leave today: the 提醒 waits until the cadre is back. */
  onLeave?: boolean;
}

export interface LadderState {
  /** Set when the run falls in quiet hours: nothing is sent or recorded. */
  quiet: boolean;
  warnings: Policy['warnings'];
  backfillHours: number;
  /** `warnings.rectify.answerDays`, for the 整改 text. */
  answerDays: number;
  /** The organisation department (警示). */
  org: string[];
  cadres: LadderCadre[];
  /** Store fields already recorded. */
  sent: string[];
  /**
   * With `notices.triggers.attendance`: the numbered notice of each rung due, by `noticeKey(userId, notice)`, and
   * the counters they were numbered from.
   */
  numbered?: { year: number; counters: Record<NoticeKind, number>; notices: Record<string, NumberedNotice> };
}

/** One planned notice of one cadre. */
export interface LadderItem {
  cadre: LadderCadre;
  notice: Notice;
}

/** The notices due at `now`, cadre by cadre. Pure. */
export function ladderItems(now: Date, state: LadderState): LadderItem[] {
  if (state.quiet) return [];
  const sent = new Set(state.sent);
  const rules = { warnings: state.warnings, backfillHours: state.backfillHours };
  return state.cadres.flatMap((cadre) =>
    dueNotices(cadre, now, rules, (month, stage) => sent.has(warningField(cadre.userId, month, stage)))
      .filter((notice) => !(notice.stage === 'remind' && cadre.onLeave))
      .map((notice) => ({ cadre, notice })),
  );
}

/** The message key of a notice to one recipient; the 提醒 has one recipient, the cadre. */
export function noticeKey(userId: string, notice: Notice, recipient?: string): string {
  const base = `warning:${userId}:${notice.month}:${notice.stage}`;
  return recipient ? `${base}:${recipient}` : base;
}

function text(key: string, to: string, content: string, purpose: 'reminder' | 'warning'): Outbound {
  return { key, to: { kind: 'user', userIds: [to] }, body: { type: 'text', content }, purpose };
}

function messages(item: LadderItem, state: LadderState): Outbound[] {
  const { cadre: c, notice: n } = item;
  const numbered = state.numbered?.notices[noticeKey(c.userId, n)];
  const no = numbered ? { no: numbered.no } : {};
  if (n.stage === 'remind') {
    const f = n.figures;
    const target = f.target.status === 'set' ? f.target.target : 0;
    const content = remindText({
      name: c.name,
      month: n.month,
      present: f.present,
      target,
      needed: f.needed ?? 0,
      remaining: f.remaining,
      reachable: f.status === 'at-risk',
      fromDay: state.warnings.remind.fromDay,
      share: state.warnings.remind.neededShare,
      backfillHours: state.backfillHours,
      ...no,
    });
    return [text(noticeKey(c.userId, n), c.userId, content, 'reminder')];
  }
  if (n.stage === 'rectify') {
    const f = n.figures;
    const v: RectifyView = {
      name: c.name,
      village: c.village,
      township: c.township,
      sendingUnit: c.sendingUnit,
      month: n.month,
      present: f.present,
      target: f.target.status === 'set' ? f.target.target : 0,
      answerDays: state.answerDays,
      ...(numbered?.deadline ? { no: numbered.no, deadline: numbered.deadline } : {}),
    };
    return [
      text(noticeKey(c.userId, n, c.userId), c.userId, rectifyToCadre(v), 'warning'),
      ...c.supervisors.map((s) => text(noticeKey(c.userId, n, s), s, rectifyToTownship(v), 'warning')),
    ];
  }
  const base = {
    ...no,
    name: c.name,
    village: c.village,
    township: c.township,
    sendingUnit: c.sendingUnit,
    consecutiveMonths: state.warnings.warn.consecutiveMonths,
    ...(n.consecutive
      ? {
          consecutive: n.consecutive.map((m) => ({
            month: m.month,
            present: m.present,
            target: m.target.status === 'set' ? m.target.target : 0,
          })),
        }
      : {}),
    ...(n.annual
      ? {
          annual: {
            start: n.annual.target.period.start,
            end: n.annual.target.period.end,
            target: n.annual.target.target,
            present: n.annual.present,
            needed: n.annual.needed,
            remaining: n.annual.remaining,
          },
        }
      : {}),
  };
  // Someone who is both in the organisation department and a leader of the unit gets it once, as the department.
  const unit = c.unitLeaders.filter((u) => !state.org.includes(u));
  return [
    ...(numbered
      ? [
          text(
            noticeKey(c.userId, n, c.userId),
            c.userId,
            warnToCadre({ ...base, no: numbered.no, ...(numbered.deadline ? { deadline: numbered.deadline } : {}) }),
            'warning',
          ),
        ]
      : []),
    ...state.org.map((o) => text(noticeKey(c.userId, n, o), o, warnText({ ...base, reader: 'org' }), 'warning')),
    ...unit.map((u) => text(noticeKey(c.userId, n, u), u, warnText({ ...base, reader: 'unit' }), 'warning')),
  ];
}

const KIND: Record<Notice['stage'], NoticeKind> = { remind: 'remind', rectify: 'rectify', warn: 'warn' };

/** The reason and the figures a rung's notice records. Pure. */
function draftOf(item: LadderItem, cadre: NoticeDraft['cadre']): NoticeDraft {
  const n = item.notice;
  const base = {
    kind: KIND[n.stage],
    cadre,
    trigger: 'attendance' as const,
    triggerId: `attendance:${item.cadre.userId}:${n.month}:${n.stage}`,
    issuedBy: `job:${warningLadder.id}`,
  };
  if (n.stage !== 'warn') {
    const f = n.figures;
    const target = f.target.status === 'set' ? f.target.target : 0;
    return n.stage === 'remind'
      ? {
          ...base,
          reason: noticeReasons.attendanceRemind(n.month),
          facts: [noticeFacts.remindMonth(f.present, target, f.needed ?? 0, f.remaining)],
        }
      : {
          ...base,
          reason: noticeReasons.attendanceRectify(n.month, f.present, target),
          facts: [noticeFacts.month(n.month, f.present, target)],
        };
  }
  const lines = (n.consecutive ?? []).map((m) =>
    noticeFacts.month(m.month, m.present, m.target.status === 'set' ? m.target.target : 0),
  );
  if (n.annual) {
    const a = n.annual;
    const p = a.target.period;
    lines.push(noticeFacts.annual(p.start, p.end, a.target.target, a.present, a.needed, a.remaining));
  }
  return { ...base, reason: noticeReasons.attendanceWarn, facts: lines };
}

/** Number the rungs due at `now` (in `ladderItems` order, each kind counting on from its counter). Pure. */
export function numberRungs(
  now: Date,
  state: LadderState,
  roster: Roster,
  policy: Policy,
  counters: Record<NoticeKind, number>,
): NonNullable<LadderState['numbered']> {
  const year = Number(localDate(now).slice(0, 4));
  const items = ladderItems(now, state);
  const drafts = items.map((item) => draftOf(item, roster.cadres.get(item.cadre.userId)!));
  const notices: Record<string, NumberedNotice> = {};
  numberDrafts(drafts, year, counters).forEach(({ draft, no }, i) => {
    const item = items[i]!;
    notices[noticeKey(item.cadre.userId, item.notice)] = issue(draft, no, { now, roster, policy });
  });
  return { year, counters, notices };
}

/** The months the rules look at on `date`: the current one, then as many before it as the 警示 run needs. */
export function ladderMonths(date: string, consecutiveMonths: number): string[] {
  const months = [date.slice(0, 7)];
  for (let i = 0; i < Math.max(1, consecutiveMonths); i++)
    months.push(addDays(monthDates(months.at(-1)!)[0]!, -1).slice(0, 7));
  return months;
}

/** The audit record of a notice sent: recorded with the notice itself, so once per cadre, month and stage. */
export function noticeEntry(item: LadderItem, state: LadderState, now: Date): AuditEntry {
  const { cadre, notice: n } = item;
  const f = n.stage === 'warn' ? undefined : n.figures;
  return {
    kind: 'notice.send',
    actor: `job:${warningLadder.id}`,
    channel: 'job',
    at: now.getTime(),
    id: `${warningLadder.id}:${noticeKey(cadre.userId, n)}`,
    ref: n.month,
    subject: cadre.userId,
    summary: noticeSummary({
      stage: n.stage,
      month: n.month,
      recipients: messages(item, state).length,
      ...(f && f.target.status === 'set' ? { present: f.present, target: f.target.target } : {}),
    }),
  };
}

export const warningLadder: Job<LadderState> = {
  id: 'warning-ladder',
  policyJob: 'warningLadder',
  summary: '提醒 / 整改 / 警示 of the warning ladder, once per cadre, month and stage',
  // Any later run the same day sends the same notices; an evening run would only fall in quiet hours.
  catchUpUntil: policyCutOff('warningLadder'),

  async load(ctx, now) {
    const { policy } = ctx;
    const roster = await ctx.roster.get();
    const cadres = roster.data.cadres;
    const today = localDate(now);
    const months = ladderMonths(today, policy.warnings.warn.consecutiveMonths);
    const numbering = policy.notices.triggers.attendance;
    const [figures, sent, leaves, counters] = await Promise.all([
      loadFigures(ctx, cadres, { now, months }),
      ctx.repos.warnings.fields(),
      ctx.repos.leave.ofUsers(cadres.map((c) => c.userid)),
      numbering ? ctx.repos.notices.counters(Number(today.slice(0, 4))) : undefined,
    ]);
    const state: LadderState = {
      quiet: inQuietHours(now, policy.push.quietHours),
      warnings: policy.warnings,
      backfillHours: policy.checkin.backfillHours,
      answerDays: policy.warnings.rectify.answerDays,
      org: roster.orgDepartment().map((s) => s.userid),
      sent,
      cadres: cadres.map((c) => {
        const township = roster.townshipOf(c);
        const f = figures.get(c.userid)!;
        const term = { start: c.termStart, end: c.termEnd };
        return {
          userId: c.userid,
          name: c.name,
          village: roster.villageOf(c).name,
          township: township.name,
          sendingUnit: c.sendingUnit,
          term,
          months: f.months,
          year: f.year,
          unexcused: unexcusedTargets(f.months, f.year, term, ctx.calendar, policy),
          onLeave: leaveOn(leaves.get(c.userid) ?? [], today) !== undefined,
          supervisors: roster.townshipSupervisors(township.id).map((s) => s.userid),
          unitLeaders: [...new Set(roster.sendingUnitLeaders(c.sendingUnit).map((s) => s.userid))],
        };
      }),
    };
    if (counters) state.numbered = numberRungs(now, state, roster, policy, counters);
    return state;
  },

  plan(now, state) {
    return ladderItems(now, state).flatMap((item) => messages(item, state));
  },

  writes: {
    describe(now, state) {
      if (state.quiet) return ['quiet hours: nothing sent or recorded; the next run outside them sends'];
      return ladderItems(now, state).map(
        ({ cadre, notice }) => `record ${notice.stage} of ${cadre.userId} for ${notice.month}`,
      );
    },
    async apply(ctx, now, state) {
      const store = ctx.repos.warnings;
      const tx = new Tx();
      // The burden guard marks a dropped reminder `msg:<key>|<userid>` in the day's dropped hash (burden.ts).
      const droppedToday = ctx.keys.pushDropped(localDate(now));
      const numbered = state.numbered;
      const taken = numbered ? { ...numbered.counters } : undefined;
      for (const { cadre, notice } of ladderItems(now, state)) {
        const doc = numbered?.notices[noticeKey(cadre.userId, notice)];
        if (doc && taken) {
          // Taken even for a dropped 提醒: later numbers of this run are already in messages.
          const no = ctx.repos.notices.takePredicted(tx, doc.kind, numbered.year, taken[doc.kind]++);
          if (no !== doc.no) throw new Error(`notice number ${no} differs from the planned ${doc.no}`);
        }
        if (
          notice.stage === 'remind' &&
          (await ctx.redis.hexists(droppedToday, `msg:${noticeKey(cadre.userId, notice)}|${cadre.userId}`))
        )
          continue;
        store.record(tx, cadre.userId, notice.month, notice.stage, now);
        stageAudit(tx, ctx.keys, noticeEntry({ cadre, notice }, state, now));
        // The `notice.send` entry above is the audit record of the issue; the notice keeps its own steps.
        if (doc) ctx.repos.notices.save(tx, doc);
      }
      await tx.commit(ctx.redis);
    },
  },
};
