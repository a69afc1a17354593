/** What people read about the problem ledger (民情台账): problems P1001 raised, answered, handed on and closed. */
import type { CommandHelp } from '../src/kit/command-help.js';
import { dayLabel, momentLabel } from '../src/kit/date-label.js';
import type { ProblemStepView, ProblemView } from '../src/problems/view.js';

export const help = {
  problem: {
    summary: '登记群众反映的问题（民情台账），或查看未办结的问题',
    usage: '问题 内容 ｜ 问题 ｜ 问题 村名',
    examples: ['问题 村东灌溉水渠渗漏，需协调维修', '问题', '问题 北堡村'],
  },
  reply: {
    summary: '回复转给您的问题，提出问题的干部会收到',
    usage: '回复 问题编号 内容',
    examples: ['回复 P1001 已联系乡水利站，本周内到现场查看'],
  },
  handover: {
    summary: '把问题转给派出单位、乡镇（街道）或名册中的人员办理',
    usage: '转办 问题编号 单位或姓名',
    examples: ['转办 P1001 县水利局'],
  },
  close: {
    summary: '问题办结，写明办理结果',
    usage: '办结 问题编号 办理结果',
    examples: ['办结 P1001 水渠已修复，群众满意'],
  },
  add: {
    summary: '补充自己提出的问题的新情况',
    usage: '补充 问题编号 内容',
    examples: ['补充 P1001 渗漏处又扩大了，影响下游十几户'],
  },
} satisfies Record<string, CommandHelp>;

/** The longest problem text, answer or result taken (characters). */
export const MAX_PROBLEM_CHARS = 1000;

const VERBS: Record<ProblemStepView['kind'], string> = {
  create: '提出',
  reply: '回复',
  handover: '转办',
  close: '办结',
  add: '补充',
};

/** One step of the history: `12月7日 10:00 王建国 回复：已联系乡水利站`. */
function stepLine(s: ProblemStepView): string {
  const head = `${momentLabel(s.at)} ${s.name} ${VERBS[s.kind]}`;
  if (s.kind === 'handover') return `${head}给 ${s.to ?? ''}${s.text ? `：${s.text}` : ''}`;
  return s.text ? `${head}：${s.text}` : head;
}

const ACTIONS = (no: string) => `可发送「回复 ${no} 内容」「转办 ${no} 单位或姓名」「办结 ${no} 办理结果」。`;

/** To the people a new problem is sent to at once. */
export function newProblemMessage(v: ProblemView): string {
  return [
    `【民情问题 ${v.no}】${v.place} ${v.cadreName}（${momentLabel(v.createdAt)}）：`,
    v.text,
    `您收到这条消息，是因为您是该村问题的办理人。${ACTIONS(v.no)}`,
  ].join('\n');
}

/** The cadre's answer after `问题 内容` (and the line a `#困难` report adds). */
export function created(no: string, routedTo: string[], listed: string[]): string {
  const lines = [`问题已登记，编号 ${no}。`];
  lines.push(
    routedTo.length
      ? `已转给 ${routedTo.join('、')}，请留意回复。`
      : '名册中没有可以转给的领队或乡镇（街道）负责同志，请直接联系乡镇（街道）。',
  );
  if (listed.length) lines.push(`${listed.join('、')}将在每周的问题清单中看到。`);
  lines.push(`有新情况可发送「补充 ${no} 内容」；发送「问题」查看办理情况。`);
  return lines.join('\n');
}

/** The line a `#困难` report's answer adds. */
export const fromReport = (no: string) => `已记入民情台账，编号 ${no}，发送「问题」可查看办理情况。`;

/** To the cadre: an answer to their problem. */
export const replyMessage = (no: string, by: string, at: string, text: string) =>
  `【问题回复 ${no}】${by}（${momentLabel(at)}）：\n${text}\n如有新情况，可发送「补充 ${no} 内容」。`;

