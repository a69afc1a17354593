/**
 * Texts of two scheduled nudges: the prompt to file a work report, and the second reminder of an unread
 * announcement with the report of it to the sender. Each push ends with one line saying why it was sent.
 */
import { dayLabel, momentLabel, weekdayName } from '../src/kit/date-label.js';
import type { ReportPrompt } from '../src/policy/policy.js';

const md = (date: string) => dayLabel(date);
const when = (iso: string) => momentLabel(iso);
const why = (reason: string) => `（为什么收到：${reason}）`;

export interface ReportPromptView {
  name: string;
  mode: Exclude<ReportPrompt, 'off'>;
  /** First day of the period (Monday of the week, or today). */
  from: string;
  today: string;
  /** `HH:MM` of the prompt when it fires once a day at one time. */
  time?: string;
  /** 0 Sunday … 6 Saturday: the weekday of a weekly prompt. */
  weekday?: number;
}

/** To a cadre who has filed no work report in the period. */
export function reportPrompt(v: ReportPromptView): string {
  const period = v.mode === 'weekly' ? `本周（${md(v.from)}起）` : `今天（${md(v.today)}）`;
  const at = v.time ? v.time : '';
  const schedule =
    v.mode === 'weekly' ? `${v.weekday === undefined ? '每周' : `每${weekdayName(v.weekday)}`}${at}` : `每天${at}`;
  return [
    `${v.name}同志，${period}您还没有提交工作汇报。走访、村民说事、为群众办的实事和遇到的困难，都可以发送「汇报 内容」记下来，例如「汇报 #走访 3户 了解冬季取暖情况」。`,
    why(
      `${schedule}提醒${v.mode === 'weekly' ? '本周' : '当天'}尚未汇报的同志；已汇报或请假的同志不会收到，周末和放假日不提醒。`,
    ),
  ].join('\n');
}

export interface RenudgeView {
  no: string;
  text: string;
  senderName: string;
  createdAt: string;
  hours: number;
}

function snippet(raw: string, max: number): string {
  const chars = [...raw.replace(/\s+/g, ' ')];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

/** The card's title and text for the unread recipients (the card carries the 已阅 button). */
export function renudgeCard(v: RenudgeView): { title: string; description: string } {
  return {
    title: `再次提醒：县委组织部通知 ${v.no}`,
    description: [
      `${v.senderName}于 ${when(v.createdAt)} 发出的通知您还没有确认：`,
      snippet(v.text, 200),
      `阅后请点「已阅」或回复「收到 ${v.no}」。`,
      why(`通知发出 ${v.hours} 小时后仍未确认的同志会再收到一次提醒，只提醒这一次。`),
    ].join('\n'),
  };
}

export interface RenudgeReportView extends RenudgeView {
  total: number;
  /** Names of those still unread, grouped by township (`null` = no longer on the roster). */
  unread: { township: string | null; names: string[] }[];
}

/** To the sender: who has not read it after the delay; they were reminded once more. */
export function renudgeReport(v: RenudgeReportView): string {
  const count = v.unread.reduce((n, g) => n + g.names.length, 0);
  const lines = [
    `通知 ${v.no}（${when(v.createdAt)} 发出）：${snippet(v.text, 30)}`,
    `发出 ${v.hours} 小时后已阅 ${v.total - count}/${v.total}，未阅 ${count} 人，已再次提醒：`,
    ...v.unread.map((g) => `【${g.township ?? '已不在名册'}】${g.names.join('、')}`),
  ];
  // Names while the message stays within WeCom's 2048-byte text limit; the counts always.
  const full = [
    ...lines,
    `发送「通知状态 ${v.no}」可随时查看回执。`,
    why('您发出的通知在规定时间后仍有人未阅时告知您，每条通知一次。'),
  ].join('\n');
  if (Buffer.byteLength(full, 'utf8') <= 2000) return full;
  return [
    lines[0],
    lines[1],
    `名单较长，请发送「通知状态 ${v.no}」查看。`,
    why('您发出的通知在规定时间后仍有人未阅时告知您，每条通知一次。'),
  ].join('\n');
}
