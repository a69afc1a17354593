/**
 * The approved-leave index: per cadre, one small hash (`Keys.leaveDays`) holding, for each approved request, only
 * what the figures read (number, type, class, dates, half days, the 销假 date) as a short JSON array. The
 * county-wide figures read these instead of every stored request (a request's JSON carries its steps, reason and
 * judgement, ten times the bytes).
 *
 * `LeaveRepo.save` keeps it with every write of a request, in the same commit: an approved request has its
 * entry (rewritten on 销假 and on any correction), any other status has none (a rejection, withdrawal or
 * cancellation removes it). Packing old requests into the archive changes no status, so it leaves the index
 * alone. Migration step 4 builds it from the stored requests (`indexOfRequests`).
 */
import type { LeaveRequest } from './workflow.js';

/** What the figures read of an approved request (`LeaveSpan` in src/attendance/days.ts is the same shape). */
export type ApprovedLeave = Pick<
  LeaveRequest,
  'no' | 'type' | 'class' | 'start' | 'end' | 'status' | 'halfStart' | 'halfEnd' | 'returnedOn'
>;

/** The entry of an approved request: `[no, type, class, start, end, flags, returnedOn?]`, flags 1 halfStart, 2 halfEnd. */
export function leaveDayEntry(r: ApprovedLeave): string {
  const flags = (r.halfStart === true ? 1 : 0) | (r.halfEnd === true ? 2 : 0);
  const entry: (string | number)[] = [r.no, r.type, r.class, r.start, r.end, flags];
  if (typeof r.returnedOn === 'string') entry.push(r.returnedOn);
  return JSON.stringify(entry);
}

/** The approved leave of a decoded entry (`JSON.parse` of `leaveDayEntry`); throws on anything else. */
export function approvedOfEntry(e: unknown): ApprovedLeave {
  if (!isEntry(e)) throw new Error(`not an approved-leave entry: ${JSON.stringify(e)}`);
  const span: ApprovedLeave = { no: e[0], type: e[1], class: e[2], start: e[3], end: e[4], status: 'approved' };
  if (e.length === 7) span.returnedOn = e[6];
  const flags = e[5];
  if (flags & 1) span.halfStart = true;
  if (flags & 2) span.halfEnd = true;
  return span;
}

type Entry = [string, string, LeaveRequest['class'], string, string, number, string?];

function isEntry(e: unknown): e is Entry {
  if (!Array.isArray(e) || e.length < 6 || e.length > 7 || typeof e[5] !== 'number') return false;
  for (let i = 0; i < e.length; i++) if (i !== 5 && typeof e[i] !== 'string') return false;
  return true;
}

/**
 * A cadre's approved leave in one order whatever order Redis keeps a hash in: by request number (a shorter
 * number first, then by its text: Q9 before Q10). The order decides only which type a day shows when two
 * approved leaves of the same class overlap (the earlier request's).
 */
export function byNumber<T extends { no: string }>(list: T[]): T[] {
  if (list.length > 1) list.sort((a, b) => a.no.length - b.no.length || (a.no < b.no ? -1 : a.no > b.no ? 1 : 0));
  return list;
}

/** The index fields (number → entry) of a cadre's stored requests: one per approved request. */
export function indexOfRequests(requests: readonly LeaveRequest[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of requests) if (r.status === 'approved') out.set(r.no, leaveDayEntry(r));
  return out;
}
