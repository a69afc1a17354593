/**
 * Numbered notices (通知单), pure: 提醒单 (T2026-001), 整改单 (Z2026-014) and 警示单 (J2026-003). A notice is a
 * document about one cadre: the reason with the figures behind it, what issued it (a trigger or a person), a
 * deadline for the cadre's answer (整改说明), and the reviewer's decision: 销号 (closed) or escalation to the next
 * kind (整改单 → 警示单). Every step says who and when. No Redis, no clock: `now`, the policy and the roster come in
 * (docs/rules.md, 通知单).
 *
 * - 提醒单: informs the cadre; no answer, no reviewer; its state stays `issued`.
 * - 整改单: answered within `notices.rectifyDays`, reviewed by the supervisors of the cadre's township.
 * - 警示单: answered within `notices.warnDays`, reviewed by the organisation department; the highest kind.
 */
import { addDays, localDate } from '../kit/dates.js';
import type { Policy } from '../policy/policy.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';

export type NoticeKind = 'remind' | 'rectify' | 'warn';
export const NOTICE_KINDS: readonly NoticeKind[] = ['remind', 'rectify', 'warn'];

/** The number's letter of each kind. */
export const PREFIX: Record<NoticeKind, string> = { remind: 'T', rectify: 'Z', warn: 'J' };

/** What issued a notice: a trigger of the policy (`notices.triggers`), an escalation, or a person by hand. */
export type NoticeTrigger =
  'attendance' | 'sixOnes' | 'leaveOverdue' | 'problemUnanswered' | 'noReport' | 'escalation' | 'manual';

/**
 * `issued`: a 提醒单 (nothing follows); `open`: waiting for the cadre's answer; `answered`: waiting for the
 * reviewer; `closed`: 销号; `escalated`: replaced by a notice of the next kind.
 */
export type NoticeState = 'issued' | 'open' | 'answered' | 'closed' | 'escalated';

export type NoticeStepKind = 'issue' | 'answer' | 'close' | 'escalate' | 'overdue';

export interface NoticeStep {
  kind: NoticeStepKind;
  /** userid of who did it, or `job:<id>` for a scheduled job. */
  by: string;
  /** ISO time. */
  at: string;
  /** The answer, the reviewer's reason. */
  text?: string;
  /** For an escalation: the new notice's number. */
  to?: string;
}

export interface Notice {
  /** Z2026-014, … */
  no: string;
  kind: NoticeKind;
  /** The cadre it is about (and addressed to). */
  userId: string;
  /** As on the roster when it was issued. */
  name: string;
  village: string;
  township: { id: string; name: string };
  sendingUnit: string;
  /** The cadre's post as the roster gives it (书记 / 委员, 领队). */
  post: string;
  trigger: NoticeTrigger;
  /** What exactly issued it, once only: `attendance:2026-10:rectify`, `leave:Q1001`, `manual:<update id>`, … */
  triggerId: string;
  /** The reason in one sentence, with the figures. */
  reason: string;
  /** The figures behind it, one fact a line (kept as issued: the document does not change afterwards). */
  facts: string[];
  /** userid of the issuer, or `job:<id>`. */
  issuedBy: string;
  /** ISO time it was issued; `issuedOn` its date. */
  issuedAt: string;
  issuedOn: string;
  /** The last day for the answer (`YYYY-MM-DD`), none for a 提醒单. */
  deadline?: string;
  /** Who decides: the township's supervisors (整改单) or the organisation department (警示单); none for 提醒单. */
  reviewer?: 'township' | 'org';
  state: NoticeState;
  /** The cadre's latest answer (整改说明). */
  answer?: { text: string; at: string };
  /** The reviewer's decision. */
  decision?: { kind: 'close' | 'escalate'; by: string; at: string; text?: string; to?: string };
  /** The notice this one escalates. */
  from?: string;
  /** Set once the reviewers were told the deadline passed without an answer. */
  overdueNotified?: string;
  steps: NoticeStep[];
}

/** What a trigger (or a person) asks to issue. */
export interface NoticeDraft {
  kind: NoticeKind;
  cadre: Cadre;
  trigger: NoticeTrigger;
  triggerId: string;
  reason: string;
  facts: string[];
  issuedBy: string;
  from?: string;
}

/** `Z2026-014` from the kind, the year and the counter's value. */
export function formatNo(kind: NoticeKind, year: number, n: number): string {
  return `${PREFIX[kind]}${year}-${String(n).padStart(3, '0')}`;
}

const NUMBER = /^([TZJtzj])(\d{4})-(\d{1,6})$/;

/** A typed number, normalised (`z2026-14` → `Z2026-014`), or undefined when it is not one. */
export function readNo(word: string): string | undefined {
  const m = NUMBER.exec(word.normalize('NFKC').trim());
  if (!m) return undefined;
  const kind = NOTICE_KINDS.find((k) => PREFIX[k] === m[1]!.toUpperCase())!;
  return formatNo(kind, Number(m[2]), Number(m[3]));
}

/** The kind of a Chinese word: 提醒单 / 整改单 / 警示单 (the 单 may be left out). */
export function kindOfWord(word: string): NoticeKind | undefined {
  const w = word.replace(/单$/, '');
  return w === '提醒' ? 'remind' : w === '整改' ? 'rectify' : w === '警示' ? 'warn' : undefined;
}

