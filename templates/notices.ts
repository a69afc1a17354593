/**
 * Texts of the numbered notices (提醒单 T…, 整改单 Z…, 警示单 J…): the reasons and facts written into a notice when
 * it is issued, the messages to the cadre and the reviewers, the reviewers' commands and their refusals, and the
 * printable document's fields. The bot informs and people decide: no text threatens a sanction, and each message
 * says in its last line why the person got it.
 */
import type { CommandHelp } from '../src/kit/command-help.js';
import { dayLabel, fullDayLabel, momentLabel, shortMonthLabel } from '../src/kit/date-label.js';
import type { DecisionRefusal, Notice, NoticeKind, NoticeState } from '../src/notices/notice.js';

const why = (reason: string) => `（为什么收到：${reason}）`;
const mon = (month: string) => shortMonthLabel(month);

export const KIND: Record<NoticeKind, string> = { remind: '提醒单', rectify: '整改单', warn: '警示单' };
export const TITLE: Record<NoticeKind, string> = {
  remind: '驻村干部提醒通知单',
  rectify: '驻村干部整改通知单',
  warn: '驻村干部警示通知单',
};
export const STATE: Record<NoticeState, string> = {
  issued: '已送达',
  open: '待回复',
  answered: '待审核',
  closed: '已销号',
  escalated: '已升级',
};
const REVIEWER = { township: '乡镇（街道）负责同志', org: '县委组织部' } as const;

/** `【整改单 Z2026-014】`: the first line of every message about a notice. */
export const header = (kind: NoticeKind, no: string) => `【${KIND[kind]} ${no}】`;

// ---- reasons and facts, written into the notice when it is issued ---------------------------------------------

export const reasons = {
  attendanceRemind: (month: string) => `${mon(month)}在村天数按剩余天数可能达不到月目标`,
  attendanceRectify: (month: string, present: number, target: number) =>
    `${mon(month)}在村 ${present} 天，低于当月目标 ${target} 天（差 ${target - present} 天）`,
  attendanceWarn: '在村天数连续低于月目标，或年度目标已无法达到',
  sixOnes: (start: string, end: string) => `任期第一个月（${dayLabel(start)}至${dayLabel(end)}）“六个一”未全部完成`,
  leaveOverdue: (no: string, end: string, days: number) =>
    `假期 ${no} 已于${dayLabel(end)}结束，${days} 天后仍未销假（超假）`,
  problemUnanswered: (no: string, days: number) => `反映的问题 ${no} 已 ${days} 天无人回复、转办或办结`,
  noReport: (weeks: number) => `已连续 ${weeks} 周没有工作汇报`,
  escalation: (from: string, kind: NoticeKind, reason: string) => `${KIND[kind]} ${from} 审核后升级：${reason}`,
};

export const facts = {
  remindMonth: (present: number, target: number, needed: number, remaining: number) =>
    `已在村 ${present} 天，月目标 ${target} 天，还需 ${needed} 天，本月还剩 ${remaining} 天可在村。`,
  month: (month: string, present: number, target: number) => `${mon(month)}在村 ${present} 天，月目标 ${target} 天。`,
  annual: (start: string, end: string, target: number, present: number, needed: number, remaining: number) =>
    `年度（${fullDayLabel(start)}至${fullDayLabel(end)}）目标 ${target} 天，已在村 ${present} 天，还需 ${needed} 天，剩余可在村 ${remaining} 天。`,
  sixOnesDone: (done: number, missing: readonly string[]) =>
    `已完成 ${done} 项，未完成：${missing.map((t) => `#${t}`).join('、')}。`,
  leave: (no: string, type: string, start: string, end: string) =>
    `${no}，${type}，${dayLabel(start)}至${dayLabel(end)}，至今未销假。`,
  problem: (no: string, raised: string, text: string) =>
    `${no}，${dayLabel(raised)}反映：${[...text].slice(0, 60).join('')}`,
  lastReport: (date: string | undefined) => (date ? `最近一次汇报：${dayLabel(date)}。` : '任期内还没有工作汇报。'),
  escalatedFrom: (from: string) => `原通知单：${from}。`,
};

