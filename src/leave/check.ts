/**
 * How one leave message is understood and whether it may go: the parser's reading, the policy's rules and,
 * when the cadre is known, the approval chain. The `请假` handler and `zhucun parse` both call this, so the CLI
 * shows exactly the sentence a cadre would get. Pure: the policy, `now`, the roster and the cadre's existing
 * requests come in.
 */
import { addDays, daysInMonth, localDate } from '../kit/dates.js';
import { leaveType, type LeaveTypeInfo, type Policy } from '../policy/policy.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import * as T from '../../templates/leave.js';
import { resolveChain, type ResolvedChain } from './chain.js';
import { countDays, type DayCalendar, type LeaveSpan } from './count.js';
import { heldSpan, mergedWith } from './merge.js';
import { parseLeaveRequest, type LeaveParse, type LeaveTypeOption } from './parse.js';
import { checkOrder, heldDays, validateLeave, type LeaveProblem } from './validate.js';
import { leaveView } from './view.js';
import type { LeaveJudgement, LeaveRequest } from './workflow.js';

/** A request that passed every rule, ready to be numbered and saved. */
export interface LeaveDraft {
  type: LeaveTypeInfo;
  start: string;
  end: string;
  days: number;
  /** Half days read under the policy's `leave.halfDays` (see `LeaveRequest`). */
  halfStart?: true;
  halfEnd?: true;
  reason?: string;
  /** The counting rule, the days it gives, and the leave judged together with this one. */
  judged: LeaveJudgement;
}

export interface LeaveCheck {
  /** What the parser read (kept even when there is a problem). */
  parsed: LeaveParse;
  draft?: LeaveDraft;
  /** The approval chain, when a roster and cadre were given and the request is otherwise fine. */
  chain?: ResolvedChain;
  /**
   * Why the request cannot go: a code for the log and the sentence the cadre reads; `keep` is the text a
   * follow-up answer completes (given by the parser for what it could not read).
   */
  problem?: { code: string; message: string; keep?: string };
}

export interface LeaveCheckOptions {
  policy: Policy;
  now: Date;
  /** The cadre's requests so far (for overlap); none when unknown. */
  existing?: LeaveRequest[];
  roster?: Roster;
  cadre?: Cadre;
  /** The official holiday calendar, for the counting rule and the gaps between leaves. */
  calendar: DayCalendar;
}

/** The policy's leave types in the parser's shape. */
export function leaveTypeOptions(policy: Policy): LeaveTypeOption[] {
  return Object.entries(policy.leave.types).map(([name, t]) => ({ name, aliases: [...t.aliases] }));
}

/**
 * The days of `asked` beyond the leave it overlaps, when they lie on one side of it only (a leave asked again
 * to extend it): what to ask for instead, which is then judged together with it. Days are never asked twice.
 */
function beyond(
  asked: { start: string; end: string },
  other: LeaveRequest,
): { start: string; end: string } | undefined {
  const held = heldDays(other);
  if (!held) return undefined;
  if (asked.start >= held.start && asked.end > held.end) return { start: addDays(held.end, 1), end: asked.end };
  if (asked.end <= held.end && asked.start < held.start) return { start: asked.start, end: addDays(held.start, -1) };
  return undefined;
}

/** The sentence for a rule the request breaks. */
export function problemMessage(p: LeaveProblem, asked?: { start: string; end: string }): string {
  switch (p.code) {
    case 'leave_end_before_start':
      return T.endBeforeStart(p.start, p.end);
    case 'leave_too_long':
      return T.tooLong(p.type, p.days, p.maxDays, p.with);
    case 'leave_too_far_past':
      return T.tooFarPast(p.start, p.earliest, p.maxDaysInPast);
    case 'leave_overlap':
      return T.overlap(leaveView(undefined, p.other), T.STATUS_NAMES[p.other.status], asked && beyond(asked, p.other));
  }
}

/** The rule's days of `span` and of the leave joined to it (`others` already filtered as needed). */
function combinedDays(span: LeaveSpan, others: readonly LeaveRequest[], policy: Policy, calendar: DayCalendar) {
  const joinedTo = mergedWith(span, others, { gapDays: policy.leave.mergeGapDays, calendar });
  const days = countDays([span, ...joinedTo.map((j) => j.span)], {
    rule: policy.leave.countDays,
    calendar,
    bridge: true,
  });
  return { joinedTo, days };
}

