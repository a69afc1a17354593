/**
 * Texts of the warning ladder (提醒 → 整改 → 警示) and the reply to a rectification notice. The bot informs and
 * people decide: no text threatens recall or any sanction; each says who decides and, in its last line, why the
 * person got it (减负: every push says why).
 */
import { dayLabel, fullDayLabel, shortMonthLabel } from '../src/kit/date-label.js';
import type { CommandHelp } from '../src/kit/command-help.js';

const ymd = (date: string) => fullDayLabel(date);
/** `2026-10` → `10月` (the year is clear from the context of a notice sent the month after). */
const mon = (month: string) => shortMonthLabel(month);
const why = (reason: string) => `（为什么收到：${reason}）`;

export interface RemindView {
  name: string;
  month: string;
  present: number;
  target: number;
  needed: number;
  /** Days still open this month. */
  remaining: number;
  reachable: boolean;
  fromDay: number;
  /** `warnings.remind.neededShare`, 0.8 = 80%. */
  share: number;
  backfillHours: number;
  /** The 提醒单's number, when the ladder issues numbered notices. */
  no?: string;
}

/** 提醒, to the cadre alone. */
export function remindText(v: RemindView): string {
  const state = v.reachable
    ? `还需 ${v.needed} 天，本月还剩 ${v.remaining} 天可在村，时间比较紧。`
    : `还需 ${v.needed} 天，本月只剩 ${v.remaining} 天，按剩余天数已达不到月目标。`;
  return [
    ...(v.no ? [`【提醒单 ${v.no}】`] : []),
    `${v.name}同志，您${mon(v.month)}已在村 ${v.present} 天，月目标 ${v.target} 天，${state}`,
    `如有公差、培训、会议或病假，请发送「请假」登记；漏签的日子可在 ${v.backfillHours} 小时内发送「补登」。`,
    why(
      `每月${v.fromDay}日起，完成月目标所需天数超过剩余天数的 ${Math.round(v.share * 100)}% 时提醒本人，每月最多一次；这条提醒只发给您本人。`,
    ),
  ].join('\n');
}

export interface RectifyView {
  name: string;
  village: string;
  township: string;
  sendingUnit: string;
  month: string;
  present: number;
  target: number;
  /** `warnings.rectify.answerDays`: how long the cadre may answer. */
  answerDays: number;
  /** The 整改单's number and answer deadline, when the ladder issues numbered notices. */
  no?: string;
  deadline?: string;
}

/** 整改, to the cadre: the month's figures and how to answer. */
export function rectifyToCadre(v: RectifyView): string {
  if (v.no && v.deadline)
    return [
      `【整改单 ${v.no}】`,
      `${v.name}同志，您${mon(v.month)}在村 ${v.present} 天，低于当月目标 ${v.target} 天（差 ${v.target - v.present} 天）。`,
      `请于${dayLabel(v.deadline)}前回复「整改说明 ${v.no} 原因和下一步打算」，简要说明情况，${v.township}负责同志会收到您的说明并审核销号。`,
      why('月度在村天数低于目标时，次月初向本人和乡镇（街道）负责同志发整改通知，每月一次。'),
    ].join('\n');
  return [
    `${v.name}同志，您${mon(v.month)}在村 ${v.present} 天，低于当月目标 ${v.target} 天（差 ${v.target - v.present} 天）。`,
    `请在 ${v.answerDays} 天内回复「整改说明 原因和下一步打算」，简要说明情况，${v.township}负责同志会收到您的说明。`,
    why('月度在村天数低于目标时，次月初向本人和乡镇（街道）负责同志发整改通知，每月一次。'),
  ].join('\n');
}

/** 整改, to the township supervisors. */
export function rectifyToTownship(v: RectifyView): string {
  return [
    ...(v.no ? [`【整改单 ${v.no}】`] : []),
    `【整改通知】${v.village}${v.name}（${v.sendingUnit}）${mon(v.month)}在村 ${v.present} 天，低于当月目标 ${v.target} 天（差 ${v.target - v.present} 天）。`,
    v.no
      ? `已请本人说明原因和下一步打算，收到后转给您。审核后发送「销号 ${v.no}」或「升级 ${v.no} 原因」；如何处理，请乡镇（街道）党委研究决定。`
      : '已请本人说明原因和下一步打算，收到后转给您。如何处理，请乡镇（街道）党委研究决定。',
    why(`您是${v.township}负责同志；干部月度在村天数低于目标时，次月初告知乡镇（街道），每人每月一次。`),
  ].join('\n');
}

