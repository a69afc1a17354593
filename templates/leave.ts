/** What people read about leave: the request, the approval card, decisions, withdrawal, 销假 and the list. */
import type { CommandHelp } from '../src/kit/command-help.js';
import { spanLabel } from '../src/kit/date-label.js';
import type { Role } from '../src/kit/roles.js';
import type { LeaveJudgement } from '../src/leave/workflow.js';
import type { ApprovalText } from './approval-card.js';
import { ROLE_NAMES } from './common.js';
import { combinedSpan, countedDays, monthSoFar, skippedSteps, takenOver } from './leave-judged.js';
import { endBeforeStart, shortDate } from './leave-parse.js';

export const help = {
  leave: {
    summary: '请假（按天数由乡镇（街道）、派出单位、组织部逐级审批）',
    usage: '请假 类型 日期 事由',
    examples: ['请假 事假 11月25日至27日 家中有事', '明天请一天病假 感冒发烧', '下周一到周三 公差 去市里开会'],
  },
  leaveApprove: {
    summary: '同意请假申请（也可直接点审批卡片上的按钮）',
    usage: '同意 编号 [意见]',
    examples: ['同意 Q1001', '同意 Q1001 注意安全'],
  },
  leaveReject: { summary: '驳回请假申请', usage: '驳回 编号 原因', examples: ['驳回 Q1001 近期有检查，请改期'] },
  leaveWithdraw: { summary: '撤回还在审批中的请假', usage: '撤回 编号', examples: ['撤回 Q1001'] },
  leaveReturn: {
    summary: '返岗后销假（可写最后一天休假的日期，不写则今天起返岗）',
    usage: '销假 [最后一天休假的日期]',
    examples: ['销假', '销假 11月26日'],
  },
  myLeave: { summary: '查看我的请假和审批进度', usage: '我的请假', examples: ['我的请假'] },
} satisfies Record<string, CommandHelp>;

/** One request as people see it. */
export interface LeaveView {
  no: string;
  name: string;
  villageName: string;
  /** The requester's township, for the why-line of pushes to its team leaders ('' when unknown). */
  townshipName: string;
  type: string;
  start: string;
  end: string;
  days: number;
  /** Half days: begins at noon of `start` (下午 only), ends at noon of `end` (上午 only). */
  halfStart?: true;
  halfEnd?: true;
  reason?: string;
  /** How it was judged: the counting rule, combined span, the month's days (requests made since). */
  judged?: LeaveJudgement;
}

/** Who a step waits on: the role and the names. */
export interface Waiting {
  role: Role;
  names: string[];
}

export const STATUS_NAMES = { pending: '审批中', approved: '已批准', rejected: '已驳回', withdrawn: '已撤回' } as const;
export const BUTTON_DONE = { approved: '已同意', rejected: '已驳回', withdrawn: '已撤回' } as const;
export const returnedName = '已销假';

/** `11月25日`, `11月25日至27日`, `11月30日至12月2日`. */
export function dateRange(start: string, end: string): string {
  return spanLabel(start, end);
}

/** `12月7日上午`, `12月7日下午至9日`, `12月7日至9日上午`: the span with its half days. */
export function leaveDates(v: Pick<LeaveView, 'start' | 'end' | 'halfStart' | 'halfEnd'>): string {
  if (!v.halfStart && !v.halfEnd) return dateRange(v.start, v.end);
  if (v.start === v.end) return `${dateRange(v.start, v.end)}${v.halfStart ? '下午' : '上午'}`;
  const [from, to] = dateRange(v.start, v.end).split('至');
  return `${from}${v.halfStart ? '下午' : ''}至${to}${v.halfEnd ? '上午' : ''}`;
}

/** Calendar days less the half days: 0.5 for 明天上午. */
const length = (v: LeaveView) => v.days - (v.halfStart ? 0.5 : 0) - (v.halfEnd ? 0.5 : 0);

const summary = (v: LeaveView) => `${v.type} ${leaveDates(v)}，${length(v)}天`;
const who = (w: Waiting) => `${ROLE_NAMES[w.role]}${w.names.join('、')}`;
const roles = (list: Role[]) => list.map((r) => ROLE_NAMES[r]).join('、');

/**
 * The last line of every push: why this person received it (docs/rules.md, 减轻负担: every push says why
 * it was sent). Back-fill messages use it too.
 */
export const why = (reason: string) => `（为什么收到：${reason}）`;

/** What the recipient is to the requester, for a why-line: `李晓燕所在乡镇（街道）的负责同志`, `新田乡领队`. */
function relation(v: LeaveView, role: Role): string {
  switch (role) {
    case 'township':
      return `${v.name}所在乡镇（街道）的负责同志`;
    case 'sending-unit':
      return `${v.name}派出单位的领导`;
    case 'org':
      return '县委组织部的负责同志';
    case 'team-leader':
      return v.townshipName ? `${v.townshipName}领队` : `${v.name}所在乡镇（街道）的领队`;
    case 'cadre':
      return ROLE_NAMES.cadre;
  }
}