/** What the cadre is asked to do, as the message and the document write it. */
export function requirement(n: Pick<Notice, 'kind' | 'no' | 'reviewer'>): string {
  if (n.kind === 'remind') return '请本人注意，及时改进；本单无需回复。';
  return `请写明原因和整改措施，回复「整改说明 ${n.no} 内容」，由${REVIEWER[n.reviewer ?? 'township']}审核销号。`;
}

export const deadlineLine = (deadline: string | undefined) =>
  deadline ? `请于${fullDayLabel(deadline)}前回复。` : '无需回复。';

// ---- messages --------------------------------------------------------------------------------------------------

const factLines = (n: Pick<Notice, 'facts'>) => n.facts.map((f) => `· ${f}`);

/** The notice to the cadre it is about. */
export function toCadre(n: Notice): string {
  return [
    `${header(n.kind, n.no)}${n.name}同志：${n.reason}。`,
    ...factLines(n),
    requirement(n),
    ...(n.deadline ? [deadlineLine(n.deadline)] : []),
    why(`${KIND[n.kind]}发给本人，编号可用于回复和查询。`),
  ].join('\n');
}

/** The notice to its reviewers. */
export function toReviewer(n: Notice): string {
  return [
    `${header(n.kind, n.no)}${n.township.name}${n.village} ${n.name}（${n.sendingUnit}）：${n.reason}。`,
    ...factLines(n),
    `本人应于${dayLabel(n.deadline ?? n.issuedOn)}前回复整改说明，收到后转给您。审核后发送「销号 ${n.no}」或「升级 ${n.no} 原因」。`,
    why(`您是${REVIEWER[n.reviewer ?? 'township']}，负责审核这张${KIND[n.kind]}。`),
  ].join('\n');
}

/** The cadre's answer, forwarded to the reviewers. */
export function answerForward(n: Notice, text: string): string {
  return [
    `${header(n.kind, n.no)}${n.village}${n.name}的整改说明：`,
    text,
    `审核后发送「销号 ${n.no}」或「升级 ${n.no} 原因」。`,
    why(`您是${REVIEWER[n.reviewer ?? 'township']}，负责审核这张${KIND[n.kind]}。`),
  ].join('\n');
}

export const answerThanks = (n: Notice, again: boolean) =>
  again
    ? `您对${KIND[n.kind]} ${n.no} 的整改说明已更新，并重新转给${REVIEWER[n.reviewer ?? 'township']}。`
    : `已收到您对${KIND[n.kind]} ${n.no} 的整改说明，已转给${REVIEWER[n.reviewer ?? 'township']}审核。`;

/** `整改说明 Z2026-099 …` naming a number that is not one of the cadre's notices waiting for an answer. */
export const answerUnknown = (no: string) => `${no} 不是您待回复的通知单，请核对编号。`;

/** The deadline passed without an answer: to the reviewers, once. */
export function overdueToReviewer(n: Notice): string {
  return [
    `${header(n.kind, n.no)}${n.village}${n.name}的${KIND[n.kind]}回复期限（${dayLabel(n.deadline ?? n.issuedOn)}）已过，尚未收到整改说明。`,
    `请联系本人；也可发送「销号 ${n.no}」或「升级 ${n.no} 原因」。`,
    why(`您是${REVIEWER[n.reviewer ?? 'township']}，负责审核这张${KIND[n.kind]}；逾期未回复时提醒一次。`),
  ].join('\n');
}

// ---- the reviewers' decisions ------------------------------------------------------------------------------------

export const help = {
  close: {
    summary: '审核通知单后销号',
    usage: '销号 编号 [意见]',
    examples: ['销号 Z2026-014 已说明情况，11月起按时在村'],
  } satisfies CommandHelp,
  escalate: {
    summary: '整改单审核未通过，升级为警示单',
    usage: '升级 编号 原因',
    examples: ['升级 Z2026-014 逾期未整改'],
  } satisfies CommandHelp,
  issue: {
    summary: '县委组织部开具通知单（提醒单、整改单、警示单）',
    usage: '开具 整改单 姓名 原因',
    examples: ['开具 整改单 李晓燕 11月两次工作日不在村且未请假'],
  } satisfies CommandHelp,
};

