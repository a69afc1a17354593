/**
 * The words of 积分 (`我的积分`, `积分 姓名`, `积分`) and of the half-yearly 积分表. Lists are in the order
 * they are given (village, then name), never by score.
 */
import type { CommandHelp } from '../src/kit/command-help.js';
import { dayLabel, monthLabel, spanLabel } from '../src/kit/date-label.js';
import type { PointsItem } from '../src/policy/schema.js';

export const help = {
  mine: {
    summary: '查看自己本半年的积分和每一分的来由',
    usage: '我的积分 [上半年|下半年|2026H2]',
    examples: ['我的积分', '我的积分 上半年'],
  },
  scope: {
    summary: '查看所负责范围内干部的积分（按村和姓名排列）',
    usage: '积分 [姓名|乡镇（街道）] [上半年|下半年|2026H2]',
    examples: ['积分', '积分 李晓燕', '积分 新田乡'],
  },
} satisfies Record<string, CommandHelp>;

/** The full-width space between the columns of a line. */
const SP = '\u3000';

export const ITEM_NAMES: Record<PointsItem, string> = {
  presenceBeyondTarget: '超出月目标的在村天数',
  sixOnes: '“六个一”',
  problemClosed: '民情问题办结',
  visitReceived: '领导到村调研',
  remindNotice: '提醒单',
  rectifyNotice: '整改单',
  warnNotice: '警示单',
  leaveOverdue: '超假',
  reports: '工作汇报篇数',
  checkins: '签到条数',
};

const SIX_ONES: Record<string, string> = {
  visit: '走访全村农户一遍',
  lecture: '讲一次党课',
  practical: '办一件实事',
  talk: '召开一次村民说事会',
  plan: '制定一份工作计划',
  pledge: '作一次公开承诺',
};

/** What a template needs of an event (see src/points/scheme.ts). */
export interface PointsEventView {
  item: PointsItem;
  date: string;
  points: number;
  counted: number;
  cut: number;
  ref:
    | { kind: 'presence'; month: string; target: number }
    | { kind: 'six-ones'; item: string; report: string }
    | { kind: 'problem'; no: string }
    | { kind: 'visit'; no: string; by: string }
    | { kind: 'notice'; number: string; notice: string }
    | { kind: 'leave'; no: string }
    | { kind: 'report'; no: string }
    | { kind: 'checkin'; at: string };
}

export interface PointsView {
  name: string;
  village: string;
  /** The half year's days, and the last day counted so far. */
  period: { start: string; end: string };
  asOf: string;
  events: readonly PointsEventView[];
  items: readonly { item: PointsItem; events: number; raw: number; counted: number; cap: number | null }[];
  total: number;
  noticesKnown: boolean;
  /** Names of the visitors by userid. */
  names: ReadonlyMap<string, string>;
}

/** `+2`, `−3`, `+0.5`, `0`. */
export function signed(n: number): string {
  if (n === 0) return '0';
  return n > 0 ? `+${n}` : `−${-n}`;
}

/** Where an event comes from, in words. */
export function eventSource(e: PointsEventView, names: ReadonlyMap<string, string>): string {
  const r = e.ref;
  switch (r.kind) {
    case 'presence':
      return `${monthLabel(r.month)}在村超出月目标（${r.target}天）`;
    case 'six-ones':
      return `“六个一”：${SIX_ONES[r.item] ?? r.item}（${r.report}）`;
    case 'problem':
      return `问题${r.no}已办结`;
    case 'visit':
      return `${names.get(r.by) ?? r.by}到村调研（${r.no}）`;
    case 'notice':
      return `${ITEM_NAMES[e.item]}${r.number}`;
    case 'leave':
      return `超假（${r.no}）`;
    case 'report':
      return `工作汇报${r.no}`;
    case 'checkin':
      return '签到';
  }
}

/** Events shown in a chat reply; the 积分表 has them all. */
export const MAX_EVENT_LINES = 20;

function capLine(i: PointsView['items'][number]): string {
  const cap = i.cap === null ? '' : `，本半年最多${i.cap}分`;
  const cut = i.raw !== i.counted ? `，封顶后计${signed(i.counted)}分` : '';
  return `· ${ITEM_NAMES[i.item]}：${i.events}次，${signed(i.raw)}分${cut}${cap}`;
}

