/**
 * Texts of the scheduled pushes: the morning reminder, a leave not reported back, a holiday calendar missing.
 * Every push ends with one line saying why the person got it (减负: every push says why).
 */
import { uncoveredYear } from './calendar.js';

/** `2026-11-18` → `11月18日`. */
function md(date: string): string {
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

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
}

/** To a cadre without a counting check-in yet today, with the way to check in. */
export function morningReminder(v: MorningReminderView): string {
  const how = v.link ? `到村后请打开签到页签到：${v.link}，或发送「签到」。` : '到村后请发送「签到」，或发送位置。';
  const when = v.time ? `每天${v.time}` : '每天上午';
  return [
    `${v.name}同志，您今天（${md(v.date)}）还没有签到。${how}`,
    why(`${when}提醒尚未签到的同志；已签到、请假或放假的同志不会收到。`),
  ].join('\n');
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
    `${v.name}同志，您的${v.type}（${v.no}，${md(v.start)}至${md(v.end)}）已于${md(v.end)}结束，还没有销假。返岗后请发送「销假 ${v.no}」；如需延长，请重新请假。`,
    why(`请假结束后仍未销假时提醒本人；满 ${v.escalateDays} 天仍未销假将同时告知乡镇（街道）负责同志。`),
  ].join('\n');
}

/** To the cadre again, when the township is told as well. */
export function overdueToCadreEscalated(v: OverdueLeaveView): string {
  return [
    `${v.name}同志，您的${v.type}（${v.no}）已结束 ${v.daysOver} 天，仍未销假，乡镇负责同志也已收到提醒。返岗后请发送「销假 ${v.no}」；如需延长，请重新请假。`,
    why(`请假结束满 ${v.escalateDays} 天仍未销假时提醒本人并告知乡镇（街道）负责同志，每张假条只提醒一次。`),
  ].join('\n');
}

/** To the township supervisors of the cadre. */
export function overdueToTownship(v: OverdueLeaveView & { township: string }): string {
  return [
    `${v.village}${v.name}的${v.type}（${v.no}，${md(v.start)}至${md(v.end)}）已结束 ${v.daysOver} 天，仍未销假，请了解情况。`,
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
