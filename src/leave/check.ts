/**
 * How one leave message is understood and whether it may go: the parser's reading, the policy's rules and,
 * when the cadre is known, the approval chain. The `请假` handler and `zhucun parse` both call this, so the CLI
 * shows exactly the sentence a cadre would get. Pure: the policy, `now`, the roster and the cadre's existing
 * requests come in.
 */
import { localDate } from '../kit/dates.js';
import { leaveType, type LeaveTypeInfo, type Policy } from '../policy/policy.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import * as T from '../../templates/leave.js';
import { resolveChain, type ResolvedChain } from './chain.js';
import { parseLeaveRequest, type LeaveParse, type LeaveTypeOption } from './parse.js';
import { validateLeave, type LeaveProblem } from './validate.js';
import { leaveView } from './view.js';
import type { LeaveRequest } from './workflow.js';

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
}

export interface LeaveCheck {
  /** What the parser read (kept even when there is a problem). */
  parsed: LeaveParse;
  draft?: LeaveDraft;
  /** The approval chain, when a roster and cadre were given and the request is otherwise fine. */
  chain?: ResolvedChain;
  /** Why the request cannot go: a code for the log and the sentence the cadre reads. */
  problem?: { code: string; message: string; keep?: string };
}

export interface LeaveCheckOptions {
  policy: Policy;
  now: Date;
  /** The cadre's requests so far (for overlap); none when unknown. */
  existing?: LeaveRequest[];
  roster?: Roster;
  cadre?: Cadre;
}

/** The policy's leave types in the parser's shape. */
export function leaveTypeOptions(policy: Policy): LeaveTypeOption[] {
  return Object.entries(policy.leave.types).map(([name, t]) => ({ name, aliases: [...t.aliases] }));
}

/** The sentence for a rule the request breaks. */
export function problemMessage(p: LeaveProblem): string {
  switch (p.code) {
    case 'leave_end_before_start':
      return T.endBeforeStart(p.start, p.end);
    case 'leave_too_long':
      return T.tooLong(p.type, p.days, p.maxDays);
    case 'leave_too_far_past':
      return T.tooFarPast(p.start, p.earliest, p.maxDaysInPast);
    case 'leave_overlap':
      return T.overlap(leaveView(undefined, p.other), T.STATUS_NAMES[p.other.status]);
  }
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
    return { parsed, problem: { code: `leave_${code}`, message, keep } };
  }
  const type = leaveType(policy, parsed.type!)!;
  const draft: LeaveDraft = {
    type,
    start: parsed.start!,
    end: parsed.end!,
    days: parsed.days!,
    ...(parsed.halfStart ? { halfStart: true } : {}),
    ...(parsed.halfEnd ? { halfEnd: true } : {}),
    ...(parsed.reason ? { reason: parsed.reason } : {}),
  };
  const problem = validateLeave(
    { type: type.name, start: draft.start, end: draft.end, days: draft.days },
    {
      maxDays: type.maxDays,
      maxDaysInPast: policy.leave.maxDaysInPast,
      today: localDate(opts.now),
      existing: opts.existing ?? [],
    },
  );
  if (problem) return { parsed, problem: { code: problem.code, message: problemMessage(problem) } };
  if (!opts.roster || !opts.cadre) return { parsed, draft };
  const chain = resolveChain(policy, opts.roster, opts.cadre, draft.days);
  if (!chain.steps.length) {
    const org = opts.roster.orgDepartment().map((s) => s.name);
    return { parsed, draft, chain, problem: { code: 'leave_no_approver', message: T.noApprover(org) } };
  }
  return { parsed, draft, chain };
}
