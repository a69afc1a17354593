/**
 * What the county roll-up (`全县考勤` / `汇总`) says. A group chat only ever gets totals; the list of cadres
 * who need attention goes to the organisation department and township supervisors in a one-to-one chat.
 */
import { dayLabel, monthLabel, shortMonthLabel } from '../src/kit/date-label.js';
import type { ForecastStatus } from '../src/attendance/accounting.js';
import type { CommandHelp } from '../src/kit/command-help.js';
import type { AtRiskCadre, Rollup, RollupCounts } from '../src/rollup/rollup.js';
import { PENDING } from './calendar.js';
import { usage } from './common.js';

export const rollupHelp: CommandHelp = {
  summary: '驻村干部出勤汇总：出勤率、完成进度、今日请假和需关注名单（组织部看全县，乡镇（街道）看本乡镇（街道））',
  usage: '全县考勤 [年-月]',
  examples: ['全县考勤', '汇总 2026-10', '全县汇总 上月'],
};

/** How much to show: per-township lines, and names (never in a group chat). */
export interface RollupView {
  /** `全县`, or the township names. */
  scopeName: string;
  perTownship: boolean;
  names: boolean;
  inGroup: boolean;
}

const monthName = (month: string) => monthLabel(month);
const shortMonth = (month: string) => shortMonthLabel(month);
const md = (date: string) => dayLabel(date);
export const pct = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);

// An app's passive reply holds 2048 bytes; the name list stops early enough to leave room for the notes.
const BUDGET_BYTES = 1900;

export function statusLine(c: RollupCounts, r: Rollup): string {
  const s = c.status;
  if (r.uncoveredYear !== undefined) return `月目标${PENDING}（${r.uncoveredYear} 年放假安排尚未公布）`;
  const pending = s.pending ? ` · ${PENDING} ${s.pending}` : '';
  if (r.phase === 'past') return `已达标 ${s['on-track']} · 未达标 ${s['cannot-reach']}${pending}`;
  return `按计划 ${s['on-track']} · 有风险 ${s['at-risk']} · 无法完成 ${s['cannot-reach']}${pending}`;
}

export function leaveLine(c: RollupCounts, r: Rollup): string {
  const last = `${shortMonth(r.previousMonth)}未达标 ${c.belowLastMonth} 人`;
  return r.phase === 'current' ? `今日请假 ${c.onLeaveToday} 人 · ${last}` : last;
}

function townshipLine(t: RollupCounts & { name: string }, r: Rollup): string {
  return `· ${t.name} ${t.cadres} 人｜出勤率 ${pct(t.rate)}｜${statusLine(t, r)}｜${leaveLine(t, r)}`;
}

const STATUS_TAGS: Record<Exclude<ForecastStatus, 'on-track' | 'pending'>, string> = {
  'at-risk': '有风险',
  'cannot-reach': '无法完成',
};

function nameLine(c: AtRiskCadre, r: Rollup): string {
  const where = `${c.township}${c.village}`;
  if (r.phase === 'past') return `· ${c.name}（${where}）在村 ${c.present}/${c.target} 天，差 ${c.needed} 天`;
  return `· ${c.name}（${where}）在村 ${c.present}/${c.target} 天，还需 ${c.needed} 天，可在村 ${c.remaining} 天：${STATUS_TAGS[c.status]}`;
}

export const RATE_NOTE = '出勤率＝本月已过去的应在村日（任期内，不含法定放假和准假）中在村的比例，今天已签到的计入。';

/** To a sending unit's leader who asks for the county: their own roll-up is another command. */
export const unitPointer =
  '「全县考勤」仅供县委组织部和乡镇（街道）使用。本单位派出干部的考勤、请假和通知单，请发送「本单位情况」查看。';

export const GROUP_NOTE = '群聊中只显示合计，不列个人；分乡镇（街道）和个人情况请在应用中单独发送「全县考勤」查看。';

/** The roll-up as one message: totals, then (outside group chats) townships and the names needing attention. */
export function rollupReport(r: Rollup, v: RollupView): string {
  const when = r.phase === 'past' ? '（已结束）' : `（截至${md(r.today)}）`;
  const c = r.total;
  const lines = [
    `${v.scopeName}驻村考勤汇总 · ${monthName(r.month)}${when}`,
    `${c.cadres} 人，出勤率 ${pct(c.rate)}（应在村 ${c.eligibleDays} 人·天，在村 ${c.presentDays} 人·天）`,
    statusLine(c, r),
    leaveLine(c, r),
  ];
  if (v.perTownship && r.townships.length > 1)
    lines.push('', '各乡镇（街道）：', ...r.townships.map((t) => townshipLine(t, r)));
  const tail = [RATE_NOTE];
  if (v.inGroup) tail.unshift(GROUP_NOTE);
  if (v.names && r.atRisk.length) {
    lines.push('', r.phase === 'past' ? `未达标（${r.atRisk.length} 人）：` : `需关注（${r.atRisk.length} 人）：`);
    const fixed = Buffer.byteLength([...lines, ...tail].join('\n')) + 60;
    let used = fixed;
    let shown = 0;
    for (const a of r.atRisk) {
      const line = nameLine(a, r);
      used += Buffer.byteLength(line) + 1;
      if (used > BUDGET_BYTES) break;
      lines.push(line);
      shown += 1;
    }
    if (shown < r.atRisk.length) lines.push(`……另有 ${r.atRisk.length - shown} 人，见月度考勤表。`);
  }
  lines.push('', ...tail);
  return lines.join('\n');
}

export const badMonth = usage(rollupHelp, '月份写法不对，例如 2026-10 或 10月。');

export const tooManyWords = usage(rollupHelp, '只需写月份，或不写（本月）。');

export const futureMonth = (month: string) => `${monthName(month)}尚未开始，还没有可汇总的考勤。`;

export const noScope = '您没有负责的乡镇（街道），无法查看考勤汇总。如有疑问，请联系县委组织部。';

export const COUNTY = '全县';
