/** Sentences about back-fills (补登) of missed check-ins. */
import { dayLabel, fullDayLabel } from '../src/kit/date-label.js';
import type { BackfillRefusal } from '../src/attendance/backfill-check.js';
import type { CommandHelp } from '../src/kit/command-help.js';
import type { ApprovalText } from './approval-card.js';
import { why } from './leave.js';

export const help = {
  backfillConfirm: {
    summary: '确认补登申请（也可直接点卡片上的按钮）',
    usage: '确认补登 编号',
    examples: ['确认补登 B1001'],
  },
  backfillReject: { summary: '驳回补登申请', usage: '驳回补登 编号 原因', examples: ['驳回补登 B1001 当天在县城开会'] },
} satisfies Record<string, CommandHelp>;

export interface BackfillView {
  no: string;
  name: string;
  villageName: string;
  date: string;
  reason: string;
}

const md = (date: string) => dayLabel(date);
const ymd = (date: string) => fullDayLabel(date);

export const usageProblem = '请写明补登哪一天和原因，例如「补登 昨天 山里没信号」。';
export const noReason = '请写明补登原因，例如「补登 昨天 山里没信号」。';
export const futureDate = '不能补登今天以后的日子。';
export const singleDay = '补登一次只能补一天，请每天分别发送，例如「补登 昨天 山里没信号」。';
export const outsideTerm = (date: string, termStart: string, termEnd: string) =>
  `${md(date)}不在您的驻村任期（${ymd(termStart)}至${ymd(termEnd)}）内，不能补登。`;
export const onLeave = (date: string, leaveNo: string, type: string) =>
  `${md(date)}在您已批准的请假 ${leaveNo}（${type}）期间，不需要补登。如当天已提前返岗，请先发「销假 ${leaveNo} 最后一天休假的日期」，再补登。`;
export const outOfWindow = (hours: number) =>
  `只能补登 ${hours} 小时以内漏签的日子，这一天已超过期限。如有特殊情况，请联系乡镇（街道）负责同志。`;
export const alreadyPresent = (date: string) => `${md(date)}已经计为在村，不需要补登。`;
export const alreadyPending = (date: string, no: string) => `${md(date)}已有补登申请 ${no} 在等待确认。`;
export const noConfirmer = '您所在乡镇（街道）没有可以确认补登的领队或乡镇（街道）负责同志，请联系县委组织部完善名册。';

/** The sentence for a back-fill that cannot be asked for. */
export function refusal(r: BackfillRefusal): string {
  switch (r.code) {
    case 'backfill_no_date':
      return usageProblem;
    case 'backfill_range':
      return singleDay;
    case 'backfill_no_reason':
      return noReason;
    case 'backfill_future':
      return futureDate;
    case 'backfill_expired':
      return outOfWindow(r.hours);
    case 'backfill_outside_term':
      return outsideTerm(r.date, r.termStart, r.termEnd);
    case 'backfill_on_leave':
      return onLeave(r.date, r.leave, r.type);
    case 'backfill_present':
      return alreadyPresent(r.date);
    case 'backfill_pending':
      return alreadyPending(r.date, r.no);
    case 'backfill_no_confirmer':
      return noConfirmer;
  }
}

export const submitted = (v: BackfillView, who: string[]) =>
  `补登申请 ${v.no} 已提交：${md(v.date)}，原因「${v.reason}」。等待 ${who.join('、')} 确认。`;

/** What the card to the confirmers says (the cadre's team leaders and township supervisors get the same card). */
export const approvalText = (v: BackfillView): ApprovalText => ({
  title: `补登申请 ${v.no}`,
  description:
    `${v.name}（${v.villageName}）申请补登 ${md(v.date)} 的签到。也可回复「确认补登 ${v.no}」或「驳回补登 ${v.no} 原因」。\n` +
    why(`您是${v.name}所在乡镇（街道）的领队或负责同志，补登须由您确认`),
  fields: [
    { key: '日期', value: v.date },
    { key: '原因', value: v.reason },
  ],
  approveLabel: '确认',
});

export const unknownNo = (no: string) => `没有找到补登申请 ${no}。`;
export const notYours = (no: string) => `补登申请 ${no} 不在您的确认范围内。`;
export const alreadyDecided = (no: string, state: string) => `补登申请 ${no} 已${state}，无需再次处理。`;
export const confirmed = (v: BackfillView) => `已确认 ${v.name} ${md(v.date)} 的补登，当天计为在村。`;
export const rejected = (v: BackfillView) => `已驳回 ${v.name} ${md(v.date)} 的补登。`;
const forRequester = why('您是这条补登的申请人');
export const toRequesterConfirmed = (v: BackfillView, by: string) =>
  `您的补登申请 ${v.no}（${md(v.date)}）已由${by}确认，当天计为在村。\n${forRequester}`;
export const toRequesterRejected = (v: BackfillView, by: string, reason: string) =>
  `您的补登申请 ${v.no}（${md(v.date)}）被${by}驳回${reason ? `：${reason}` : ''}。\n${forRequester}`;
export const stateNames = { confirmed: '确认', rejected: '驳回' } as const;
export const buttonDone = { confirmed: '已确认', rejected: '已驳回' } as const;
