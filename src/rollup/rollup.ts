/**
 * The county roll-up, pure: per township and for the whole scope, how many cadres, the attendance rate of the
 * month so far, how many are on track / at risk / cannot reach / pending, how many are on leave today and how
 * many missed last month's target; and the list of cadres at risk for those allowed to see names.
 *
 * **Attendance rate** = presence days ÷ elapsed eligible cadre-days, over the cadres in scope. An eligible day
 * is a day of the month inside the cadre's term that is neither an official day off nor a day of excused leave
 * (病假 …), the same days the monthly target is spread over. It is elapsed when it is before today, or today
 * once it already counts (a check-in or leave that counts as present): today is never held against anyone
 * before it is over. A presence day is a check-in (any source, back-fills included) or leave of the present
 * class (公差 …); 事假 and other absent leave stay in the denominator. Presence on a day off is not in the rate
 * (it still counts towards the cadre's target). While a year has no holiday data its days off are unknown and
 * every day counts as eligible.
 */
import { anyMarkBut, eachMark, type ForecastStatus, type MonthFigures } from '../attendance/accounting.js';
import type { TargetCalendar } from '../attendance/targets.js';
import type { Roster } from '../roster/roster.js';
import type { DayLeave, SheetFigures } from '../attendance/month-figures.js';
import { placeOf } from '../sheet/rows.js';

export interface RollupCounts {
  cadres: number;
  /** Presence days on elapsed eligible days. */
  presentDays: number;
  /** Elapsed eligible cadre-days. */
  eligibleDays: number;
  /** presentDays ÷ eligibleDays, null before any day is elapsed. */
  rate: number | null;
  status: Record<ForecastStatus, number>;
  /** Cadres with approved leave covering today (running month only, else 0). */
  onLeaveToday: number;
  /** Cadres whose previous month closed below its target (pending targets are not counted). */
  belowLastMonth: number;
}

export interface TownshipRollup extends RollupCounts {
  id: string;
  name: string;
}

/** A cadre who needs attention: at risk or unable to reach the month's target (missed it, once closed). */
export interface AtRiskCadre {
  userid: string;
  name: string;
  township: string;
  village: string;
  status: 'at-risk' | 'cannot-reach';
  present: number;
  target: number;
  needed: number;
  remaining: number;
}

export interface Rollup {
  month: string;
  previousMonth: string;
  today: string;
  phase: MonthFigures['phase'];
  /** The month's year when it has no holiday data (targets pending). */
  uncoveredYear?: number;
  townships: TownshipRollup[];
  total: RollupCounts;
  atRisk: AtRiskCadre[];
}

export interface RollupInput {
  roster: Roster;
  /** Townships in scope, in the order to show them. */
  townships: readonly string[];
  /** Figures of the month and of the month before it (`months: [month, previous]`). */
  figures: ReadonlyMap<string, SheetFigures>;
  month: string;
  previousMonth: string;
  today: string;
  calendar: TargetCalendar;
  /**
   * Only the cadres these sending units sent (as the assignment held in the month says): a sending unit's own
   * roll-up (`本单位情况`). Absent: every cadre of the townships.
   */
  units?: ReadonlySet<string>;
}

const emptyCounts = (): RollupCounts => ({
  cadres: 0,
  presentDays: 0,
  eligibleDays: 0,
  rate: null,
  status: { 'on-track': 0, 'at-risk': 0, 'cannot-reach': 0, pending: 0 },
  onLeaveToday: 0,
  belowLastMonth: 0,
});

/** Presence days and elapsed eligible days of one cadre's month (see the module comment). */
export function elapsedEligible(
  m: MonthFigures,
  leave: ReadonlyMap<string, DayLeave>,
  calendar: TargetCalendar,
): { present: number; eligible: number } {
  let present = 0;
  let eligible = 0;
  const today = m.today;
  // The marks as the figures keep them: a county's roll-up makes no day-line entries.
  eachMark(m, (date, mark) => {
    if (mark === 'outside' || date > today) return;
    const cls = leave.size ? leave.get(date)?.class : undefined;
    const counts = mark === 'present' || mark === 'self-reported' || cls === 'present';
    if (date === today && !counts) return;
    if (calendar.isDayOff(date) === true || cls === 'excused') return;
    eligible += 1;
    if (counts) present += 1;
  });
  return { present, eligible };
}

function inTerm(m: MonthFigures | undefined): m is MonthFigures {
  return m !== undefined && anyMarkBut(m, 'outside');
}

