/**
 * The daily digest of one township, pure: the day's check-ins, leave, waiting approvals, reports and the
 * month so far of each cadre in, a model out (`dailyModel`), which `templates/digest.ts` writes as markdown.
 * Names and figures of individuals go only into the supervisors' model; the group sees `dailyTotals`.
 *
 * Until the day is over a cadre without a check-in is "no data yet", never absent: mountain villages have
 * poor signal and a missed check-in can still be back-filled (docs/rules.md, 减轻负担).
 */
import type { ForecastStatus, MonthFigures } from '../attendance/accounting.js';
import { isPendingReview, type CheckinRecord, type CheckinSource, type Trust } from '../attendance/record.js';
import { localDate, localTime } from '../kit/dates.js';
import { currentStep, type LeaveRequest } from '../leave/workflow.js';

/** A cadre's month so far, as the digests show it. `target` and `needed` are null while the target is pending. */
export interface MonthLine {
  present: number;
  target: number | null;
  needed: number | null;
  remaining: number;
  status: ForecastStatus;
}

/** The digest's view of month figures. */
export function monthLine(f: Pick<MonthFigures, 'present' | 'target' | 'needed' | 'remaining' | 'status'>): MonthLine {
  return {
    present: f.present,
    target: f.target.status === 'set' ? f.target.target : null,
    needed: f.needed,
    remaining: f.remaining,
    status: f.status,
  };
}

export interface DayLeave {
  no: string;
  type: string;
  start: string;
  end: string;
}

export interface DailyCadre {
  userid: string;
  name: string;
  village: string;
  /** The day's check-in records (`CheckinRepo.day`). */
  records: CheckinRecord[];
  /** Approved leave covering the day. */
  leave?: DayLeave;
  /** Work reports filed on the day. */
  reportsToday: number;
  month: MonthLine;
}

/** A leave request waiting on the township's supervisors. */
export interface PendingLeave {
  no: string;
  name: string;
  type: string;
  start: string;
  end: string;
  days: number;
  /** ISO time it reached the township's step. */
  since: string;
}

export interface DailyInput {
  township: { id: string; name: string };
  date: string;
  now: Date;
  /** The township's cadres in post on the date, in roster order. */
  cadres: DailyCadre[];
  pending: PendingLeave[];
}

export interface CheckedLine {
  name: string;
  village: string;
  /** `HH:MM` of the check-in shown. */
  at: string;
  source: CheckinSource;
  /** Only self-reported locations back the day (a point picked on the map). */
  selfReported: boolean;
  /** Those self-reported locations were confirmed by the team leader or township (自报·已确认). */
  confirmed?: boolean;
  /** WeCom 打卡 exception flags, or the back-fill's reason. */
  notes: string[];
}

/** A check-in of the day whose position is implausible (reached too fast from the one before). */
export interface FlaggedLine {
  name: string;
  village: string;
  /** `HH:MM` of the check-in. */
  at: string;
  source: CheckinSource;
  /** Speed (km/h) it would have taken from the previous position. */
  speedKmh: number;
  /** `HH:MM` of the previous position, or `MM-DD HH:MM` when it was on another day. */
  since: string;
}

export interface MissingLine {
  name: string;
  village: string;
  /** Checked in, but outside the village's geofence: the nearest distance in metres when known, else null. */
  outside?: number | null;
  /** A self-reported location inside the village that does not count (rejected, or refused by the policy). */
  selfNotCounted?: boolean;
}

/** A cadre whose day rests on a self-reported location waiting for confirmation: not counted yet. */
export interface AwaitingLine {
  name: string;
  village: string;
  /** `HH:MM` of the location. */
  at: string;
  distanceM?: number;
}

export interface DailyModel {
  township: { id: string; name: string };
  date: string;
  /** `HH:MM` of the run. */
  asOf: string;
  /** The date is over: no check-in now means 未签到 rather than 暂无数据. */
  dayOver: boolean;
  checkedIn: number;
  /** Cadres expected to check in: those checked in plus those neither checked in nor on leave. */
  expected: number;
  selfReported: number;
  checked: CheckedLine[];
  /** Check-ins flagged as implausible, in time order: for the supervisors to look into. */
  flagged: FlaggedLine[];
  onLeave: (DayLeave & { name: string; village: string })[];
  missing: MissingLine[];
  /** Self-reported locations waiting for confirmation (policy `confirm`), not counted yet. */
  awaiting: AwaitingLine[];
  pending: (Omit<PendingLeave, 'since'> & { waitedMinutes: number })[];
  reports: { name: string; count: number }[];
  reportTotal: number;
  month: { name: string; village: string; line: MonthLine }[];
  /** Names of those at risk or unable to reach the month's target. */
  attention: string[];
}

const TRUST_RANK: Record<Trust, number> = { verified: 3, confirmed: 2, 'self-reported': 1 };

/** The check-in that best backs the day: the most trusted, then the earliest. */
function bestRecord(counting: readonly CheckinRecord[]): CheckinRecord {
  return [...counting].sort((a, b) => TRUST_RANK[b.trust] - TRUST_RANK[a.trust] || a.at.localeCompare(b.at))[0]!;
}

