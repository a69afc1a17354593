/**
 * The short plain summaries of the audit trail's entries (`zhucun audit`): what was decided, sent or exported,
 * in a few words. Dates carry the year when it differs from the year the action was taken in (`today`), since the
 * trail is read years later.
 */
import { dayLabel, momentLabel, monthLabel, spanLabel } from '../src/kit/date-label.js';
import type { AnnounceScope } from '../src/announce/scope.js';
import { scopeLabel } from './announce.js';

/** At most `max` characters of a free text (a reason, an announcement), on one line. */
export function clip(text: string, max = 40): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

const because = (label: string, comment?: string) => (comment?.trim() ? `；${label}：${clip(comment)}` : '');

export interface LeaveDecisionView {
  type: string;
  days: number;
  start: string;
  end: string;
  /** The step decided, 1-based, and how many the request has. */
  step: number;
  steps: number;
  decision: 'approved' | 'rejected';
  /** The request is approved as a whole (its last step). */
  final: boolean;
  comment?: string;
  today: string;
}

/** `事假 3 天，11月25日至27日；第 1 步（共 2 步）` (+ `，已批准`, + the comment or the reason). */
export function leaveDecision(v: LeaveDecisionView): string {
  const done = v.decision === 'approved' && v.final ? '，已批准' : '';
  const label = v.decision === 'approved' ? '意见' : '原因';
  return (
    `${v.type} ${v.days} 天，${spanLabel(v.start, v.end, v.today)}；第 ${v.step} 步（共 ${v.steps} 步）${done}` +
    because(label, v.comment)
  );
}

const commentLabel = (status: 'confirmed' | 'rejected') => (status === 'confirmed' ? '意见' : '原因');

/** `补登 11月17日` (+ the confirmer's comment, or the reason of a rejection). */
export function backfillDecision(date: string, today: string, status: 'confirmed' | 'rejected', comment?: string) {
  return `补登 ${dayLabel(date, today)}${because(commentLabel(status), comment)}`;
}

/** `自报位置 11月17日 20:30，距村 2300 米` (+ the reason of a rejection). */
export function selfReportDecision(
  at: string,
  distanceM: number | undefined,
  status: 'confirmed' | 'rejected',
  comment?: string,
): string {
  const far = distanceM === undefined ? '' : `，距村 ${Math.round(distanceM)} 米`;
  return `自报位置 ${momentLabel(at)}${far}${because(commentLabel(status), comment)}`;
}

/** `新田乡，12 人：明天九点开会…`. */
export function announceSent(scope: AnnounceScope, recipients: number, text: string): string {
  return `${scopeLabel(scope)}，${recipients} 人：${clip(text, 30)}`;
}

/** `12 人，已从聊天中撤回` or, after WeCom's recall window (`hours`), `12 人，超过 24 小时，仅标记为已撤回`. */
export function announceRecalled(recipients: number, fromChats: boolean, hours: number): string {
  return `${recipients} 人，${fromChats ? '已从聊天中撤回' : `超过 ${hours} 小时，仅标记为已撤回`}`;
}

const STAGE_NAMES = { remind: '提醒', rectify: '整改', warn: '警示' } as const;

export interface NoticeView {
  stage: keyof typeof STAGE_NAMES;
  month: string;
  recipients: number;
  /** The month's figures behind a 提醒 or 整改. */
  present?: number;
  target?: number;
}

/** `整改，2026年10月，在村 15 天，目标 22 天；发给 3 人`. */
export function notice(v: NoticeView): string {
  const figures =
    v.present !== undefined && v.target !== undefined ? `，在村 ${v.present} 天，目标 ${v.target} 天` : '';
  return `${STAGE_NAMES[v.stage]}，${monthLabel(v.month)}${figures}；发给 ${v.recipients} 人`;
}

/** `考勤表 2026年11月，31 名干部` (+ `，写入 FILE`). */
export function sheetExport(month: string, cadres: number, file?: string): string {
  return `考勤表 ${monthLabel(month)}，${cadres} 名干部${file ? `，写入 ${file}` : ''}`;
}

/** `通报草稿 2026年11月，31 名干部，写入 FILE`. */
export function reportDraftExport(month: string, cadres: number, file?: string): string {
  return `通报草稿 ${monthLabel(month)}，${cadres} 名干部${file ? `，写入 ${file}` : ''}`;
}

/** `考勤表.xlsx，发到企业微信`: a file the dashboard queued for its user as a WeCom file message. */
export function exportSent(filename: string): string {
  return `${filename}，发到企业微信`;
}

/** A sign-in to the dashboard (through WeCom's OAuth or its web login). */
export const dashSignIn = '登录工作台';

/** `个人数据，写入 FILE` or `个人数据，输出到屏幕`. */
export function personExport(file?: string): string {
  return `个人数据，${file ? `写入 ${file}` : '输出到屏幕'}`;
}