export interface WarnView {
  name: string;
  village: string;
  township: string;
  sendingUnit: string;
  /** The run of closed months below target, oldest first. */
  consecutive?: { month: string; present: number; target: number }[];
  /** The annual period whose target can no longer be reached. */
  annual?: { start: string; end: string; target: number; present: number; needed: number; remaining: number };
  consecutiveMonths: number;
  /** Who reads it: the organisation department or the cadre's sending unit. */
  reader: 'org' | 'unit';
  /** The 警示单's number, when the ladder issues numbered notices. */
  no?: string;
}

/** The facts behind a 警示: the months below target in a row, and the year that can no longer be reached. */
function warnFacts(v: Pick<WarnView, 'consecutive' | 'annual'>): string[] {
  const lines: string[] = [];
  if (v.consecutive) {
    const months = v.consecutive.map((m) => `${mon(m.month)} ${m.present}/${m.target} 天`).join('，');
    lines.push(`· 连续 ${v.consecutive.length} 个月在村天数低于月目标：${months}。`);
  }
  if (v.annual) {
    const a = v.annual;
    lines.push(
      `· 年度（${ymd(a.start)}至${ymd(a.end)}）目标 ${a.target} 天，已在村 ${a.present} 天，还需 ${a.needed} 天，剩余可在村 ${a.remaining} 天，已无法达到。`,
    );
  }
  return lines;
}

/** 警示, to the organisation department and the sending unit's leaders. */
export function warnText(v: WarnView): string {
  const lines = [
    ...(v.no ? [`【警示单 ${v.no}】`] : []),
    `【驻村考勤警示】${v.township}${v.village} ${v.name}（${v.sendingUnit}派驻）：`,
  ];
  lines.push(...warnFacts(v));
  lines.push('以上情况供了解；是否约谈、如何处理，由组织部和派出单位研究决定。');
  if (v.no && v.reader === 'org') lines.push(`本人回复整改说明后转给您，审核后发送「销号 ${v.no}」。`);
  const reader = v.reader === 'org' ? '县委组织部负责同志' : `${v.sendingUnit}负责同志`;
  lines.push(
    why(
      `您是${reader}；干部连续 ${v.consecutiveMonths} 个月低于月目标，或年度目标已无法达到时告知组织部和派出单位，每人每月最多一次。`,
    ),
  );
  return lines.join('\n');
}

/** 警示单, to the cadre it is about: the facts, the deadline and how to answer. */
export function warnToCadre(v: Omit<WarnView, 'reader'> & { no: string; deadline?: string }): string {
  const lines = [`【警示单 ${v.no}】`, `${v.name}同志：`];
  lines.push(...warnFacts(v));
  lines.push(
    `请于${dayLabel(v.deadline ?? '')}前回复「整改说明 ${v.no} 原因和整改措施」，由县委组织部审核销号。`,
    why('干部连续低于月目标，或年度目标已无法达到时开具警示单，告知本人、组织部和派出单位，每人每月最多一次。'),
  );
  return lines.join('\n');
}

export const rectifyHelp: CommandHelp = {
  summary: '收到整改通知后，说明原因和下一步打算（转给乡镇（街道）负责同志）',
  usage: '整改说明 内容',
  examples: ['整改说明 10月下旬参加县里集中培训未及时登记，11月起按时在村并补办请假手续'],
};

export interface RectifyReplyView {
  name: string;
  village: string;
  month: string;
  text: string;
}

/** The cadre's explanation, forwarded to the township supervisors. */
export function rectifyForward(v: RectifyReplyView & { township: string }): string {
  return [
    `【整改说明】${v.village}${v.name}对${mon(v.month)}在村天数不足的说明：`,
    v.text,
    why(`您是${v.township}负责同志，此前已收到该同志${mon(v.month)}的整改通知。`),
  ].join('\n');
}

export const rectifyThanks = (month: string, township: string) =>
  `已收到您对${mon(month)}情况的说明，已转给${township}负责同志。`;
export const rectifyAgain = (month: string) => `您对${mon(month)}情况的说明已更新并重新转给乡镇（街道）负责同志。`;
/** No 整改 notice within the answer window (`warnings.rectify.answerDays`). */
export const rectifyNone = (answerDays: number) =>
  `您目前没有需要说明的整改通知（整改通知发出后 ${answerDays} 天内可以回复「整改说明」）。`;
export const rectifyEmpty = `请写上说明内容。\n用法：${rectifyHelp.usage}\n例如：${rectifyHelp.examples[0]}`;