/** When the previous position was: its time, with the date when it was not on the digest's day. */
function sinceText(iso: string, date: string): string {
  const at = new Date(iso);
  return localDate(at) === date ? localTime(at) : `${localDate(at).slice(5)} ${localTime(at)}`;
}

/** True once `date` (Asia/Shanghai) has ended at `now`. */
export function dayIsOver(date: string, now: Date): boolean {
  return localDate(now) > date;
}

/** Build the supervisors' model of one township's day. Pure. */
export function dailyModel(input: DailyInput): DailyModel {
  const checked: CheckedLine[] = [];
  const missing: MissingLine[] = [];
  const onLeave: DailyModel['onLeave'] = [];
  const flagged: FlaggedLine[] = [];
  const awaiting: AwaitingLine[] = [];
  for (const c of input.cadres) {
    for (const r of c.records) {
      if (r.flagged)
        flagged.push({
          name: c.name,
          village: c.village,
          at: localTime(new Date(r.at)),
          source: r.source,
          speedKmh: r.flagged.speedKmh,
          since: sinceText(r.flagged.since, input.date),
        });
    }
    const counting = c.records.filter((r) => r.counts);
    if (counting.length) {
      const best = bestRecord(counting);
      checked.push({
        name: c.name,
        village: c.village,
        at: localTime(new Date(best.at)),
        source: best.source,
        selfReported: counting.every((r) => r.trust === 'self-reported'),
        ...(counting.every((r) => r.review?.status === 'confirmed') ? { confirmed: true } : {}),
        notes: best.notes ?? [],
      });
    }
    if (c.leave) onLeave.push({ ...c.leave, name: c.name, village: c.village });
    if (counting.length || c.leave) continue;
    const waiting = c.records.find(isPendingReview);
    if (waiting) {
      awaiting.push({
        name: c.name,
        village: c.village,
        at: localTime(new Date(waiting.at)),
        ...(waiting.distanceM !== undefined ? { distanceM: waiting.distanceM } : {}),
      });
      continue;
    }
    const tried = c.records.filter((r) => r.direction === 'in');
    const away = tried.filter((r) => !r.inside);
    const distances = away.flatMap((r) => (r.distanceM === undefined ? [] : [r.distanceM]));
    const selfNotCounted = tried.some((r) => r.inside && r.trust === 'self-reported');
    missing.push({
      name: c.name,
      village: c.village,
      ...(away.length ? { outside: distances.length ? Math.min(...distances) : null } : {}),
      ...(selfNotCounted ? { selfNotCounted } : {}),
    });
  }
  const reports = input.cadres.filter((c) => c.reportsToday > 0).map((c) => ({ name: c.name, count: c.reportsToday }));
  const pending = [...input.pending]
    .sort((a, b) => a.since.localeCompare(b.since))
    .map(({ since, ...p }) => ({
      ...p,
      waitedMinutes: Math.max(0, Math.floor((input.now.getTime() - Date.parse(since)) / 60_000)),
    }));
  return {
    township: input.township,
    date: input.date,
    asOf: localTime(input.now),
    dayOver: dayIsOver(input.date, input.now),
    checkedIn: checked.length,
    expected: checked.length + missing.length + awaiting.length,
    selfReported: checked.filter((c) => c.selfReported).length,
    checked,
    flagged,
    onLeave,
    missing,
    awaiting,
    pending,
    reports,
    reportTotal: reports.reduce((n, r) => n + r.count, 0),
    month: input.cadres.map((c) => ({ name: c.name, village: c.village, line: c.month })),
    attention: input.cadres
      .filter((c) => c.month.status === 'at-risk' || c.month.status === 'cannot-reach')
      .map((c) => c.name),
  };
}

/** What a township's group may see: totals only, no names, no one person's figures. */
export interface DailyTotals {
  township: { id: string; name: string };
  date: string;
  asOf: string;
  dayOver: boolean;
  checkedIn: number;
  expected: number;
  onLeave: number;
  reports: number;
  /** How many check-ins of the day were flagged as implausible (a count, no names). */
  flagged: number;
  /** How many cadres' days wait for a self-reported location to be confirmed (a count, no names). */
  awaiting: number;
}

/** The group's totals of a day. Pure. */
export function dailyTotals(m: DailyModel): DailyTotals {
  return {
    township: m.township,
    date: m.date,
    asOf: m.asOf,
    dayOver: m.dayOver,
    checkedIn: m.checkedIn,
    expected: m.expected,
    onLeave: m.onLeave.length,
    reports: m.reportTotal,
    flagged: m.flagged.length,
    awaiting: m.awaiting.length,
  };
}

/**
 * When a pending request reached its current step: the decision of the step before it, or its creation for
 * the first step. That is how long the current approvers have kept the cadre waiting.
 */
export function waitingSince(r: LeaveRequest): string {
  const step = currentStep(r);
  const index = step ? r.steps.indexOf(step) : -1;
  return (index > 0 ? r.steps[index - 1]!.at : undefined) ?? r.createdAt;
}

/** The pending requests among `requests` whose current step waits on any of `approvers`. */
export function waitingOn(requests: readonly LeaveRequest[], approvers: readonly string[]): LeaveRequest[] {
  return requests.filter((r) => currentStep(r)?.approvers.some((a) => approvers.includes(a)));
}