const forRequester = why('您是这条请假的申请人');

// ---- the request -------------------------------------------------------------------------------------------
/** The steps of a new request: who decides first, the roles after, and the levels taken over on the way. */
export interface SubmittedSteps {
  first: Waiting;
  later: Role[];
  /** `takenOver` notes of the steps, in order ('' for none). */
  notes: string[];
}

export function submitted(v: LeaveView, steps: SubmittedSteps): string {
  const reason = v.reason ? `，事由：${v.reason}` : '';
  const then = steps.later.length ? `，之后还需${roles(steps.later)}审批` : '';
  const combined = combinedSpan(v.judged);
  const judged = combined ? `\n与相连的请假合并审批：${combined}。` : '';
  return `请假申请 ${v.no} 已提交：${summary(v)}${reason}。${judged}\n现等待${who(steps.first)}审批${then}。${steps.notes.join('')}\n如需撤回，请发「撤回 ${v.no}」。`;
}

export function tooLong(type: string, days: number, maxDays: number, joinedWith: readonly string[] = []): string {
  if (joinedWith.length)
    return `${type}单次最长 ${maxDays} 天。这次请假与相连的${type} ${joinedWith.join('、')} 合并计算，共 ${days} 天，超过了上限。请缩短日期后重新发送；确需更长时间，请联系县委组织部。`;
  return `${type}单次最长 ${maxDays} 天，您申请了 ${days} 天。请缩短日期后重新发送；确需更长时间，请联系县委组织部。`;
}

export function tooFarPast(start: string, earliest: string, maxDaysInPast: number): string {
  return `开始日期${shortDate(start)}太早：请假最多只能从 ${maxDaysInPast} 天前（${shortDate(earliest)}）开始补请。如有特殊情况，请联系乡镇（街道）负责同志。`;
}

/** `rest`: the days asked beyond the other leave, on one side of it (a leave asked again to extend it). */
export function overlap(v: LeaveView, status: string, rest?: { start: string; end: string }): string {
  const extend = rest ? `如需延长，请只申请新增的日子（${spanLabel(rest.start, rest.end)}），将与原请假合并审批；` : '';
  return `这段日期与您的请假 ${v.no}（${summary(v)}，${status}）重叠，请核对日期。${extend}如需改期，可先撤回原申请。`;
}

export { endBeforeStart };
export { noCountableDays, RULE_NAMES, takenOver } from './leave-judged.js';

export function noApprover(orgNames: string[]): string {
  const contact = orgNames.length ? `县委组织部（${orgNames.join('、')}）` : '县委组织部';
  return `名册中没有可以审批您请假的负责同志（县委组织部也未设审批人），暂时无法提交。请直接联系${contact}请假，并请其完善名册。`;
}

// ---- the approval card ---------------------------------------------------------------------------------------
export interface CardStep {
  /** 0-based index of the step the card is for. */
  index: number;
  /** How many steps the request has. */
  count: number;
  /** The role deciding this step (says why the approver receives the card). */
  role: Role;
  /** Who approved the earlier steps. */
  approvedBy?: string[];
  /** Levels with nobody on the roster whose step this one took over. */
  covers?: readonly Role[];
  /** Old requests only: roles of the chain that were skipped. */
  skipped?: readonly Role[];
}

/** What the approval card of one step says (templates/approval-card.ts gives it its buttons). */
export function approvalText(v: LeaveView, step: CardStep): ApprovalText {
  const approvedBy = step.approvedBy ?? [];
  const earlier = approvedBy.length ? `；${approvedBy.join('、')}已同意` : '';
  const reason = why(`您是${relation(v, step.role)}，按本县请假审批规定由您审批`);
  return {
    title: `请假审批 ${v.no}`,
    description:
      `${v.name}申请${v.type}，请审批（第${step.index + 1}步，共${step.count}步${earlier}）。也可回复「同意 ${v.no}」或「驳回 ${v.no} 原因」。` +
      `${takenOver(step.covers, step.role)}${skippedSteps(step.skipped)}${v.judged ? `\n${monthSoFar(v.judged)}。` : ''}\n${reason}`,
    fields: [
      { key: '申请人', value: `${v.name}（${v.villageName}）` },
      { key: '类型', value: v.type },
      { key: '日期', value: leaveDates(v) },
      { key: '天数', value: v.judged ? countedDays(v.judged) : `${length(v)}天` },
      // WeCom shows at most 6 rows: the month's days go in the description.
      ...(v.judged?.combined ? [{ key: '合并审批', value: combinedSpan(v.judged) }] : []),
      { key: '事由', value: v.reason ?? '未填写' },
    ],
    approveLabel: '同意',
  };
}