export const closeDone = (n: Notice) => `${KIND[n.kind]} ${n.no}（${n.name}）已销号。`;
export const closeToCadre = (n: Notice, text?: string) =>
  [
    `${header(n.kind, n.no)}经${REVIEWER[n.reviewer ?? 'township']}审核，已销号。${text ? `意见：${text}` : ''}`,
    why(`这张${KIND[n.kind]}是发给您的。`),
  ].join('\n');
export const escalateDone = (from: Notice, to: Notice) =>
  `${KIND[from.kind]} ${from.no}（${from.name}）已升级为${KIND[to.kind]} ${to.no}，已发给本人和${REVIEWER[to.reviewer ?? 'org']}。`;
export const escalateNeedReason = `请写明升级原因。\n用法：${help.escalate.usage}\n例如：${help.escalate.examples[0]}`;
export const needNumber = (usage: string) => `请写上通知单编号，例如 Z2026-014。\n用法：${usage}`;

export function decisionRefusal(r: DecisionRefusal): string {
  switch (r.code) {
    case 'notice_unknown':
      return `没有编号为 ${r.no} 的通知单，请核对编号。`;
    case 'notice_no_review':
      return `${r.no} 是提醒单，无需审核，不能销号或升级。`;
    case 'notice_decided':
      return `${r.no} ${STATE[r.state]}，不能再次审核。`;
    case 'notice_not_reviewer':
      return `${r.no} 由${REVIEWER[r.reviewer]}审核，您不能销号或升级。`;
    case 'notice_top':
      return `${r.no} 是警示单，已是最高一级，不能再升级；可发送「销号 ${r.no}」。`;
  }
}

// ---- issuing by hand ---------------------------------------------------------------------------------------------

export const issueUsage = `用法：${help.issue.usage}\n例如：${help.issue.examples[0]}`;
export const issueBadKind = (word: string) => `“${word}”不是通知单种类，请写提醒单、整改单或警示单。\n${issueUsage}`;
export const issueNeedReason = `请写明开具原因。\n${issueUsage}`;
export const issueNotFound = (name: string) => `名单上没有“${name}”，请核对姓名。`;
export const issueAmbiguous = (name: string, villages: readonly string[]) =>
  `名单上有 ${villages.length} 位“${name}”（${villages.join('、')}），请改用账号开具。`;
export const issueDone = (n: Notice) =>
  `已开具${KIND[n.kind]} ${n.no}（${n.name}，${n.village}），已发给本人${n.reviewer ? `和${REVIEWER[n.reviewer]}` : ''}。`;

// ---- the printable document (.docx) --------------------------------------------------------------------------------

/** The labelled fields of the document, in their printed order. */
export function documentFields(
  n: Notice,
  names: { issuer: string; answerer?: string; reviewer?: string },
): { title: string; rows: [label: string, text: string][] } {
  const review = n.decision
    ? n.decision.kind === 'close'
      ? `已销号（${names.reviewer ?? n.decision.by}，${momentLabel(n.decision.at)}）${n.decision.text ? `：${n.decision.text}` : ''}`
      : `升级为 ${n.decision.to}（${names.reviewer ?? n.decision.by}，${momentLabel(n.decision.at)}）：${n.decision.text ?? ''}`
    : n.reviewer
      ? `待${REVIEWER[n.reviewer]}审核`
      : '无需审核';
  return {
    title: TITLE[n.kind],
    rows: [
      ['编号：', n.no],
      ['姓名：', `${n.name}（${n.sendingUnit}派驻${n.township.name}${n.village}，${n.post}）`],
      ['事实：', [`${n.reason}。`, ...n.facts].join('\n')],
      ['要求：', requirement(n)],
      ['期限：', deadlineLine(n.deadline)],
      ['开具：', `县委组织部（${names.issuer}），${fullDayLabel(n.issuedOn)}`],
      [
        '整改说明：',
        n.answer
          ? `${n.answer.text}（${names.answerer ?? n.name}，${momentLabel(n.answer.at)}）`
          : n.reviewer
            ? '尚未回复'
            : '无需回复',
      ],
      ['审核意见：', review],
    ],
  };
}

/** Who issued a notice, for the document: a scheduled job or a person. */
export const issuerName = (issuedBy: string, person?: string) =>
  issuedBy.startsWith('job:') ? '系统按规则自动开具' : (person ?? issuedBy);
