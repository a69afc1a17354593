/**
 * Leave cannot be split to dodge the approval chain (docs/rules.md): a request that overlaps or nearly touches
 * another pending or approved leave of the same person is judged together with it. Two leaves are joined when
 * at most `policy.leave.mergeGapDays` official working days lie between them, so weekends and holidays in
 * between are no gap. Pure: the holiday calendar comes in.
 */
import { workdaysBetween, type DayCalendar, type LeaveSpan } from './count.js';
import { heldDays } from './validate.js';
import type { LeaveRequest } from './workflow.js';

/** The days a request holds, as a span with its half days (a half end only while the end is still held). */
export function heldSpan(r: LeaveRequest): LeaveSpan | undefined {
  const held = heldDays(r);
  if (!held) return undefined;
  return {
    ...held,
    ...(r.halfStart ? { halfStart: true } : {}),
    ...(r.halfEnd && held.end === r.end ? { halfEnd: true } : {}),
  };
}

/** True when two spans overlap, touch, or have at most `gapDays` working days between them. */
export function joined(a: LeaveSpan, b: LeaveSpan, gapDays: number, cal: DayCalendar): boolean {
  if (a.start <= b.end && b.start <= a.end) return true;
  const [first, second] = a.end < b.start ? [a, b] : [b, a];
  return workdaysBetween(first.end, second.start, cal) <= gapDays;
}

/**
 * The requests among `others` judged together with `span`: those joined to it directly or through one
 * another, pending or approved (rejected and withdrawn ones hold no days), sorted by start.
 */
export function mergedWith(
  span: LeaveSpan,
  others: readonly LeaveRequest[],
  opts: { gapDays: number; calendar: DayCalendar },
): { request: LeaveRequest; span: LeaveSpan }[] {
  const candidates = others.flatMap((request) => {
    const held = heldSpan(request);
    return held ? [{ request, span: held }] : [];
  });
  const group: LeaveSpan[] = [span];
  const taken: { request: LeaveRequest; span: LeaveSpan }[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of candidates) {
      if (taken.includes(c)) continue;
      if (group.some((g) => joined(g, c.span, opts.gapDays, opts.calendar))) {
        taken.push(c);
        group.push(c.span);
        grew = true;
      }
    }
  }
  return taken.sort((a, b) => a.span.start.localeCompare(b.span.start) || a.request.no.localeCompare(b.request.no));
}