/**
 * How a request is judged (docs/rules.md): its own days under the counting rule, the requests joined to it and
 * their combined days (for the approval level), the combined days of those of its own type (for the type's
 * maximum), and the month's days of leave so far, approved or pending, this one included.
 */
export function judge(
  span: LeaveSpan & { type: string },
  existing: readonly LeaveRequest[],
  policy: Policy,
  calendar: DayCalendar,
): { judged: LeaveJudgement; typeDays: number; typeWith: string[] } {
  const rule = policy.leave.countDays;
  const own = countDays([span], { rule, calendar });
  const all = combinedDays(span, existing, policy, calendar);
  const sameType = combinedDays(
    span,
    existing.filter((r) => r.type === span.type),
    policy,
    calendar,
  );
  const month = span.start.slice(0, 7);
  const held = existing.flatMap((r) => heldSpan(r) ?? []);
  const monthDays = countDays([span, ...held], {
    rule,
    calendar,
    from: `${month}-01`,
    to: `${month}-${String(daysInMonth(month)).padStart(2, '0')}`,
  });
  const spans = [span, ...all.joinedTo.map((j) => j.span)];
  const judged: LeaveJudgement = {
    rule,
    days: own,
    ...(all.joinedTo.length
      ? {
          combined: {
            with: all.joinedTo.map((j) => j.request.no),
            start: spans.map((x) => x.start).sort()[0]!,
            end: spans
              .map((x) => x.end)
              .sort()
              .at(-1)!,
            days: all.days,
          },
        }
      : {}),
    monthDays,
  };
  return { judged, typeDays: sameType.days, typeWith: sameType.joinedTo.map((j) => j.request.no) };
}

/**
 * Read `text` (the message without its `请假` word, or the whole sentence) and check it: first what the parser
 * could not read (type, dates), then the policy's rules (dates in order, the type's maximum, the window in the
 * past, overlap with `existing`), then — given the roster and the cadre — that someone can approve it.
 */
export function checkLeave(text: string, opts: LeaveCheckOptions): LeaveCheck {
  const { policy } = opts;
  const types = leaveTypeOptions(policy);
  const parsed = parseLeaveRequest(text, { now: opts.now, types, halfDays: policy.leave.halfDays });
  if (parsed.problem) {
    const { code, message, keep } = parsed.problem;
    return { parsed, problem: { code: `leave_${code}`, message, ...(keep !== undefined ? { keep } : {}) } };
  }
  const type = leaveType(policy, parsed.type!)!;
  const halves = parsed;
  const span: LeaveSpan & { type: string } = {
    type: type.name,
    start: parsed.start!,
    end: parsed.end!,
    ...(policy.leave.halfDays && halves.halfStart ? { halfStart: true } : {}),
    ...(policy.leave.halfDays && halves.halfEnd ? { halfEnd: true } : {}),
  };
  const order = checkOrder(span.start, span.end);
  if (order) return { parsed, problem: { code: order.code, message: problemMessage(order) } };
  const existing = opts.existing ?? [];
  const { judged, typeDays, typeWith } = judge(span, existing, policy, opts.calendar);
  if (judged.days === 0) {
    const problem = { code: 'leave_no_countable_days', message: T.noCountableDays(span.start, span.end, judged.rule) };
    return { parsed, problem };
  }
  const draft: LeaveDraft = {
    type,
    start: span.start,
    end: span.end,
    days: parsed.days!,
    ...(span.halfStart ? { halfStart: true as const } : {}),
    ...(span.halfEnd ? { halfEnd: true as const } : {}),
    ...(parsed.reason ? { reason: parsed.reason } : {}),
    judged,
  };
  const problem = validateLeave(
    { type: type.name, start: draft.start, end: draft.end, days: typeDays, with: typeWith },
    {
      maxDays: type.maxDays,
      maxDaysInPast: policy.leave.maxDaysInPast,
      today: localDate(opts.now),
      existing,
    },
  );
  if (problem) return { parsed, problem: { code: problem.code, message: problemMessage(problem, span) } };
  if (!opts.roster || !opts.cadre) return { parsed, draft };
  const chain = resolveChain(policy, opts.roster, opts.cadre, judged.combined?.days ?? judged.days);
  if (chain.unfilled) {
    const org = opts.roster.orgDepartment().map((s) => s.name);
    return { parsed, draft, chain, problem: { code: 'leave_no_approver', message: T.noApprover(org) } };
  }
  return { parsed, draft, chain };
}