/** To the cadre: their problem was closed. */
export const closedMessage = (no: string, by: string, at: string, text: string) =>
  `【问题办结 ${no}】${by}（${momentLabel(at)}）办结了您提出的问题，办理结果：\n${text}`;

/** To the cadre: their problem was handed on. */
export const handedOnMessage = (no: string, by: string, to: string) =>
  `【问题转办 ${no}】${by} 已将您提出的问题转给 ${to} 办理。`;

/** To the target of a hand-on: the problem and its history. */
export function handoverMessage(v: ProblemView, by: string, to: string): string {
  return [
    `【民情问题 ${v.no} 转办】${by} 将 ${v.place} ${v.cadreName} 反映的问题转给 ${to} 办理：`,
    v.text,
    '办理经过：',
    ...v.steps.map(stepLine),
    ACTIONS(v.no),
  ].join('\n');
}

/** To the chain: the cadre added to the problem. */
export const addedMessage = (v: ProblemView, at: string, text: string) =>
  `【问题补充 ${v.no}】${v.place} ${v.cadreName}（${momentLabel(at)}）补充：\n${text}\n${ACTIONS(v.no)}`;

export const replied = (no: string, cadre: string) => `已回复问题 ${no}，${cadre}会收到。`;
export const handedOn = (no: string, to: string, names: string[]) =>
  `问题 ${no} 已转给 ${to}${names.length ? `（${names.join('、')}）` : ''}，对方会收到问题和办理经过。`;
export const closed = (no: string, cadre: string) => `问题 ${no} 已办结，已告知 ${cadre}。`;
export const added = (no: string, names: string[]) =>
  names.length ? `已补充到问题 ${no}，已告知 ${names.join('、')}。` : `已补充到问题 ${no}。`;

// ---- refusals --------------------------------------------------------------------------------------------------
export const usage = (h: CommandHelp) => `请写上问题编号和内容。\n用法：${h.usage}\n例如：${h.examples[0]}`;
export const needText = (h: CommandHelp, no: string) => `请在编号 ${no} 后写上内容。\n用法：${h.usage}`;
export const notFound = (no: string) => `没有找到问题 ${no}，请核对编号；发送「问题」查看您的问题。`;
export const notInChain = (no: string) => `问题 ${no} 没有转给您，只有收到这个问题的同志可以办理。`;
export const notYours = (no: string) => `问题 ${no} 不是您提出的，只有提出问题的驻村干部可以补充。`;
export const alreadyClosed = (no: string, at: string) => `问题 ${no} 已于 ${momentLabel(at)} 办结，不能再办理。`;
export const tooLong = (max: number) => `内容太长（最多 ${max} 字），请精简后再发送。`;
export const wordApart = '要登记群众反映的问题，请发送「问题 内容」，“问题”后空一格，例如「问题 村东灌溉水渠渗漏」。';
export const notACadre = '只有驻村干部可以登记问题。查看某村的问题，请发送「问题 村名」。';
export const createInGroup =
  '问题内容只在与本助手的单聊中登记，不发到群里。请在企业微信里打开「驻村工作助手」应用后再发送「问题 内容」。';
export const unknownTarget = (word: string, units: string[], townships: string[]) =>
  [
    `「${word}」不是可以转办的对象。可以转给：`,
    `派出单位：${units.join('、') || '（名册中没有）'}`,
    `乡镇（街道）：${townships.join('、')}`,
    '或名册中某位同志的姓名。',
  ].join('\n');
export const ambiguousTarget = (word: string) => `名册中有不止一位「${word}」，请改用企业微信账号（userid）。`;
export const nobodyAtTarget = (word: string) => `名册中「${word}」没有负责同志，无法转办。`;
export const handoverToSelf = (no: string) => `问题 ${no} 已经在您这里，请写上要转给的单位或同志。`;
export const notAllowedVillage = (village: string) =>
  `${village}的问题只有办理人、本村驻村干部、乡镇（街道）负责同志和组织部可以查看。`;

