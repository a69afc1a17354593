/** Text of the holiday calendar and of attendance targets: the `zhucun calendar` table and target explanations. */
import type { MonthlyTarget } from '../src/attendance/targets.js';
import type { MonthlyRule } from '../src/policy/policy.js';

export const RULE_NAMES: Record<MonthlyRule, string> = {
  prorate: '按比例折算',
  subtract: '扣减放假天数',
  fixed: '固定天数',
};

/** What a target reads when its year's holiday notice is not loaded. */
export const PENDING = '待定';

/** One month of the calendar table; null where the year has no data. */
export interface CalendarRow {
  month: number;
  days: number;
  daysOff: number | null;
  makeupWorkdays: number | null;
  workdays: number | null;
  target: number | null;
}

/** Display width: a CJK character takes two columns in a terminal. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\uffff]/.test(ch) ? 2 : 1;
  return w;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

const HEADERS = ['月份', '天数', '放假', '调休上班', '法定工作日', '月目标'];

/** The year's table for a cadre in post the whole month, followed by a note when the year has no data. */
export function calendarTable(
  year: number,
  rows: CalendarRow[],
  opts: { minimum: number; rule: MonthlyRule; covered: boolean; source?: 'package' | 'override' },
): string {
  const show = (v: number | null) => (v === null ? PENDING : String(v));
  const cells = rows.map((r) => [
    `${r.month}月`,
    String(r.days),
    show(r.daysOff),
    show(r.makeupWorkdays),
    show(r.workdays),
    show(r.target),
  ]);
  const widths = HEADERS.map((h, i) => Math.max(width(h), ...cells.map((c) => width(c[i]!))) + 2);
  const line = (c: string[]) =>
    c
      .map((v, i) => pad(v, widths[i]!))
      .join('')
      .trimEnd();
  const out = [
    `${year} 年放假安排与每月在村目标（整月在岗；规则：${RULE_NAMES[opts.rule]}，每月 ${opts.minimum} 天）`,
    line(HEADERS),
    ...cells.map(line),
  ];
  if (opts.covered)
    out.push(
      `数据来源：${opts.source === 'override' ? '本县导入的放假安排文件（ZHUCUN_HOLIDAYS）' : '国务院办公厅放假安排（chinese-days 数据包）'}`,
    );
  else out.push(uncoveredYear(year));
  return `${out.join('\n')}\n`;
}

/** The note for a year whose State Council notice is not loaded: targets are pending, and how to add it. */
export function uncoveredYear(year: number): string {
  return [
    `${year} 年的放假安排尚未公布或尚未导入，放假天数和月目标${PENDING}（在村天数照常记录）。`,
    `国务院办公厅通知发布后，请按 holiday-cn 的 JSON 格式保存当年安排，并用环境变量 ZHUCUN_HOLIDAYS 指向该文件或所在文件夹：`,
    `  {"year": ${year}, "days": [{"name": "元旦", "date": "${year}-01-01", "isOffDay": true}, …]}`,
    `  其中 isOffDay 为 true 的是放假日，为 false 的是调休上班日。`,
  ].join('\n');
}

/** Why a monthly target is what it is, for the cadre and their supervisors. */
export function explainMonthlyTarget(t: MonthlyTarget): string {
  if (t.status === 'pending') return `月目标${PENDING}：${t.year} 年放假安排尚未公布。`;
  const parts = [`本月 ${t.daysInMonth} 天`];
  if (t.daysOutsideTerm) parts.push(`任期外 ${t.daysOutsideTerm} 天`);
  if (t.daysOff) parts.push(`法定放假 ${t.daysOff} 天`);
  if (t.excusedDays) parts.push(`准假 ${t.excusedDays} 天`);
  const partial = t.daysOutsideTerm ? '按任期内天数折算后' : '';
  const basis =
    t.rule === 'prorate'
      ? `应在村 ${t.eligibleDays} 天，按每月 ${t.minimum} 天折算`
      : t.rule === 'subtract'
        ? `每月 ${t.minimum} 天${partial}扣减放假和准假天数`
        : `每月固定 ${t.minimum} 天${t.daysOutsideTerm ? '，按任期内天数折算' : ''}`;
  return `月目标 ${t.target} 天（${parts.join('，')}；${basis}）。`;
}