/** One person's points with the events behind them. */
export function pointsDetail(v: PointsView, own: boolean): string {
  const who = own ? '您' : `${v.village}${SP}${v.name}`;
  const head = `${who}的积分（${spanLabel(v.period.start, v.period.end)}，截至${dayLabel(v.asOf)}）：合计${signed(v.total)}分。`;
  const lines = [head];
  const scored = v.items.filter((i) => i.events > 0);
  if (!scored.length) lines.push('这半年还没有计分的记录。');
  else lines.push(...scored.map(capLine));
  if (v.events.length) {
    lines.push('明细：');
    for (const e of v.events.slice(0, MAX_EVENT_LINES)) {
      const cut = e.cut !== 0 ? `（已封顶，计${signed(e.counted)}分）` : '';
      lines.push(`${dayLabel(e.date)}${SP}${signed(e.points)}${SP}${eventSource(e, v.names)}${cut}`);
    }
    if (v.events.length > MAX_EVENT_LINES)
      lines.push(`……另有${v.events.length - MAX_EVENT_LINES}条，县委组织部的半年积分表中有全部明细。`);
  }
  if (!v.noticesKnown) lines.push('提醒单、整改单、警示单尚未接入，未计入积分。');
  lines.push('积分由助手按记录自动计算，不能手工录入。');
  return lines.join('\n');
}

/** A supervisor's list of the cadres in scope, in the order given (village, then name). */
export function pointsList(
  rows: readonly { village: string; name: string; total: number; period: { start: string; end: string } }[],
  asOf: string,
  more: number,
): string {
  if (!rows.length) return '您负责的范围内没有这半年在岗的驻村干部。';
  const lines = [`积分（截至${dayLabel(asOf)}，按村和姓名排列）：`];
  for (const r of rows)
    lines.push(`${r.village}${SP}${r.name}${SP}${signed(r.total)}分${SP}${spanLabel(r.period.start, r.period.end)}`);
  if (more > 0) lines.push(`……另有${more}人。请写乡镇（街道）名查看，如「积分 新田乡」，或请县委组织部导出积分表。`);
  lines.push('发送「积分 姓名」查看某人的明细。');
  return lines.join('\n');
}

export const usage = '请这样写：积分 [姓名|乡镇（街道）] [上半年|下半年|2026H2]，例如「积分 李晓燕」。';
export const mineUsage = '请这样写：我的积分 [上半年|下半年|2026H2]，例如「我的积分 上半年」。';
export const notCadre = '“我的积分”只给驻村干部本人使用；查看所负责干部的积分请发送「积分」。';
export const noScope = '您没有可以查看积分的干部。';
export const notInScope = (name: string): string => `“${name}”不在您负责的范围内。`;
export const notFound = (name: string): string => `名册中没有“${name}”，请检查姓名或乡镇（街道）名。`;
export const ambiguous = (name: string, villages: readonly string[]): string =>
  `名册中有不止一位“${name}”（${villages.join('、')}），请写用户ID。`;
export const noHalf = (label: string): string => `您的任期中没有${label}这个半年。`;
export const inGroup = '积分只在与助手的单聊中查看。';

/** `2026年下半年` for a half year's name. */
export function halfLabel(year: number, half: 1 | 2): string {
  return `${year}年${half === 1 ? '上' : '下'}半年`;
}

/** Headings of the half-yearly 积分表 (xlsx). */
export const sheet = {
  title: (county: string, half: string) => `${county}驻村干部积分表（${half}）`,
  byVillage: '按乡镇（街道）、村和姓名排列。积分由助手按记录自动计算，每一分的来由见“明细”表。',
  byScore: '按积分从高到低排列：县委组织部内部使用，不得公开或作为排名通报。',
  summary: '积分表',
  details: '明细',
  columns: ['乡镇（街道）', '村', '姓名', '派出单位', '半年起止'],
  total: '合计',
  detailColumns: ['乡镇（街道）', '村', '姓名', '日期', '项目', '每次分值', '计入', '封顶未计', '来由'],
  noticesMissing: '提醒单、整改单、警示单尚未接入，未计入积分。',
};

/** A half year's days for the sheet. */
export const periodCell = (start: string, end: string): string => spanLabel(start, end, '0000-00-00');

/** `积分表 2026H2，12 名干部，写入 FILE` for the audit trail. */
export function pointsExport(half: string, cadres: number, order: 'village' | 'score', file?: string): string {
  return `积分表 ${half}，${cadres} 名干部${order === 'score' ? '，按积分排列（内部）' : ''}${file ? `，写入 ${file}` : ''}`;
}
