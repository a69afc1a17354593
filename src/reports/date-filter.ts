/**
 * The date a supervisor may add when reading reports: `2026-11-18`, `11月18日` (or `号`), `今天`, `昨天`,
 * `前天`. A month-day without a year means the latest such date not after today.
 */
import { addDays, dayjs, localDate } from '../kit/dates.js';
import { normaliseText } from '../kit/text.js';

const RELATIVE: Record<string, number> = { 今天: 0, 今日: 0, 昨天: -1, 昨日: -1, 前天: -2 };

/** The `YYYY-MM-DD` a word names, or undefined when it is not a date we read. */
export function parseDateFilter(word: string, now: Date): string | undefined {
  const w = normaliseText(word).replace(/\s+/g, '');
  const today = localDate(now);
  if (w in RELATIVE) return addDays(today, RELATIVE[w]!);
  const full = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?$/.exec(w);
  if (full) return valid(Number(full[1]), Number(full[2]), Number(full[3]));
  const md = /^(\d{1,2})月(\d{1,2})[日号]?$/.exec(w);
  if (!md) return undefined;
  const year = Number(today.slice(0, 4));
  const thisYear = valid(year, Number(md[1]), Number(md[2]));
  if (thisYear && thisYear <= today) return thisYear;
  return valid(year - 1, Number(md[1]), Number(md[2])) ?? thisYear;
}

function valid(y: number, m: number, d: number): string | undefined {
  const s = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const parsed = dayjs.utc(s);
  return parsed.isValid() && parsed.format('YYYY-MM-DD') === s ? s : undefined;
}
