/**
 * The one reader of a month's figures for the sheet, the roll-up, `我的考勤` and the command line: a closed
 * month gives the figures it was closed with, whatever changed since (policy, roster, late data); an open month
 * is computed by `loadMonthFigures` under the policy version in force on the month's last day, so a change
 * dated from next month leaves this month alone and an undated file applies to the month under way.
 */
import type { FiguresSource } from '../attendance/figures.js';
import { inTermDuring, loadMonthFigures, type DayLeave, type SheetFigures } from '../attendance/month-figures.js';
import type { YearFigures } from '../attendance/annual.js';
import { localMonth, monthDates, startOfLocalDay } from '../kit/dates.js';
import { PolicyHistory, versionAt, type PolicyVersion } from '../policy/history.js';
import type { Policy } from '../policy/policy.js';
import type { Roster } from '../roster/roster.js';
import { ClosedMonthStore, type ClosedMonth } from './store.js';

/** The cadres loadMonthFigures takes (whatever the roster's period logic needs). */
export type MonthCadre = Parameters<typeof loadMonthFigures>[1][number];

/** Which policy a month is counted under, and whether it is closed. */
export interface MonthBasis {
  month: string;
  /** How it was closed; absent while open. */
  closed?: ClosedMonth;
  /** The version used: the closing's for a closed month, otherwise the one in force on the month's last day. */
  version?: { id: string; effectiveFrom: string };
  /** That version's policy (absent when no version is registered: the caller's policy applies). */
  policy?: Policy;
}

/** Figures of many cadres and the basis of each month asked for. */
export interface MonthFiguresRead {
  figures: Map<string, SheetFigures>;
  basis: Map<string, MonthBasis>;
}

/** Whether every date of `leave` falls in one of `months`. */
function onlyMonths(leave: ReadonlyMap<string, DayLeave>, months: readonly string[]): boolean {
  for (const d of leave.keys()) if (!months.includes(d.slice(0, 7))) return false;
  return true;
}

/** Whether `months` (in any order, each once) are consecutive months. */
function monthsWithoutGap(months: readonly string[]): boolean {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  const sorted = [...new Set(months.map(index))].sort((a, b) => a - b);
  return sorted.length === months.length && sorted.at(-1)! - sorted[0]! === sorted.length - 1;
}

/** The cadres of the roster whose figures a month's sheet and its closing hold. */
export function monthCadres(roster: Roster, month: string): MonthCadre[] {
  return roster.data.cadres.filter((c) => inTermDuring(c, month));
}

/** The policy version in force on the last day of `month` among `versions` (undefined when none is registered). */
export function versionOfMonth(versions: readonly PolicyVersion[], month: string): PolicyVersion | undefined {
  return versionAt(versions, monthDates(month).at(-1)!);
}

function basisOf(month: string, closed: ClosedMonth | undefined, versions: readonly PolicyVersion[]): MonthBasis {
  const id = closed ? closed.version?.id : versionOfMonth(versions, month)?.id;
  const v = versions.find((x) => x.id === id);
  const version = closed?.version ?? (v ? { id: v.id, effectiveFrom: v.effectiveFrom } : undefined);
  return { month, ...(closed ? { closed } : {}), ...(version ? { version } : {}), ...(v ? { policy: v.policy } : {}) };
}

/**
 * The figures of `cadres` for `opts.months` (default: the month of `opts.now`), as `loadMonthFigures` gives
 * them, except that a closed month's are the stored ones. A cadre not closed with a closed month (not on the
 * roster then) gets computed figures. The annual figures are always computed, under the first month's version.
 * `onlyListed`: the cadres asked for only (one person's 我的考勤), no past cadres, no county-wide reads.
 */
