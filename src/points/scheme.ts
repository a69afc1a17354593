/**
 * 积分: a cadre's points of a half year, computed from the records and never typed in (docs/rules.md, 积分).
 * Pure: the policy's scheme and the records of the half year in, one event per point-earning (or -costing)
 * record out, each with its item, date, points and the record it comes from, then the totals with the caps
 * applied. Events count in date order; the event that reaches an item's cap counts only up to it and later
 * ones count nothing: both are marked as cut, with the points the cap took.
 */
import type { Policy, PointsItem } from '../policy/schema.js';
import { POINTS_ITEMS } from '../policy/schema.js';
import type { SixOnesItem } from '../reports/six-ones.js';
import type { Period } from './half.js';
import type { NoticeKind, NoticeRecord } from './notices.js';

export type PointsScheme = Policy['points'];

/** Where an event comes from. */
export type PointsRef =
  /** A day present beyond the month's target. */
  | { kind: 'presence'; month: string; target: number }
  /** A 六个一 item done, by the report that completed it. */
  | { kind: 'six-ones'; item: SixOnesItem; report: string }
  /** A problem the cadre raised, closed. */
  | { kind: 'problem'; no: string }
  /** A leader's visit to the cadre's village. */
  | { kind: 'visit'; no: string; by: string }
  | { kind: 'notice'; number: string; notice: NoticeKind }
  /** A working day over an approved leave (超假). */
  | { kind: 'leave'; no: string }
  | { kind: 'report'; no: string }
  | { kind: 'checkin'; at: string };

export interface PointsEvent {
  item: PointsItem;
  /** `YYYY-MM-DD`. */
  date: string;
  /** The item's points for one event. */
  points: number;
  /** What counted after the cap (equal to `points` unless the cap cut it). */
  counted: number;
  /** Points the cap took (0 when it took none). */
  cut: number;
  ref: PointsRef;
}

/** The records of one cadre for the half year, as the stores hold them. */
export interface PointsRecords {
  userid: string;
  /** Presence per month of the half year: the month's target (null while not set) and each presence day. */
  presence: { month: string; target: number | null; dates: readonly string[] }[];
  /** 六个一 items done, with the report that completed each and its date. */
  sixOnes: { item: SixOnesItem; report: string; doneOn: string }[];
  /** Problems the cadre raised that were closed, and the day they were closed. */
  problems: { no: string; closedOn: string }[];
  /** Leaders' visits to the cadre's village. */
  visits: { no: string; on: string; by: string }[];
  /** The cadre's notices; absent when the notices are not known to the caller (then no notice item counts). */
  notices?: readonly NoticeRecord[];
  /** Days over of approved leave (超假), per leave. */
  overstays: { leave: string; dates: readonly string[] }[];
  /** Work reports filed (only read when the reports item is on). */
  reports: { no: string; on: string }[];
  /** Check-in messages (only read when the checkins item is on). */
  checkins: { at: string; on: string }[];
}

export interface ItemTotal {
  item: PointsItem;
  events: number;
  /** Sum before the cap. */
  raw: number;
  /** Sum after the cap. */
  counted: number;
  cap: number | null;
}

export interface PersonPoints {
  userid: string;
  period: Period;
  /** In date order. */
  events: PointsEvent[];
  /** Each item that is on, in the scheme's order. */
  items: ItemTotal[];
  total: number;
  /** False when the notices were not known (absent in the records). */
  noticesKnown: boolean;
}

const NOTICE_ITEM: Record<NoticeKind, PointsItem> = {
  remind: 'remindNotice',
  rectify: 'rectifyNotice',
  warn: 'warnNotice',
};

/** A stable order for events of one day: by item, then by the record. */
function refKey(r: PointsRef): string {
  switch (r.kind) {
    case 'presence':
      return r.month;
    case 'six-ones':
      return `${r.report}:${r.item}`;
    case 'problem':
    case 'visit':
    case 'report':
      return r.no;
    case 'notice':
      return r.number;
    case 'leave':
      return r.no;
    case 'checkin':
      return r.at;
  }
}

/** Sum of halves without floating drift (every value is a multiple of 0.5). */
const add = (a: number, b: number): number => Math.round((a + b) * 2) / 2;

/** The raw events of the records that fall in `period`, of the items that are on. */
export function pointsEvents(
  scheme: PointsScheme,
  r: PointsRecords,
  period: Period,
): Omit<PointsEvent, 'counted' | 'cut'>[] {
  const out: Omit<PointsEvent, 'counted' | 'cut'>[] = [];
  const inPeriod = (d: string) => period.start <= d && d <= period.end;
  const push = (item: PointsItem, date: string, ref: PointsRef) => {
    const s = scheme.items[item];
    if (s.enabled && inPeriod(date)) out.push({ item, date, points: s.points, ref });
  };
  for (const m of r.presence) {
    if (m.target === null) continue;
    const dates = [...new Set(m.dates)].sort();
    for (const d of dates.slice(m.target))
      push('presenceBeyondTarget', d, { kind: 'presence', month: m.month, target: m.target });
  }
  for (const s of r.sixOnes) push('sixOnes', s.doneOn, { kind: 'six-ones', item: s.item, report: s.report });
  for (const p of r.problems) push('problemClosed', p.closedOn, { kind: 'problem', no: p.no });
  for (const v of r.visits) push('visitReceived', v.on, { kind: 'visit', no: v.no, by: v.by });
  for (const n of r.notices ?? [])
    if (n.state !== 'withdrawn')
      push(NOTICE_ITEM[n.kind], n.issuedOn, { kind: 'notice', number: n.number, notice: n.kind });
  for (const o of r.overstays) for (const d of o.dates) push('leaveOverdue', d, { kind: 'leave', no: o.leave });
  for (const h of r.reports) push('reports', h.on, { kind: 'report', no: h.no });
  for (const c of r.checkins) push('checkins', c.on, { kind: 'checkin', at: c.at });
  const order = (i: PointsItem) => POINTS_ITEMS.indexOf(i);
  return out.sort(
    (a, b) =>
      a.date.localeCompare(b.date) || order(a.item) - order(b.item) || refKey(a.ref).localeCompare(refKey(b.ref)),
  );
}

/** A cadre's points of `period` (the half year, or the part of it so far) from the records. */
export function computePoints(scheme: PointsScheme, records: PointsRecords, period: Period): PersonPoints {
  const raw = pointsEvents(scheme, records, period);
  const sums = new Map<PointsItem, { raw: number; counted: number; events: number }>();
  const events: PointsEvent[] = raw.map((e) => {
    const cap = scheme.items[e.item].cap;
    const s = sums.get(e.item) ?? { raw: 0, counted: 0, events: 0 };
    sums.set(e.item, s);
    s.events += 1;
    s.raw = add(s.raw, e.points);
    const room = cap === null ? Infinity : Math.max(0, cap - Math.abs(s.counted));
    const size = Math.min(Math.abs(e.points), room);
    const counted = Math.sign(e.points) * size;
    s.counted = add(s.counted, counted);
    return { ...e, counted: counted === 0 ? 0 : counted, cut: add(e.points, -counted) };
  });
  const items: ItemTotal[] = POINTS_ITEMS.filter((i) => scheme.items[i].enabled).map((item) => {
    const s = sums.get(item) ?? { raw: 0, counted: 0, events: 0 };
    return { item, events: s.events, raw: s.raw, counted: s.counted, cap: scheme.items[item].cap };
  });
  const total = items.reduce((t, i) => add(t, i.counted), 0);
  return { userid: records.userid, period, events, items, total, noticesKnown: records.notices !== undefined };
}