function add(into: RollupCounts, from: RollupCounts): void {
  into.cadres += from.cadres;
  into.presentDays += from.presentDays;
  into.eligibleDays += from.eligibleDays;
  for (const s of Object.keys(into.status) as ForecastStatus[]) into.status[s] += from.status[s];
  into.onLeaveToday += from.onLeaveToday;
  into.belowLastMonth += from.belowLastMonth;
}

const withRate = <C extends RollupCounts>(c: C): C => ({
  ...c,
  rate: c.eligibleDays ? c.presentDays / c.eligibleDays : null,
});

/** One cadre's contribution to the counts, and whether they belong on the at-risk list. */
function cadreCounts(f: SheetFigures, input: RollupInput): { counts: RollupCounts; month?: MonthFigures } {
  const counts = emptyCounts();
  const m = f.months.find((x) => x.month === input.month);
  const prev = f.months.find((x) => x.month === input.previousMonth);
  if (inTerm(prev) && prev.target.status === 'set' && prev.present < prev.target.target) counts.belowLastMonth = 1;
  if (!inTerm(m)) return { counts };
  const { present, eligible } = elapsedEligible(m, f.leave, input.calendar);
  counts.cadres = 1;
  counts.presentDays = present;
  counts.eligibleDays = eligible;
  counts.status[m.status] = 1;
  if (m.phase === 'current' && f.leave.has(input.today)) counts.onLeaveToday = 1;
  return { counts, month: m };
}

/** A cadre as the roll-up counts them: under the township and village held in the month (or the month before). */
interface Member {
  userid: string;
  name: string;
  village: string;
  figures: SheetFigures;
}

/**
 * The cadres of the figures per township: where their assignment put them at the end of the month (a cadre
 * who left or moved counts where they served), or of the month before for one who left before this month;
 * where the roster says for a cadre without a history. In the order of the figures (roster order).
 */
function membersByTownship(input: RollupInput): Map<string, Member[]> {
  const out = new Map<string, Member[]>();
  for (const [userid, f] of input.figures) {
    const periods = f.periods ?? [];
    const place =
      placeOf(input.roster, userid, periods, input.month) ??
      placeOf(input.roster, userid, periods, input.previousMonth);
    if (!place) continue;
    if (input.units && !input.units.has(place.cadre.sendingUnit)) continue;
    const list = out.get(place.township.id) ?? [];
    list.push({ userid, name: place.cadre.name, village: place.village.name, figures: f });
    out.set(place.township.id, list);
  }
  return out;
}

/**
 * Roll up the figures of the cadres of `input.townships`. Cadres without figures are left out; a cadre whose
 * term has no day in the month counts only towards last month's misses.
 */
export function countyRollup(input: RollupInput): Rollup {
  const { roster } = input;
  const total = emptyCounts();
  const townships: TownshipRollup[] = [];
  const atRisk: (AtRiskCadre & { order: number })[] = [];
  const phase: MonthFigures['phase'] =
    input.month < input.today.slice(0, 7) ? 'past' : input.month > input.today.slice(0, 7) ? 'future' : 'current';
  const members = membersByTownship(input);
  for (const id of input.townships) {
    const t = roster.townships.get(id);
    if (!t) continue;
    const row: TownshipRollup = { id, name: t.name, ...emptyCounts() };
    (members.get(id) ?? []).forEach((cadre) => {
      const { counts, month: m } = cadreCounts(cadre.figures, input);
      add(row, counts);
      if (!m) return;
      if ((m.status === 'at-risk' || m.status === 'cannot-reach') && m.target.status === 'set') {
        atRisk.push({
          userid: cadre.userid,
          name: cadre.name,
          township: t.name,
          village: cadre.village,
          status: m.status,
          present: m.present,
          target: m.target.target,
          needed: m.needed ?? 0,
          remaining: m.remaining,
          order: atRisk.length,
        });
      }
    });
    add(total, row);
    townships.push(withRate(row));
  }
  // Those who can no longer make it first, then by how far out of reach, then in roster order.
  atRisk.sort((a, b) => rank(b) - rank(a) || b.needed - b.remaining - (a.needed - a.remaining) || a.order - b.order);
  const year = Number(input.month.slice(0, 4));
  return {
    month: input.month,
    previousMonth: input.previousMonth,
    today: input.today,
    phase,
    ...(input.calendar.isYearCovered(year) ? {} : { uncoveredYear: year }),
    townships,
    total: withRate(total),
    atRisk: atRisk.map(({ order: _order, ...c }) => c),
  };
}

const rank = (c: AtRiskCadre) => (c.status === 'cannot-reach' ? 1 : 0);
