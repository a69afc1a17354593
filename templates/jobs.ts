/**
 * Texts of the scheduled pushes: the morning reminder, a leave not reported back, a holiday calendar missing;
 * and the burden figures `zhucun jobs burden` prints.
 * Every push ends with one line saying why the person got it (减负: every push says why).
 */
import { dayLabel, dayWeekLabel, monthLabel, spanLabel } from '../src/kit/date-label.js';
import { uncoveredYear } from './calendar.js';

const md = (date: string) => dayLabel(date);

/** The last line of every push. */
function why(reason: string): string {
  return `（为什么收到：${reason}）`;
}

export interface MorningReminderView {
  name: string;
  date: string;
  /** `HH:MM` of the policy's reminder time, when it is a single daily time. */
  time?: string;
  link?: string;
  /** A weekend or an official day off: only a cadre whose month is at risk gets the reminder. */
  restDay?: boolean;
}

/** To a cadre without a counting check-in yet today, with the way to check in. */
export function morningReminder(v: MorningReminderView): string {
  const how = v.link ? `到村后请打开签到页签到：${v.link}，或发送「签到」。` : '到村后请发送「签到」，或发送位置。';
  const when = v.time ? `每天${v.time}` : '每天上午';
  const reason = v.restDay
    ? '今天是休息日，周末和放假日只提醒本月在村天数偏紧的同志，您本月完成月目标的时间比较紧。'
    : `${when}提醒尚未签到的同志；已签到或请假的同志不会收到，周末和放假日只提醒本月在村天数偏紧的同志。`;
  return [`${v.name}同志，您今天（${md(v.date)}）还没有签到。${how}`, why(reason)].join('\n');
}

export interface OverdueLeaveView {
  name: string;
  village: string;
  no: string;
  type: string;
  start: string;
  end: string;
  /** Whole days since the planned last day of leave. */
  daysOver: number;
  /** `policy.leave.overdueEscalateDays`: from this many days the township is told too. */
  escalateDays: number;
}

/** To the cadre, the morning after the leave ended. */
export function overdueToCadre(v: OverdueLeaveView): string {
  return [
    `${v.name}同志，您的${v.type}（${v.no}，${spanLabel(v.start, v.end)}）已于${md(v.end)}结束，还没有销假。返岗后请发送「销假 ${v.no}」；如需延长，请重新请假。`,
    why(`请假结束后仍未销假时提醒本人；满 ${v.escalateDays} 天仍未销假将同时告知乡镇（街道）负责同志。`),
  ].join('\n');
}

/** To the cadre again, when the township is told as well. */
export function overdueToCadreEscalated(v: OverdueLeaveView): string {
  return [
    `${v.name}同志，您的${v.type}（${v.no}）已结束 ${v.daysOver} 天，仍未销假，乡镇（街道）负责同志也已收到提醒。返岗后请发送「销假 ${v.no}」；如需延长，请重新请假。`,
    why(`请假结束满 ${v.escalateDays} 天仍未销假时提醒本人并告知乡镇（街道）负责同志，每张假条只提醒一次。`),
  ].join('\n');
}

/** To the township supervisors of the cadre. */
export function overdueToTownship(v: OverdueLeaveView & { township: string }): string {
  return [
    `${v.village}${v.name}的${v.type}（${v.no}，${spanLabel(v.start, v.end)}）已结束 ${v.daysOver} 天，仍未销假，请了解情况。`,
    why(
      `您是${v.township}负责同志；干部请假结束满 ${v.escalateDays} 天仍未销假时告知乡镇（街道），每张假条只告知一次。`,
    ),
  ].join('\n');
}

/** To the organisation department while next year's holiday notice is not loaded. */
export function holidayWatch(year: number, opts: { fromMonth: number; current: boolean }): string {
  const reason = opts.current
    ? '当年放假安排缺失时，每周一提醒县委组织部，直到导入为止。'
    : `每年 ${opts.fromMonth} 月起每周一提醒县委组织部，直到次年放假安排导入为止。`;
  return [`【${year} 年放假安排尚未导入】`, uncoveredYear(year), why(reason)].join('\n');
}

/** The kinds of day of the burden figures. */
export type BurdenDayKind = 'workday' | 'makeup' | 'weekend' | 'day-off';

/** What `zhucun jobs burden` prints: the month's burden figures, people by name. */
export interface BurdenView {
  month: string;
  days: number;
  dailyBudget: number;
  quietHours: { start: string; end: string };
  pushes: { total: number; byPurpose: Record<string, number> };
  perCadreWeekMedian: number;
  maxPerCadreDay: number;
  overBudget: number;
  inQuietHours: number;
  dropped: { quietHours: number; budget: number };
  daily: { date: string; kind: BurdenDayKind; reminders: number; people: number }[];
  restDay: { name: string; reminders: number }[];
  onLeave: { name: string; date: string; key: string }[];
}

const PURPOSES: Record<string, string> = {
  reminder: '提醒',
  warning: '预警',
  announcement: '通知',
  digest: '汇总',
  approval: '审批',
  difficulty: '困难上报',
  problem: '民情问题',
};
const KINDS: Record<BurdenDayKind, string> = {
  workday: '工作日',
  makeup: '调休上班',
  weekend: '周末',
  'day-off': '放假',
};

/** The burden figures (减负) of a month for the county's IT officer, one line a figure, then day by day. */
export function burdenReport(v: BurdenView): string {
  const purposes = Object.entries(v.pushes.byPurpose)
    .sort(([p, a], [q, b]) => b - a || p.localeCompare(q))
    .map(([p, n]) => `${PURPOSES[p] ?? p} ${n}`)
    .join('，');
  const restDays = v.daily.filter((d) => d.kind === 'weekend' || d.kind === 'day-off');
  const restReminders = restDays.reduce((n, d) => n + d.reminders, 0);
  const lines = [
    `${monthLabel(v.month)}推送情况（统计 ${v.days} 天；免打扰 ${v.quietHours.start}至${v.quietHours.end}；每人每天最多 ${v.dailyBudget} 条提醒）`,
    `推送：${v.pushes.total} 条${purposes ? `（${purposes}）` : ''}`,
    `每名干部每周推送（中位数）：${v.perCadreWeekMedian} 条`,
    `一名干部一天最多收到提醒：${v.maxPerCadreDay} 条`,
    `超过每日上限的人次：${v.overBudget}`,
    `免打扰时段内的推送：${v.inQuietHours} 条`,
    `未发出的提醒：${v.dropped.quietHours + v.dropped.budget} 条（免打扰 ${v.dropped.quietHours}，每日上限 ${v.dropped.budget}）`,
    `周末和放假日的提醒：${restReminders} 条${
      v.restDay.length
        ? `，只发给本月在村天数偏紧的同志：${v.restDay.map((p) => `${p.name} ${p.reminders} 条`).join('，')}`
        : ''
    }`,
    `请假当天收到的提醒：${v.onLeave.length} 条${
      v.onLeave.length ? `：${v.onLeave.map((p) => `${p.name}（${dayLabel(p.date)}，${p.key}）`).join('，')}` : ''
    }`,
  ];
  if (v.daily.length) {
    lines.push('', '逐日提醒（日期 类别：提醒条数／人数）：');
    for (const d of v.daily) lines.push(`${dayWeekLabel(d.date)} ${KINDS[d.kind]}：${d.reminders} 条／${d.people} 人`);
  }
  return `${lines.join('\n')}\n`;
}
