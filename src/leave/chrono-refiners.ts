/**
 * The refiners that turn chrono's results into leave spans: spaces trimmed, weekday labels checked, ranges and
 * lists joined (a list is one span only when its days are consecutive), and what the writer left out (the year,
 * the end's month, a bare weekday or lunar day at the end) filled in from the start.
 */
import type { ParsedComponents, ParsedResult, ParsingComponents, Refiner } from 'chrono-node';
import {
  addDays,
  bareLunarDay,
  closestYear,
  DAY_MS,
  iso,
  LIST_SEPARATOR,
  listItems,
  RANGE_SEPARATOR,
  refYmd,
  setDate,
  TAG_BARE_LUNAR,
  TAG_BARE_WEEKDAY,
  TAG_DOUBT,
  utcOf,
  weekdayLabel,
  ymdOf,
  type Ymd,
} from './chrono-base.js';
import { lunarDayFrom } from './lunar.js';

/**
 * Some of chrono's Chinese patterns take the spaces around a date (`明天 `, ` 12月14日`), so that two dates
 * written with a space between overlap and the shorter is dropped; trimmed, both stay and can be joined.
 */
export const trimRefiner: Refiner = {
  refine(_context, results) {
    for (const r of results) {
      const lead = r.text.length - r.text.trimStart().length;
      r.index += lead;
      r.text = r.text.trim();
    }
    return results.filter((r) => r.text.length > 0);
  },
};

/** A result as refiners see it. */
type RefinedResult = Parameters<Refiner['refine']>[1][number];

/** A result that names a day (or a weekday, or a bare lunar day), not only a month or a time. */
const namesDay = (r: ParsedResult) =>
  r.start.isCertain('day') || r.start.isCertain('weekday') || r.start.tags().has(TAG_BARE_LUNAR);

/**
 * Joins `A 至 B` into one range without chrono's own fix-ups, which silently swap a reversed range or push its end
 * a year ahead; a reversed range must reach the writer as a question instead. Days written one after another
 * (`周四周五`, `12月14日 12月15日`, `11月23、24日`) are joined as a list, which `resolveRefiner` reads as one span
 * only when the days are consecutive.
 */
export const rangeRefiner: Refiner = {
  refine(context, results) {
    const between = new RegExp(`^[\\s）)]*${RANGE_SEPARATOR}\\s*$`);
    const listed = new RegExp(`^${LIST_SEPARATOR}$`);
    const out: typeof results = [];
    for (const result of results) {
      const prev = out[out.length - 1];
      const after = prev ? prev.index + prev.text.length : 0;
      const gap = prev ? context.text.slice(after, result.index) : '';
      const items = prev ? listItems.get(prev) : undefined;
      if (prev && !prev.end && !result.end && result.index >= after && between.test(gap)) {
        prev.end = result.start;
        prev.text = prev.text + gap + result.text;
      } else if (
        prev &&
        result.index >= after &&
        listed.test(gap) &&
        namesDay(prev) &&
        namesDay(result) &&
        (!prev.end || items)
      ) {
        listItems.set(prev, [...(items ?? [prev.start]), result.start, ...(result.end ? [result.end] : [])]);
        if (result.end) result.addTag(TAG_DOUBT);
        for (const tag of result.tags()) if (tag === TAG_DOUBT) prev.addTag(TAG_DOUBT);
        prev.end = result.end ?? result.start;
        prev.text = prev.text + gap + result.text;
      } else {
        out.push(result);
      }
    }
    return out;
  },
};

/**
 * A weekday written right after a date (`12月14日 周一`, `16日（周三）`) is the date's label, not another day:
 * it joins the date and is checked against it once the year is known (`resolveRefiner`).
 */
export const labelRefiner: Refiner = {
  refine(context, results) {
    const out: typeof results = [];
    for (const result of results) {
      const prev = out[out.length - 1];
      const after = prev ? prev.index + prev.text.length : 0;
      const gap = prev ? context.text.slice(after, result.index) : '';
      const isWeekday = result.start.isCertain('weekday') && !result.end;
      if (prev && isWeekday && !prev.start.isCertain('weekday') && namesDay(prev) && /^\s*[（(]?\s*$/.test(gap)) {
        weekdayLabel.set(prev.end ?? prev.start, result.start.get('weekday') ?? 0);
        const close = /^\s*[）)]/.exec(context.text.slice(result.index + result.text.length));
        prev.text = prev.text + gap + result.text + (close?.[0] ?? '');
        continue;
      }
      out.push(result);
    }
    return out;
  },
};