// ---- decisions -----------------------------------------------------------------------------------------------
export function approvedNext(v: LeaveView, next: Waiting): string {
  return `已同意${v.name}的请假 ${v.no}（${summary(v)}），已转${who(next)}审批。`;
}
export function approvedFinal(v: LeaveView): string {
  return `已同意${v.name}的请假 ${v.no}（${summary(v)}），审批完成，已通知本人。`;
}
export function rejected(v: LeaveView, reason?: string): string {
  return `已驳回${v.name}的请假 ${v.no}（${summary(v)}）${reason ? `，理由：${reason}` : ''}。已通知本人。`;
}

export function toRequesterMovedOn(v: LeaveView, by: string, next: Waiting): string {
  return `您的请假 ${v.no}（${summary(v)}）已由${by}同意，现转${who(next)}审批。\n${forRequester}`;
}
export function toRequesterApproved(v: LeaveView, by: string, comment?: string): string {
  const note = comment ? `（意见：${comment}）` : '';
  return `您的请假 ${v.no}（${summary(v)}）已批准，最后由${by}同意${note}。返岗后请发「销假」。\n${forRequester}`;
}
export function toRequesterRejected(v: LeaveView, by: string, reason?: string): string {
  return `您的请假 ${v.no}（${summary(v)}）未获批准：${by}驳回${reason ? `，理由：${reason}` : ''}。\n${forRequester}`;
}
/** Why a copy of the outcome reaches its recipients: the roles the policy copies (`policy.leave.copy`). */
const copyWhy = (v: LeaveView, copyRoles: readonly Role[]) =>
  why(`您是${copyRoles.map((r) => relation(v, r)).join('或')}，请假结果抄送给您`);
export function copyApproved(v: LeaveView, copyRoles: readonly Role[]): string {
  const reason = v.reason ? `，事由：${v.reason}` : '';
  return `【抄送】${v.name}（${v.villageName}）的请假 ${v.no} 已批准：${summary(v)}${reason}。\n${copyWhy(v, copyRoles)}`;
}
export function copyRejected(v: LeaveView, by: string, reason: string | undefined, copyRoles: readonly Role[]): string {
  const because = reason ? `，理由：${reason}` : '';
  return `【抄送】${v.name}（${v.villageName}）的请假 ${v.no}（${summary(v)}）未获批准：${by}驳回${because}。\n${copyWhy(v, copyRoles)}`;
}

export function notFound(no: string): string {
  return `没有找到请假申请 ${no}，请核对编号。`;
}
export function notYourStep(no: string, waiting: Waiting): string {
  return `请假 ${no} 现在等待${who(waiting)}审批，您不是这一步的审批人。`;
}
export function finished(no: string, status: string): string {
  return `请假 ${no} ${status}，无需再处理。`;
}
export function stepDone(no: string, by: string, decision: 'approved' | 'rejected', now: string): string {
  return `请假 ${no} 的这一步已由${by}${decision === 'approved' ? '同意' : '驳回'}，现${now}。`;
}
export const waitingOn = (w: Waiting) => `等待${who(w)}审批`;
/** `同意` without a number and no leave waiting; back-fills waiting on the same person are pointed to. */
export function nothingWaiting(backfills: string[] = []): string {
  const hint = backfills.length
    ? `另有补登申请 ${backfills.join('、')} 等您确认，请发「确认补登 ${backfills[0]}」。`
    : '';
  return `目前没有等待您审批的请假。${hint}`;
}
/** A back-fill number given to 同意/驳回, which decide leave only. */
export function backfillNumber(no: string, decision: 'approved' | 'rejected'): string {
  const instead = decision === 'approved' ? `确认请发「确认补登 ${no}」` : `驳回请发「驳回补登 ${no} 原因」`;
  return `${no} 是补登申请，不是请假，「同意」「驳回」只处理请假。${instead}。`;
}
export function whichOne(nos: string[], verb: string): string {
  return `有 ${nos.length} 条请假等待您处理：${nos.join('、')}。请写明编号，例如「${verb} ${nos[0]}」。`;
}

// ---- withdrawal ----------------------------------------------------------------------------------------------
export const notRequester = (no: string) => `只有申请人本人可以撤回请假 ${no}。`;
export function cannotWithdraw(no: string, status: 'approved' | 'rejected' | 'withdrawn'): string {
  if (status === 'approved') return `请假 ${no} 已批准，不能撤回。如已返岗或不再休假，请发「销假」。`;
  return `请假 ${no} ${STATUS_NAMES[status]}，无需撤回。`;
}
export const nothingToWithdraw = '您没有审批中的请假可以撤回。';
export const withdrawn = (v: LeaveView) => `已撤回请假 ${v.no}（${summary(v)}）。`;
export const toApproversWithdrawn = (v: LeaveView, role: Role) =>
  `${v.name}已撤回请假 ${v.no}（${summary(v)}），无需再审批。\n${why(`您是${relation(v, role)}，这条请假原本等您审批`)}`;

