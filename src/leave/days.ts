/**
 * Which dates a cadre's leave covers, for digests and sheets: only approved leave counts, and after 销假 only up
 * to the actual return (`leaveDays`). The class is the one recorded on the request unless the caller passes
 * its own rule (attendance uses the policy's current class of the type, `leaveClassOf`).
 */
import { eachDate } from '../kit/dates.js';
import { leaveDays, type LeaveClass, type LeaveRequest } from './workflow.js';

export type LeaveDatesByClass = Record<LeaveClass, string[]>;

/**
 * The leave dates (`YYYY-MM-DD`, sorted, each once) of `requests` by class — `present` (counts as a presence
 * day), `excused` (lowers the target like a day off), `absent` (neither) — limited to `from`–`to` inclusive
 * when given. Pending, rejected and withdrawn requests contribute nothing. A day under two leaves is listed
 * under each one's class.
 */
export function leaveDatesByClass(
  requests: LeaveRequest[],
  from?: string,
  to?: string,
  classOf: (r: LeaveRequest) => LeaveClass = (r) => r.class,
): LeaveDatesByClass {
  const sets: Record<LeaveClass, Set<string>> = { present: new Set(), excused: new Set(), absent: new Set() };
  for (const r of requests) {
    const span = leaveDays(r);
    if (!span) continue;
    const start = from && from > span.start ? from : span.start;
    const end = to && to < span.end ? to : span.end;
    if (end < start) continue;
    for (const d of eachDate(start, end)) sets[classOf(r)].add(d);
  }
  return { present: [...sets.present].sort(), excused: [...sets.excused].sort(), absent: [...sets.absent].sort() };
}

/** The approved leave (with its class) covering `date`, if any: what a digest shows for a cadre not checked in. */
export function leaveOn(requests: LeaveRequest[], date: string): LeaveRequest | undefined {
  return requests.find((r) => {
    const span = leaveDays(r);
    return span !== undefined && span.start <= date && date <= span.end;
  });
}
