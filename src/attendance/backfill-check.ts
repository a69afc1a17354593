/**
 * Whether a `补登` message may become a back-fill request. Pure, like `checkLeave`: the handler reads the cadre's
 * leave, the asked day's check-ins and the cadre's back-fills, and this decides from them, `now`, the policy
 * and the roster. A refusal is data (a code and the facts it names); templates/backfill.ts words it.
 */
import { localDate } from '../kit/dates.js';
import { findLeaveDates } from '../leave/chrono-zh.js';
import { leaveOn } from '../leave/days.js';
import type { LeaveRequest } from '../leave/workflow.js';
import type { Policy } from '../policy/policy.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import { backfillWindow, confirmersOf, type Backfill } from './backfill.js';
import type { CheckinRecord } from './record.js';

/** What the message asks for: one day and why. */
export interface BackfillAsk {
  date: string;
  reason: string;
}

/** Why a back-fill cannot be asked for; each code is logged and has one sentence in templates/backfill.ts. */
export type BackfillRefusal =
  | { code: 'backfill_no_date' }
  | { code: 'backfill_range'; start: string; end: string }
  | { code: 'backfill_no_reason' }
  | { code: 'backfill_future'; date: string }
  | { code: 'backfill_expired'; date: string; hours: number }
  | { code: 'backfill_outside_term'; date: string; termStart: string; termEnd: string }
  | { code: 'backfill_on_leave'; date: string; leave: string; type: string }
  | { code: 'backfill_present'; date: string }
  | { code: 'backfill_pending'; date: string; no: string }
  | { code: 'backfill_no_confirmer' };

/** A back-fill that passed every rule, ready to be numbered and saved. */
export interface BackfillDraft extends BackfillAsk {
  /** The cadre's team leaders and township supervisors, who receive the card. */
  confirmers: string[];
}

/** What the cadre's data says about the asked day, read by the caller before `checkBackfill`. */
export interface BackfillFacts {
  /** The cadre's leave requests (only an approved one covering the day matters). */
  leaves: LeaveRequest[];
  /** The cadre's check-in records of the asked day. */
  day: CheckinRecord[];
  /** The cadre's back-fills so far. */
  backfills: Backfill[];
}

export interface BackfillCheckOptions {
  now: Date;
  policy: Policy;
  roster: Roster;
  cadre: Cadre;
}

/**
 * Read the day and the reason from `text` (the message without its `补登` word), relative to `now`'s date. One request
 * is one day: a range would have one confirmation stand for several days unseen. The reason is what is left
 * once the date is taken out.
 */
export function readBackfillAsk(text: string, now: Date): BackfillAsk | BackfillRefusal {
  const found = findLeaveDates(text, localDate(now));
  if (!found) return { code: 'backfill_no_date' };
  if (found.end !== undefined && found.end !== found.start)
    return { code: 'backfill_range', start: found.start, end: found.end };
  const reason = (text.slice(0, found.index) + text.slice(found.index + found.length)).replace(
    /^[\s,，。:：]+|[\s,，。]+$/g,
    '',
  );
  if (!reason) return { code: 'backfill_no_reason' };
  return { date: found.start, reason };
}

/**
 * Check an ask against the rules, first broken rule first: not in the future nor past the policy's window
 * (today may be asked for: no signal all day), inside the cadre's term, not inside an approved leave, not
 * already counted, not already asked for and still pending, and someone on the roster to confirm it.
 */
export function checkBackfill(
  ask: BackfillAsk,
  facts: BackfillFacts,
  opts: BackfillCheckOptions,
): BackfillDraft | BackfillRefusal {
  const { date } = ask;
  const { cadre } = opts;
  const hours = opts.policy.checkin.backfillHours;
  const window = backfillWindow(date, localDate(opts.now), opts.now, hours);
  if (window === 'future') return { code: 'backfill_future', date };
  if (window === 'expired') return { code: 'backfill_expired', date, hours };
  if (date < cadre.termStart || date > cadre.termEnd) {
    return { code: 'backfill_outside_term', date, termStart: cadre.termStart, termEnd: cadre.termEnd };
  }
  const leave = leaveOn(facts.leaves, date);
  if (leave) return { code: 'backfill_on_leave', date, leave: leave.no, type: leave.type };
  if (facts.day.some((r) => r.counts)) return { code: 'backfill_present', date };
  const open = facts.backfills.find((b) => b.date === date && b.status === 'pending');
  if (open) return { code: 'backfill_pending', date, no: open.no };
  const confirmers = confirmersOf(opts.roster, cadre);
  if (!confirmers.length) return { code: 'backfill_no_confirmer' };
  return { ...ask, confirmers };
}

/** Whether a reading or a check came back refused (every refusal has a code, an ask never does). */
export function isRefusal<T extends object>(r: T | BackfillRefusal): r is BackfillRefusal {
  return 'code' in r;
}

/** The new pending back-fill from a checked draft. */
export function newBackfill(no: string, cadre: Cadre, draft: BackfillDraft, now: Date): Backfill {
  return {
    no,
    userId: cadre.userid,
    date: draft.date,
    reason: draft.reason,
    confirmers: draft.confirmers,
    createdAt: now.toISOString(),
    status: 'pending',
  };
}
