/**
 * Assignment history: the periods a cadre was in post, each in one village under one term. The roster file
 * says who is in post now; the history keeps who was, so that a past month's figures, sheet and roll-up still
 * see a cadre who was replaced, recalled, moved or whose term ended. Pure: the store reads and writes it.
 *
 * `from` and `to` are the first and last day in post (both included; `to` null while ongoing). A period counts
 * only inside its term as well: a period still open after its term's end stops counting at `termEnd`.
 */
import { addDays, monthDates } from '../kit/dates.js';
import type { Cadre, RosterData } from './schema.js';

/** Why a period ended: replaced, 召回, 调整 (moved), 任期届满, 轮换, or left the roster without a reason. */
export const END_REASONS = ['replaced', 'recalled', 'moved', 'term-end', 'rotation', 'removed'] as const;
export type EndReason = (typeof END_REASONS)[number];

export interface Assignment {
  userid: string;
  name: string;
  role: Cadre['role'];
  teamLeader: boolean;
  sendingUnit: string;
  /** The village and its township, with their names as of the period (a village may later leave the roster). */
  village: string;
  villageName: string;
  township: string;
  townshipName: string;
  termStart: string;
  termEnd: string;
  from: string;
  to: string | null;
  end?: EndReason;
  /** The cadre who took over, for `end: replaced`. */
  by?: string;
}

/** A run of dates, both included. */
export interface DaySpan {
  start: string;
  end: string;
}

/** The period `cadre` holds under `data` from `from` on (ongoing). */
export function assignmentOf(cadre: Cadre, data: RosterData, from: string): Assignment {
  const village = data.villages.find((v) => v.id === cadre.village);
  const township = data.townships.find((t) => t.id === village?.township);
  return {
    userid: cadre.userid,
    name: cadre.name,
    role: cadre.role,
    teamLeader: cadre.teamLeader,
    sendingUnit: cadre.sendingUnit,
    village: cadre.village,
    villageName: village?.name ?? cadre.village,
    township: township?.id ?? '',
    townshipName: township?.name ?? '',
    termStart: cadre.termStart,
    termEnd: cadre.termEnd,
    from,
    to: null,
  };
}

/**
 * The history of a cadre of a roster written before histories were kept: one period over the whole term,
 * ended at the term's end when that is past.
 */
export function defaultHistory(cadre: Cadre, data: RosterData, today: string): Assignment[] {
  const a = assignmentOf(cadre, data, cadre.since ?? cadre.termStart);
  return [cadre.termEnd < today ? { ...a, to: cadre.termEnd, end: 'term-end' } : a];
}

/** End period `a` with `last` as its last day in post (never before its first: an empty period stays empty). */
export function ended(a: Assignment, last: string, reason: EndReason, by?: string): Assignment {
  const to = last < a.from ? addDays(a.from, -1) : last;
  return { ...a, to, end: reason, ...(by ? { by } : {}) };
}

/** The days a period counts: in post and inside its term; undefined when there are none. */
export function activeSpan(a: Assignment): DaySpan | undefined {
  const start = a.from > a.termStart ? a.from : a.termStart;
  const last = a.to ?? a.termEnd;
  const end = last < a.termEnd ? last : a.termEnd;
  return start <= end ? { start, end } : undefined;
}

/** The periods with at least one counting day from `start` to `end`, in history order. */
export function periodsDuring(history: readonly Assignment[], start: string, end: string): Assignment[] {
  return history.filter((a) => {
    const s = activeSpan(a);
    return s !== undefined && s.start <= end && s.end >= start;
  });
}

/** The period whose counting days include `date`. */
export function heldOn(history: readonly Assignment[], date: string): Assignment | undefined {
  return periodsDuring(history, date, date).at(-1);
}

/**
 * The period a month is shown under: the last one counting in the month (a cadre moved mid-month appears
 * under the village they hold at the month's end, or left last).
 */
export function placeInMonth(history: readonly Assignment[], month: string): Assignment | undefined {
  const dates = monthDates(month);
  return periodsDuring(history, dates[0]!, dates.at(-1)!).at(-1);
}

/** The open period of a history: the last one not ended. */
export function openPeriod(history: readonly Assignment[]): Assignment | undefined {
  const last = history.at(-1);
  return last && last.to === null ? last : undefined;
}
