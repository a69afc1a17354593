/**
 * The words after `考勤` / `我的考勤`: an optional month and an optional cadre (name or userid), in either
 * order. Pure; the handler decides what a name means for the person asking.
 */
import { monthKey } from '../kit/dates.js';

export interface AttendanceQuery {
  /** Name or userid of the cadre to look up; absent for one's own figures. */
  who?: string;
  month: string;
}

/** Why the words could not be read. */
export type QueryProblem = 'bad-month' | 'too-many-words';

const ISO = /^(\d{4})[-/.](\d{1,2})$/;
const CHINESE = /^(?:(\d{4})年)?(\d{1,2})月份?$/;

/**
 * The month a word names, as `YYYY-MM`, or undefined when the word is not a month. `YYYY-MM`, `YYYY/MM`,
 * `YYYY年M月`, `本月`, `上月` and `M月` are understood; `M月` without a year is the latest such month not
 * after today's month (in January, `12月` is last December). A word that looks like a month but is not one
 * (`2026-13`) is 'bad'.
 */
export function monthWord(word: string, today: string): string | 'bad' | undefined {
  const year = Number(today.slice(0, 4));
  const current = Number(today.slice(5, 7));
  if (word === '本月' || word === '这个月') return monthKey(year, current);
  if (word === '上月' || word === '上个月') return current === 1 ? monthKey(year - 1, 12) : monthKey(year, current - 1);
  const iso = ISO.exec(word);
  const zh = iso ? undefined : CHINESE.exec(word);
  if (!iso && !zh) return undefined;
  const m = Number(iso ? iso[2] : zh![2]);
  if (m < 1 || m > 12) return 'bad';
  if (iso) return monthKey(Number(iso[1]), m);
  if (zh![1]) return monthKey(Number(zh![1]), m);
  return monthKey(m > current ? year - 1 : year, m);
}

/** Read the words after the alias as of `today`; the month defaults to today's. */
export function parseAttendanceQuery(rest: string, today: string): AttendanceQuery | QueryProblem {
  const words = rest.split(/\s+/).filter(Boolean);
  let month: string | undefined;
  const others: string[] = [];
  for (const word of words) {
    const m = monthWord(word, today);
    if (m === 'bad') return 'bad-month';
    if (m && !month) month = m;
    else others.push(word);
  }
  if (others.length > 1) return 'too-many-words';
  return { ...(others[0] ? { who: others[0] } : {}), month: month ?? today.slice(0, 7) };
}
