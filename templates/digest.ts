/**
 * Texts of the digests: the township's daily digest (supervisors: names; group: totals only), the weekly
 * digest of the organisation department, and the words of its chart. WeCom markdown subset only: bold,
 * `<font color="info|comment|warning">`, quotes. Every digest ends with one line saying why it was sent.
 */
import { dayLabel, dayWeekLabel, shortMonthLabel, spanLabel, weekdayName } from '../src/kit/date-label.js';
import type { ForecastStatus } from '../src/attendance/accounting.js';
import type { CheckinSource } from '../src/attendance/record.js';
import type { ChartRow } from '../src/charts/chart-row.js';
import type { DailyModel, DailyTotals, MonthLine } from '../src/digest/daily.js';
import type { NewCadre, TownshipWeek, WarningStage, WeekCounts, WeeklyModel } from '../src/digest/weekly.js';
import { overdueVisitsLines } from './visits.js';

const md = (date: string) => dayLabel(date);
const mon = (month: string) => shortMonthLabel(month);
const info = (s: string | number) => `<font color="info">${s}</font>`;
const warn = (s: string | number) => `<font color="warning">${s}</font>`;
const grey = (s: string | number) => `<font color="comment">${s}</font>`;
const pct = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);

const SOURCES: Record<CheckinSource, string> = {
  page: '签到页定位',
  auto: '自动上报位置',
  wecom: '企业微信打卡',
  message: '自报位置（地图上自选）',
  backfill: '补登（已确认）',
};

const STAGES: Record<WarningStage, string> = { rectify: '整改', warn: '警示' };

/** Digest words for the month's forecast status. */
export const DIGEST_STATUS: Record<ForecastStatus, string> = {
  'on-track': '进度正常',
  'at-risk': '有风险',
  'cannot-reach': '已无法完成',
  pending: '目标待定',
};