/** Whether a date contradicts the weekday written as its label. */
function labelWrong(c: ParsedComponents): boolean {
  const label = weekdayLabel.get(c);
  return label !== undefined && new Date(utcOf(ymdOf(c))).getUTCDay() !== label;
}

/** `end` read from `from`: a bare weekday is the first such day on or after it, a bare lunar day likewise. */
function resolveFrom(end: ParsingComponents, from: Ymd): void {
  if (end.tags().has(TAG_BARE_WEEKDAY)) {
    const fromWd = (new Date(utcOf(from)).getUTCDay() + 6) % 7;
    const wd = ((end.get('weekday') ?? 0) + 6) % 7;
    setDate(end, addDays(from, (wd - fromWd + 7) % 7), true);
  } else if (end.tags().has(TAG_BARE_LUNAR)) {
    const date = lunarDayFrom(iso(from), bareLunarDay.get(end) ?? 0);
    if (date) setDate(end, { year: +date.slice(0, 4), month: +date.slice(5, 7), day: +date.slice(8, 10) }, true);
    else end.addTag(TAG_DOUBT);
  } else if (!end.isCertain('month')) {
    end.imply('month', from.month);
    end.imply('year', from.year);
  } else if (!end.isCertain('year')) {
    end.imply('year', (end.get('month') ?? 0) < from.month ? from.year + 1 : from.year);
  }
}

/**
 * A list read day by day: one span only when each day follows the one before. A weekday right after a date is
 * its label (`12月14日 周一`) and must name the same day; a weekday after a weekday is the next day of the list.
 */
function readList(result: RefinedResult, items: ParsedComponents[]): void {
  const days: ParsedComponents[] = [items[0]!];
  for (const item of items.slice(1)) {
    const before = days[days.length - 1]!;
    resolveFrom(item as ParsingComponents, ymdOf(before));
    const gap = (utcOf(ymdOf(item)) - utcOf(ymdOf(before))) / DAY_MS;
    const label = item.isCertain('weekday') && !before.isCertain('weekday');
    if (label && gap === 0) continue;
    if (label || gap !== 1) result.addTag(TAG_DOUBT);
    days.push(item);
  }
  result.end = days.length > 1 ? (days[days.length - 1] as ParsingComponents) : undefined;
}

/**
 * Fills in what the writer left out, once ranges are joined: the start's year (see `closestYear`), then the
 * end from the start: a bare weekday is the first such day from the start on, a bare day takes the start's month,
 * and a month without a year takes the start's year, or the next one when the month comes earlier (`12月30日到
 * 1月2日`). A bare day earlier than the start stays earlier, so `11月27日至25日` can be questioned. A list is
 * read day by day and is one span only when each day follows the one before; a bare lunar day (`初六`) cannot
 * start anything.
 */
export const resolveRefiner: Refiner = {
  refine(context, results) {
    const today = refYmd(context);
    for (const result of results) {
      const start = result.start;
      if (start.tags().has(TAG_BARE_LUNAR)) result.addTag(TAG_DOUBT);
      if (start.isCertain('month') && !start.isCertain('year')) {
        const { month, day } = ymdOf(start);
        const year = closestYear(month, day, today);
        if (year) start.imply('year', year);
      }
      const items = listItems.get(result);
      if (items) {
        readList(result, items);
        if (items.some(labelWrong)) result.addTag(TAG_DOUBT);
        continue;
      }
      if (result.end) resolveFrom(result.end, ymdOf(start));
      if (result.end?.tags().has(TAG_DOUBT)) result.addTag(TAG_DOUBT);
      if (labelWrong(start) || (result.end && labelWrong(result.end))) result.addTag(TAG_DOUBT);
    }
    return results;
  },
};