/** The days a kind leaves for the answer; none for a 提醒单. */
export function answerDays(kind: NoticeKind, policy: Pick<Policy, 'notices'>): number | undefined {
  return kind === 'rectify' ? policy.notices.rectifyDays : kind === 'warn' ? policy.notices.warnDays : undefined;
}

/** The notice a draft becomes with its number, at `now`. */
export function issue(
  draft: NoticeDraft,
  no: string,
  ctx: { now: Date; roster: Roster; policy: Pick<Policy, 'notices'> },
): Notice {
  const { cadre } = draft;
  const township = ctx.roster.townshipOf(cadre);
  const issuedOn = localDate(ctx.now);
  const days = answerDays(draft.kind, ctx.policy);
  const at = ctx.now.toISOString();
  return {
    no,
    kind: draft.kind,
    userId: cadre.userid,
    name: cadre.name,
    village: ctx.roster.villageOf(cadre).name,
    township: { id: township.id, name: township.name },
    sendingUnit: cadre.sendingUnit,
    post: cadre.teamLeader ? `${cadre.role}（领队）` : cadre.role,
    trigger: draft.trigger,
    triggerId: draft.triggerId,
    reason: draft.reason,
    facts: draft.facts,
    issuedBy: draft.issuedBy,
    issuedAt: at,
    issuedOn,
    ...(days !== undefined ? { deadline: addDays(issuedOn, days) } : {}),
    ...(draft.kind === 'rectify' ? { reviewer: 'township' as const } : {}),
    ...(draft.kind === 'warn' ? { reviewer: 'org' as const } : {}),
    state: draft.kind === 'remind' ? 'issued' : 'open',
    ...(draft.from ? { from: draft.from } : {}),
    steps: [{ kind: 'issue', by: draft.issuedBy, at }],
  };
}

/** The userids who decide on a notice now: the township's supervisors or the organisation department. */
export function reviewersOf(n: Pick<Notice, 'reviewer' | 'township'>, roster: Roster): string[] {
  if (n.reviewer === 'township') return roster.townshipSupervisors(n.township.id).map((s) => s.userid);
  if (n.reviewer === 'org') return roster.orgDepartment().map((s) => s.userid);
  return [];
}

/** Waiting for the cadre's answer or the reviewer's decision. */
export function isPending(n: Pick<Notice, 'state'>): boolean {
  return n.state === 'open' || n.state === 'answered';
}

/** The deadline passed without an answer. */
export function isOverdue(n: Pick<Notice, 'state' | 'deadline'>, now: Date): boolean {
  return n.state === 'open' && n.deadline !== undefined && localDate(now) > n.deadline;
}

/** The next kind up: 提醒单 → 整改单 → 警示单; none above a 警示单. */
export function nextKind(kind: NoticeKind): NoticeKind | undefined {
  return kind === 'remind' ? 'rectify' : kind === 'rectify' ? 'warn' : undefined;
}

/** Why a reviewer's decision is refused; the sentence comes from `templates/notices.ts`. */
export type DecisionRefusal =
  | { code: 'notice_unknown'; no: string }
  | { code: 'notice_no_review'; no: string }
  | { code: 'notice_decided'; no: string; state: NoticeState }
  | { code: 'notice_not_reviewer'; no: string; reviewer: 'township' | 'org' }
  | { code: 'notice_top'; no: string };

/** Whether `userid` may 销号 or 升级 notice `n` (undefined: unknown number). Pure; the first rule that fails wins. */
export function checkDecision(
  n: Notice | undefined,
  no: string,
  userid: string,
  action: 'close' | 'escalate',
  roster: Roster,
): DecisionRefusal | undefined {
  if (!n) return { code: 'notice_unknown', no };
  if (!n.reviewer) return { code: 'notice_no_review', no };
  if (!isPending(n)) return { code: 'notice_decided', no, state: n.state };
  if (!reviewersOf(n, roster).includes(userid)) return { code: 'notice_not_reviewer', no, reviewer: n.reviewer };
  if (action === 'escalate' && !nextKind(n.kind)) return { code: 'notice_top', no };
  return undefined;
}

/** The notice with its answer added (a second answer replaces the first; the steps keep both). */
export function withAnswer(n: Notice, text: string, by: string, now: Date): Notice {
  const at = now.toISOString();
  return {
    ...n,
    state: 'answered',
    answer: { text, at },
    steps: [...n.steps, { kind: 'answer', by, at, text }],
  };
}

/** The notice closed (销号) by `by`. */
export function closed(n: Notice, by: string, now: Date, text?: string): Notice {
  const at = now.toISOString();
  return {
    ...n,
    state: 'closed',
    decision: { kind: 'close', by, at, ...(text ? { text } : {}) },
    steps: [...n.steps, { kind: 'close', by, at, ...(text ? { text } : {}) }],
  };
}

/** The notice escalated by `by` to notice `to`. */
export function escalated(n: Notice, by: string, now: Date, to: string, text: string): Notice {
  const at = now.toISOString();
  return {
    ...n,
    state: 'escalated',
    decision: { kind: 'escalate', by, at, text, to },
    steps: [...n.steps, { kind: 'escalate', by, at, text, to }],
  };
}

/** The notice marked as reported overdue to its reviewers. */
export function markedOverdue(n: Notice, by: string, now: Date): Notice {
  const at = now.toISOString();
  return { ...n, overdueNotified: at, steps: [...n.steps, { kind: 'overdue', by, at }] };
}