// ---- 销假 -----------------------------------------------------------------------------------------------------
export function nothingToReturn(pendingNo?: string): string {
  const hint = pendingNo ? `请假 ${pendingNo} 还在审批中，如不再需要，请发「撤回 ${pendingNo}」。` : '';
  return `您目前没有已批准、待销假的请假。${hint}`;
}
export const badReturnDate =
  '没有看懂销假日期。请写最后一天休假的日子，例如「销假 11月26日」；今天已返岗直接发「销假」即可。';
export const returnDateInFuture = (date: string) =>
  `${shortDate(date)}还没到。请返岗后再销假，日期写最后一天休假的日子。`;
export const returnBeforeStart = (no: string, start: string) =>
  `请假 ${no} 从${shortDate(start)}开始，最后一天休假的日子不能早于开始日期。`;
export const alreadyReturned = (no: string) => `请假 ${no} 已经销假。`;
/** 超假: the days over a returned leave's end (working days, see src/leave/overstay.ts). */
export interface Overstay {
  days: number;
  start: string;
  end: string;
}

/** `超假 2 天（12月11日至14日）`. */
export const overstayLabel = (o: Overstay) => `超假 ${o.days} 天（${spanLabel(o.start, o.end)}）`;

const overstayRule = (o: Overstay) => `${overstayLabel(o)}：超出批准日期的工作日按缺勤计，除非补请假获批。`;

export function returned(
  v: LeaveView,
  actual: { start: string; end: string; days: number } | undefined,
  overstay?: Overstay,
): string {
  if (!actual) return `已销假：请假 ${v.no}（${v.type}）尚未开始，已取消，不计请假天数。`;
  const over = overstay
    ? `\n${overstayRule(overstay)}如需补请，请发「请假 ${v.type} ${spanLabel(overstay.start, overstay.end)} 事由」。`
    : '';
  return `已销假：请假 ${v.no}（${v.type}）实际休假${dateRange(actual.start, actual.end)}，共 ${actual.days} 天（原批准 ${v.days} 天）。已告知审批人。${over}\n欢迎返岗！`;
}

/** To the approvers of a leave, when its cadre reports back. */
export function toApproversReturned(
  v: LeaveView,
  actual: { start: string; end: string; days: number } | undefined,
  overstay: Overstay | undefined,
  approved: boolean,
): string {
  const what = actual
    ? `实际休假${spanLabel(actual.start, actual.end)}，共 ${actual.days} 天（原批准${spanLabel(v.start, v.end)}，${v.days} 天）`
    : '假期尚未开始即已取消，不计请假天数';
  const over = overstay ? `\n【${overstayLabel(overstay)}】超出批准日期的工作日按缺勤计，除非补请假获批。` : '';
  const reason = approved ? '您审批了这条请假' : '您是这条请假第一步的审批人';
  return `${v.name}（${v.villageName}）已销假：请假 ${v.no}（${v.type}）${what}。${over}\n${why(reason)}`;
}

/** `我回来了` without a leave under way or just ended: perhaps a check-in is meant (nothing is recorded). */
export function backWithoutLeave(oldNo?: string): string {
  const old = oldNo ? `请假 ${oldNo} 结束已久，仍未销假，请发「销假 ${oldNo} 最后一天休假的日期」。` : '';
  return `欢迎回来！您目前没有正在休或刚结束的请假。${old}是要签到吗？请发「签到」。`;
}

// ---- 我的请假 ---------------------------------------------------------------------------------------------------
export const noLeave = '您还没有请假记录。请假示例：「请假 事假 明天 家中有事」。';
export function leaveList(lines: string[], total: number): string {
  const head = total > lines.length ? `您的请假（最近 ${lines.length} 条，共 ${total} 条）：` : '您的请假：';
  return [head, ...lines].join('\n');
}
export function leaveLine(v: LeaveView, status: string, detail?: string): string {
  return `${v.no} ${summary(v)} ${status}${detail ? `（${detail}）` : ''}`;
}
export const actualDays = (start: string, end: string, days: number) => `实际${dateRange(start, end)}，${days}天`;
export const cancelledBeforeStart = '未开始即销假，不计天数';
export const overdueNote = '假期已结束，请发「销假」';
/** The 超假 detail of a returned leave in 我的请假. */
/** Appended to the 我的请假 line of a leave reported back late. */
export const overstayNote = (o: Overstay) => `；${overstayLabel(o)}，按缺勤计`;

/** `撤回` followed by something that is not a request number. */
export const withdrawUsage = '请写明要撤回的请假编号，例如「撤回 Q1001」；只有一条审批中的请假时，发「撤回」即可。';