// ---- lists -----------------------------------------------------------------------------------------------------
function listLine(v: ProblemView, overdueDays: number, withPlace: boolean): string {
  const last = v.steps.length > 1 ? v.steps[v.steps.length - 1]! : undefined;
  const overdue = v.days > overdueDays ? `，已超过 ${overdueDays} 天` : '';
  const head = `${v.no}\u3000${withPlace ? `${v.village}\u3000` : ''}${dayLabel(v.createdOn)} ${v.cadreName}（已 ${v.days} 天${overdue}）：${v.text}`;
  return last ? `${head}\n\u3000\u3000最近：${stepLine(last)}` : head;
}

/** `问题` alone: the asker's own problems and those they handle, open ones only. */
export function myProblems(own: ProblemView[], handled: ProblemView[], overdueDays: number): string {
  if (!own.length && !handled.length) return '您没有未办结的问题。登记新问题请发送「问题 内容」。';
  const lines: string[] = [];
  if (own.length)
    lines.push(`您提出的未办结问题（${own.length} 个）：`, ...own.map((v) => listLine(v, overdueDays, false)));
  if (handled.length)
    lines.push(
      `转给您办理的未办结问题（${handled.length} 个）：`,
      ...handled.map((v) => listLine(v, overdueDays, true)),
      '办理请发送「回复」「转办」或「办结」加问题编号。',
    );
  return lines.join('\n');
}

/** `问题 北堡村`: the village's open problems. */
export function villageProblems(village: string, list: ProblemView[], overdueDays: number): string {
  if (!list.length) return `${village}目前没有未办结的问题。`;
  return [`${village}未办结的问题（${list.length} 个）：`, ...list.map((v) => listLine(v, overdueDays, false))].join(
    '\n',
  );
}

/** In a group: counts only. */
export const myCountInGroup = (n: number) =>
  `您有 ${n} 个未办结的问题。问题内容只在与本助手的单聊中查看，请在应用内发送「问题」。`;
export const villageCountInGroup = (village: string, n: number, overdue: number, overdueDays: number) =>
  `${village}有 ${n} 个未办结的问题${overdue ? `，其中 ${overdue} 个已超过 ${overdueDays} 天` : ''}。问题内容只在与本助手的单聊中查看。`;

// ---- digests ---------------------------------------------------------------------------------------------------
/** A problem in a digest: number, village, days open, and its text only where the reader may read it. */
export interface DigestProblem {
  no: string;
  village: string;
  cadreName: string;
  days: number;
  text?: string;
}

function digestLine(p: DigestProblem): string {
  return `${p.no}\u3000${p.village} ${p.cadreName}（已 ${p.days} 天）${p.text ? `：${p.text}` : ''}`;
}

/** To a township's supervisors with the daily digest: the township's overdue problems. */
export function dailyOverdue(township: string, date: string, list: DigestProblem[], overdueDays: number): string {
  return [
    `【超期未办结问题】${township}（${dayLabel(date)}）有 ${list.length} 个问题超过 ${overdueDays} 天未办结：`,
    ...list.map(digestLine),
    '办理请发送「回复」「转办」或「办结」加问题编号；发送「问题 村名」查看某村的问题。',
  ].join('\n');
}

/** To the organisation department with the weekly digest: the county's overdue problems by township. */
export function weeklyOverdue(townships: { name: string; list: DigestProblem[] }[], overdueDays: number): string {
  const total = townships.reduce((n, t) => n + t.list.length, 0);
  return [
    `【民情台账】全县有 ${total} 个问题超过 ${overdueDays} 天未办结：`,
    ...townships.flatMap((t) => [`${t.name}（${t.list.length} 个）：`, ...t.list.map(digestLine)]),
  ].join('\n');
}

/** To one of a village's four contacts, weekly: the open problems of the villages they are a contact of. */
export function weeklyList(list: DigestProblem[]): string {
  return [
    `【民情台账 每周清单】您联系的村有 ${list.length} 个未办结的问题：`,
    ...list.map(digestLine),
    '如需过问，可发送「回复」「转办」或「办结」加问题编号。',
  ].join('\n');
}