export async function monthFiguresFor(
  src: FiguresSource,
  cadres: readonly MonthCadre[],
  opts: { now: Date; months?: string[]; onlyListed?: boolean },
): Promise<MonthFiguresRead> {
  const months = opts.months?.length ? opts.months : [localMonth(opts.now)];
  months.forEach((m) => monthDates(m)); // RangeError on a malformed month, before anything is read
  const store = new ClosedMonthStore(src.redis, src.keys);
  const ids = cadres.map((c) => c.userid);
  // Made only when needed: a county's open months take the early return below without it.
  let listedSet: Set<string> | undefined;
  const listed = () => (listedSet ??= new Set(ids));
  const [versions, closed] = await Promise.all([new PolicyHistory(src.redis, src.keys).versions(), store.of(months)]);
  // A closed month's stored figures of the cadres asked for and of the past cadres it was closed with.
  const stored = new Map(
    await Promise.all(
      [...closed.keys()].map(async (m) => {
        const past = opts.onlyListed ? [] : (await store.cadres(m)).filter((id) => !listed().has(id));
        return [m, await store.figures(m, [...ids, ...past])] as const;
      }),
    ),
  );
  const basis = new Map(months.map((m) => [m, basisOf(m, closed.get(m), versions)]));

  // One computation per policy version: the months counted under it (the first month always, for the year).
  const groups = new Map<string, { policy: Policy; months: string[] }>();
  months.forEach((m, i) => {
    // Every cadre asked for has stored figures (counting them would be fooled by past cadres closed with it).
    const complete = ids.every((id) => stored.get(m)?.has(id));
    if (complete && i > 0) return;
    const v = versionOfMonth(versions, m);
    const key = v?.id ?? '';
    const g = groups.get(key) ?? { policy: v?.policy ?? src.policy, months: [] };
    g.months.push(m);
    groups.set(key, g);
  });
  const computed = await Promise.all(
    [...groups.values()].map(async (g) => ({
      months: g.months,
      figures: await loadMonthFigures({ ...src, policy: g.policy }, cadres, {
        now: opts.now,
        months: g.months,
        ...(opts.onlyListed ? { onlyListed: true } : {}),
      }),
    })),
  );

  // Where each month's figures come from: the computation that counted it (or none, when stored for all).
  const sources = months.map((m) => computed.find((r) => r.months.includes(m))?.figures);
  const firstSource = sources[0];
  const whole = computed.length === 1 && computed[0]!.months.length === months.length;
  // Computed leave runs from the first to the last day of the months: when the months leave no gap between
  // them, every date of it is in one of them, and nothing needs checking per cadre.
  const noGap = monthsWithoutGap(months);
  // Nothing closed, one computation for every month, no gap: its figures as they are, in the order below
  // (the cadres asked for, then the past cadres by userid, as loadMonthFigures lists them).
  if (whole && !stored.size && noGap) return { figures: computed[0]!.figures, basis };
  // The cadres asked for, then the past cadres `loadMonthFigures` or a closing added (by userid, as it does).
  const past = new Set<string>();
  const asked = listed();
  for (const r of computed) for (const id of r.figures.keys()) if (!asked.has(id)) past.add(id);
  for (const m of stored.values()) for (const id of m.keys()) if (!asked.has(id)) past.add(id);
  const figures = new Map<string, SheetFigures>();
  for (const userid of [...ids, ...[...past].sort()]) {
    const first = firstSource?.get(userid);
    const year = first?.year;
    if (!year) continue;
    // Nothing stored and one computation for every month: its figures as they are (its leave covers the months).
    if (
      whole &&
      (!stored.size || !months.some((m) => stored.get(m)?.has(userid))) &&
      (noGap || onlyMonths(first.leave, months))
    ) {
      figures.set(userid, first);
      continue;
    }
    const leave = new Map<string, DayLeave>();
    const list = months.map((m, i) => {
      const kept = stored.get(m)?.get(userid);
      if (kept) {
        kept.leave.forEach(([d, l]) => leave.set(d, l));
        return kept.month;
      }
      const live = sources[i]?.get(userid);
      for (const [d, l] of live?.leave ?? []) if (d.startsWith(m)) leave.set(d, l);
      return live?.months.find((x) => x.month === m);
    });
    // A cadre the computation left out (no figures at all) has none here either, as with loadMonthFigures.
    if (list.some((x) => !x)) continue;
    const full = list as SheetFigures['months'];
    const periods = first.periods;
    figures.set(userid, { userid, month: full[0]!, months: full, year, leave, ...(periods ? { periods } : {}) });
  }
  return { figures, basis };
}

/**
 * The annual figures of `cadres` counted through the last moment of `month` (the sheet's year-to-date columns):
 * the year as it stood on that day, from the data as it is. Undefined while the month is not over at `now`
 * (the year as of `now` is the one to show then).
 */
export async function yearsThroughMonthEnd(
  src: FiguresSource,
  cadres: Parameters<typeof loadMonthFigures>[1],
  month: string,
  now: Date,
): Promise<Map<string, YearFigures> | undefined> {
  // The month's last day counts once it has a check-in, as every day does on its evening.
  const end = new Date(startOfLocalDay(monthDates(month).at(-1)!).getTime() + 86_400_000 - 1);
  if (end >= now) return undefined;
  const asOfEnd = await loadMonthFigures(src, cadres, { now: end, months: [month] });
  return new Map([...asOfEnd].map(([id, f]) => [id, f.year]));
}
