/**
 * How a leave request was judged, as the card and the reply say it: the counting rule and its days, the leave
 * joined to it, the month's days so far, and the approval levels taken over by the level above.
 */
import { spanLabel } from '../src/kit/date-label.js';
import type { Role } from '../src/kit/roles.js';
import type { LeaveJudgement } from '../src/leave/workflow.js';
import type { LeaveDayCount } from '../src/policy/policy.js';

/** Who an approval step belongs to, in "派出单位未设审批人，由县委组织部审批". */
const STEP_OWNERS: Record<Role, string> = {
  township: '乡镇（街道）',
  'sending-unit': '派出单位',
  org: '县委组织部',
  'team-leader': '领队',
  cadre: '驻村干部',
};
/** Who decides a step, in "由…审批". */
const DECIDERS: Record<Role, string> = {
  township: '乡镇（街道）负责同志',
  'sending-unit': '派出单位领导',
  org: '县委组织部',
  'team-leader': '领队',
  cadre: '驻村干部',
};

/**
 * The note on a step that took over levels with nobody on the roster (`派出单位未设审批人，由县委组织部审批。`);
 * '' for a step of its own.
 */
export function takenOver(covers: readonly Role[] | undefined, kind: Role): string {
  if (!covers?.length) return '';
  return `${covers.map((r) => STEP_OWNERS[r]).join('、')}未设审批人，由${DECIDERS[kind]}审批。`;
}

/**
 * Old requests only (stored before a step without an approver went up a level): the note that steps were
 * skipped, so their remaining cards still say so; '' when none was.
 */
export function skippedSteps(skipped: readonly Role[] = []): string {
  if (!skipped.length) return '';
  return `（${skipped.map((r) => STEP_OWNERS[r]).join('、')}未配置审批人，${skipped.length > 1 ? '这几步' : '此步'}跳过）`;
}

/** How days are counted (`policy.leave.countDays`), as the card names it. */
export const RULE_NAMES: Record<LeaveDayCount, string> = {
  calendar: '按自然日计',
  'net-of-days-off': '按扣除法定假日计',
  'working-days': '按工作日计',
};

/** `按扣除法定假日计 3 天`. */
export const countedDays = (j: LeaveJudgement) => `${RULE_NAMES[j.rule]} ${j.days} 天`;

/** `连同 Q1001、Q1002 合计 12月7日至10日 共4天` when the request was judged with others; '' otherwise. */
export function combinedSpan(j: LeaveJudgement | undefined): string {
  if (!j?.combined) return '';
  const c = j.combined;
  return `连同 ${c.with.join('、')} 合计 ${spanLabel(c.start, c.end)} 共${c.days}天`;
}

/** `本月已请假 4 天（含本次，已批准和审批中）`. */
export const monthSoFar = (j: LeaveJudgement) => `本月已请假 ${j.monthDays} 天（含本次，已批准和审批中）`;

/** A request whose days all fall on days that do not count (an official holiday, or a weekend by working days). */
export function noCountableDays(start: string, end: string, rule: LeaveDayCount): string {
  const days = rule === 'working-days' ? '休息日或法定放假日' : '法定放假日';
  return `${spanLabel(start, end)}${start === end ? '是' : '都是'}${days}，按本县规定（${RULE_NAMES[rule]}）不算请假天数，无需请假。如日期写错了，请改正后重新发送。`;
}
