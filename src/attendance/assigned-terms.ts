/**
 * The terms a cadre's figures use, from their assignment history: for month figures every day in post (in any
 * village, under any term); for the annual figures the term in effect on the anchor date, with its days in
 * post only. A new term (a later term start, a rotation) therefore starts a new annual target, while the old
 * term's figures stay what they were when asked for a date inside it.
 */
import { activeSpan, type Assignment } from '../roster/assignments.js';
import type { Term } from './targets.js';

function spansOf(periods: readonly Assignment[]): { start: string; end: string }[] {
  return periods.map(activeSpan).filter((s): s is { start: string; end: string } => s !== undefined);
}

/** Every day in post of the history, inside one term spanning all of it (the month figures' term). */
export function monthTerm(history: readonly Assignment[]): Term {
  const start = history.reduce((m, a) => (a.termStart < m ? a.termStart : m), history[0]!.termStart);
  const end = history.reduce((m, a) => (a.termEnd > m ? a.termEnd : m), history[0]!.termEnd);
  return { start, end, spans: spansOf(history) };
}

/**
 * The term whose annual figures a date shows: the latest term started on or before `at` (the first term for
 * an earlier date), its end the latest given for it, its spans the days in post under it.
 */
export function annualTermAt(history: readonly Assignment[], at: string): Term {
  const starts = [...new Set(history.map((a) => a.termStart))].sort();
  const start = starts.filter((s) => s <= at).at(-1) ?? starts[0]!;
  const periods = history.filter((a) => a.termStart === start);
  return { start, end: periods.at(-1)!.termEnd, spans: spansOf(periods) };
}