/** How long a request has waited: 不到 1 小时, 5 小时, 3 天. */
export function waited(minutes: number): string {
  if (minutes < 60) return '不到 1 小时';
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} 小时`;
  return `${Math.floor(minutes / (24 * 60))} 天`;
}

function km(m: number): string {
  return m >= 1000 ? `${(m / 1000).toFixed(1)} 公里` : `${Math.round(m)} 米`;
}

/** One cadre's month so far: `12/22 天`, with the forecast when it is not on track. */
export function monthText(l: MonthLine): string {
  if (l.target === null) return `${l.present} 天（${DIGEST_STATUS.pending}）`;
  const base = `${l.present}/${l.target} 天`;
  if (l.status === 'at-risk')
    return `${base} ${warn(`${DIGEST_STATUS['at-risk']}：还需 ${l.needed} 天，本月剩 ${l.remaining} 天`)}`;
  if (l.status === 'cannot-reach')
    return `${base} ${warn(`${DIGEST_STATUS['cannot-reach']}：还需 ${l.needed} 天，本月只剩 ${l.remaining} 天`)}`;
  return base;
}

/** The totals line shared by the supervisors' and the group's digest. */
function totalsLine(
  t: Pick<DailyTotals, 'dayOver' | 'asOf' | 'checkedIn' | 'expected' | 'onLeave' | 'reports'>,
): string {
  const head = t.dayOver ? '全天签到' : '今日签到';
  const asOf = t.dayOver ? '' : `（截至 ${t.asOf}）`;
  return `${head} ${info(t.checkedIn)}/${t.expected}${asOf}，请假 ${t.onLeave} 人，汇报 ${t.reports} 篇`;
}

export interface DailyTextOptions {
  /** `HH:MM` of the digest's daily time, when the policy gives a single one. */
  time?: string;
  /** `checkin.backfillHours`. */
  backfillHours: number;
}

const dailyWhen = (time?: string) => (time ? `每天${time}` : '每天');

/** Title of the supervisors' digest, and of its continuation messages (`part` from 2). */
export function dailyTitle(m: Pick<DailyModel, 'township' | 'date'>, part?: number): string {
  return `**${m.township.name}驻村干部日报 · ${dayWeekLabel(m.date)}${part ? `（续 ${part}）` : ''}**`;
}

/** The township supervisors' daily digest: every cadre by name. */
export function dailySupervisors(m: DailyModel, o: DailyTextOptions): string {
  const lines = [dailyTitle(m), totalsLine({ ...m, onLeave: m.onLeave.length, reports: m.reportTotal })];
  const unconfirmed = m.checked.filter((c) => c.selfReported && !c.confirmed).length;
  if (unconfirmed) lines.push(`其中 ${unconfirmed} 人仅有${warn('自报位置')}，未经定位核实`);
  if (m.awaiting.length)
    lines.push(`另有 ${warn(m.awaiting.length)} 人的自报位置待确认：${m.awaiting.map((a) => a.name).join('、')}`);
  if (m.attention.length) lines.push(`本月需关注 ${warn(m.attention.length)} 人：${m.attention.join('、')}`);

  if (m.checked.length) {
    lines.push('', `**已签到 ${m.checked.length} 人**`);
    for (const c of m.checked) {
      const how = c.confirmed
        ? `${SOURCES[c.source]}${grey('·已确认')}`
        : c.selfReported
          ? warn(SOURCES[c.source])
          : SOURCES[c.source];
      const notes = c.notes.length ? grey(`（${c.notes.join('、')}）`) : '';
      lines.push(`${c.name}（${c.village}）${c.at} ${how}${notes}`);
    }
  }
  if (m.flagged.length) {
    lines.push('', `**${warn('位置存疑')} ${m.flagged.length} 条**${grey('（与本人上一次位置相比移动过快，请核实）')}`);
    for (const f of m.flagged)
      lines.push(
        `${f.name}（${f.village}）${f.at} ${SOURCES[f.source]}，自 ${f.since} 的位置起需时速约 ${f.speedKmh} 公里`,
      );
  }
  if (m.awaiting.length) {
    lines.push(
      '',
      `**自报位置待确认 ${m.awaiting.length} 人**${grey('（确认前不计入在村天数，领队或乡镇（街道）每晚收到确认卡片）')}`,
    );
    for (const a of m.awaiting) {
      const far = a.distanceM !== undefined ? `，距村部 ${km(a.distanceM)}` : '';
      lines.push(`${a.name}（${a.village}）${a.at} ${warn('自报位置')}${far}`);
    }
  }
  if (m.missing.length) {
    const head = m.dayOver ? `**未签到 ${m.missing.length} 人**` : `**暂无数据 ${m.missing.length} 人**`;
    const note = m.dayOver ? '' : grey(`（当天尚未结束，之后签到或 ${o.backfillHours} 小时内补登都算）`);
    lines.push('', `${head}${note}`);
    for (const c of m.missing) {
      const outside =
        c.outside === undefined
          ? c.selfNotCounted
            ? grey('有自报位置，未计入')
            : ''
          : grey(c.outside === null ? '有签到，但不在村范围内' : `有签到，但在村外约 ${km(c.outside)}`);
      lines.push(`${c.name}（${c.village}）${outside}`);
    }
  }
  if (m.onLeave.length) {
    lines.push('', `**请假 ${m.onLeave.length} 人**`);
    for (const l of m.onLeave) lines.push(`${l.name}（${l.village}）${l.type} ${spanLabel(l.start, l.end)}（${l.no}）`);
  }
  if (m.pending.length) {
    lines.push('', `**待审批请假 ${m.pending.length} 件**`);
    for (const p of m.pending) {
      lines.push(
        `${p.no} ${p.name} ${p.type} ${spanLabel(p.start, p.end)}（${p.days} 天），已等 ${warn(waited(p.waitedMinutes))}`,
      );
    }
    lines.push(grey('发送「同意 编号」或「驳回 编号 原因」即可审批'));
  }
  lines.push('', `**今日汇报 ${m.reportTotal} 篇**`);
  if (m.reports.length) lines.push(m.reports.map((r) => `${r.name} ${r.count} 篇`).join('、'));
  lines.push('', `**本月在村（已在村/月目标）**`);
  for (const c of m.month) lines.push(`${c.name}（${c.village}）${monthText(c.line)}`);
  lines.push('', `（您是${m.township.name}的负责同志，${dailyWhen(o.time)}收到本乡镇（街道）驻村干部情况）`);
  return lines.join('\n');
}

/** The township group's daily digest: totals only, no names. */
export function dailyGroup(t: DailyTotals, o: DailyTextOptions): string {
  return [
    `**${t.township.name}驻村干部${t.dayOver ? '' : '今日'}情况 · ${dayWeekLabel(t.date)}**`,
    totalsLine(t),
    ...(t.flagged ? [`位置存疑的签到 ${warn(t.flagged)} 条，已请乡镇（街道）负责同志核实`] : []),
    ...(t.awaiting ? [`自报位置待确认 ${warn(t.awaiting)} 人，确认后计入`] : []),
    '> 个人情况只发给乡镇（街道）负责同志，群里只显示合计。',
    `（本群是${t.township.name}驻村工作群，${dailyWhen(o.time)}收到本乡镇（街道）合计情况）`,
  ].join('\n');
}

export interface WeeklyTextOptions {
  /** `HH:MM` and weekday (0 Sunday … 6 Saturday) of the weekly schedule, when the policy gives single ones. */
  time?: string;
  weekday?: number;
  /** The chart follows as an image message. */
  withChart: boolean;
}

/** Title of the weekly digest, and of its continuation messages (`part` from 2). */
export function weeklyTitle(m: Pick<WeeklyModel, 'week'>, part?: number): string {
  return `**驻村干部周报 · ${spanLabel(m.week.start, m.week.end)}${part ? `（续 ${part}）` : ''}**`;
}

function rateText(rate: number | null): string {
  if (rate === null) return '—';
  return rate < 0.8 ? warn(pct(rate)) : info(pct(rate));
}

/** Two lines of counts: the week's rate, then the month's forecast, leave and reports. */
function countsLines(c: WeekCounts): string[] {
  const risk = `本月有风险 ${c.atRisk ? warn(c.atRisk) : 0} 人，低于目标 ${c.belowTarget ? warn(c.belowTarget) : 0} 人`;
  const pending = c.pendingTarget ? `，目标待定 ${c.pendingTarget} 人` : '';
  return [
    `出勤率 ${rateText(c.rate)}（在村 ${c.presentDays} 人天/应在村 ${c.dueDays} 人天）`,
    `${risk}${pending}；请假 ${c.onLeave} 人 ${c.leaveDays} 天；汇报 ${c.reports} 篇`,
  ];
}

function sixOnesText(n: NewCadre): string {
  const p = n.sixOnes;
  const open = p.items.filter((i) => !i.done).map((i) => i.tag);
  const when = p.phase === 'during' ? `第一个月还剩 ${p.daysLeft} 天` : `第一个月已于${md(p.end)}结束`;
  const rest = open.length ? `，未完成：${open.join('、')}` : '，已全部完成';
  const visit = p.items.find((i) => i.item === 'visit');
  const households =
    visit && !visit.done && p.households.target ? `（走访 ${p.households.visited}/${p.households.target} 户）` : '';
  return `${n.name}（${n.village}）${p.doneCount}/6，${when}${rest}${households}`;
}

function townshipBlock(t: TownshipWeek): string[] {
  const lines = [`**${t.name}** ${t.cadres} 人`, ...countsLines(t)];
  if (t.newCadres.length) lines.push(`六个一：${t.newCadres.map(sixOnesText).join('；')}`);
  if (t.warnings.length) {
    const items = t.warnings.map((w) => {
      const answered = w.stage === 'rectify' ? (w.answered ? '，已说明' : '，未说明') : '';
      return `${warn(STAGES[w.stage])} ${w.name}（${w.village}，${mon(w.month)}${answered}）`;
    });
    lines.push(`预警：${items.join('；')}`);
  }
  return lines;
}

/** The organisation department's weekly digest. */
export function weeklyDigest(m: WeeklyModel, o: WeeklyTextOptions): string {
  const lines = [weeklyTitle(m), `**全县** ${m.total.cadres} 人`, ...countsLines(m.total)];
  lines.push(
    `> 出勤率 = 本周在村天数 ÷ 应在村天数（任期内、不含法定假日和病婚丧产等假；公差、培训、会议计为在村）；有风险、低于目标按${mon(m.month)}截至今天的进度计。`,
  );
  if (m.uncoveredYear !== undefined) lines.push(warn(`${m.uncoveredYear} 年放假安排尚未导入，月目标待定。`));
  const newCount = m.townships.reduce((n, t) => n + t.newCadres.length, 0);
  const warnCount = m.townships.reduce((n, t) => n + t.warnings.length, 0);
  lines.push(`新到岗干部 ${newCount} 人（六个一），未结预警 ${warnCount} 条`);
  for (const t of m.townships) {
    if (t.cadres === 0) continue;
    lines.push('', ...townshipBlock(t));
  }
  if (m.visitsOverdue) lines.push('', ...overdueVisitsLines(m.visitsOverdue, m.week.end));
  const when = o.time ? `${o.weekday !== undefined ? `每${weekdayName(o.weekday)}` : '每周'}${o.time}` : '每周';
  const chart = o.withChart ? '，各乡镇（街道）出勤率图见下一条' : '';
  lines.push('', `（您是县委组织部负责驻村工作的同志，${when}收到各乡镇（街道）驻村干部周报${chart}）`);
  return lines.join('\n');
}

/** Words of the weekly chart. */
export const chartTexts = {
  title: (week: { start: string; end: string }) => `各乡镇（街道）驻村干部出勤率（${spanLabel(week.start, week.end)}）`,
  subtitle: '条形为本周出勤率；括号内为本月有风险、低于目标的人数',
  rowLabel: (r: ChartRow) => `${pct(r.rate)}（有风险 ${r.atRisk} · 低于目标 ${r.belowTarget}）`,
};
