/** What people read about attendance figures: `考勤` / `我的考勤` and `zhucun attendance`. */
import type { ForecastStatus, MonthFigures } from '../src/attendance/accounting.js';
import type { YearFigures } from '../src/attendance/annual.js';
import type { DayMark } from '../src/attendance/days.js';
import type { CommandHelp } from '../src/kit/command-help.js';
import { dayLabel, fullDayLabel, monthLabel } from '../src/kit/date-label.js';
import { weekday } from '../src/kit/dates.js';
import { explainMonthlyTarget } from './calendar.js';
import { usage } from './common.js';

export const attendanceHelp: CommandHelp = {
  summary: '查看本人（或所管干部）某月在村天数、目标和进度',
  usage: '考勤 [姓名] [年-月]',
  examples: ['我的考勤', '考勤 2026-10', '考勤 王建国', '考勤 王建国 10月'],
};

export const STATUS_NAMES: Record<ForecastStatus, string> = {
  'on-track': '进度正常',
  'at-risk': '有完不成的风险',
  'cannot-reach': '已无法完成',
  pending: '待定',
};

/** Who the figures are about and what they are. */
export interface AttendanceView {
  /** The person reads their own figures. */
  self: boolean;
  name: string;
  village: string;
  sendingUnit: string;
  month: MonthFigures;
  year: YearFigures;
  /** The policy's `warnings.remind.neededShare` (0.8 = 80%). */
  neededShare: number;
}

const MARKS: Record<DayMark, string> = {
  present: '✓',
  'self-reported': '◐',
  pending: '○',
  leave: '假',
  off: '节',
  absent: '·',
  open: '\u3000',
  outside: '－',
};

const WEEK_HEADER = '    一 二 三 四 五 六 日';

const md = (date: string) => dayLabel(date);
const ymd = (date: string) => fullDayLabel(date);
const monthName = (month: string) => monthLabel(month);

/**
 * The month day by day, one row per week (Monday first), each row led by its first date, then the legend.
 * ✓ present, ◐ self-reported location, ○ self-reported location waiting for confirmation, 假 leave, 节 day off,
 * · absent, blank no data yet, － outside the term.
 */
export function dayGrid(days: readonly { date: string; mark: DayMark }[]): string {
  const rows: string[] = [WEEK_HEADER];
  let cells: string[] = [];
  let label = '';
  for (const d of days) {
    const column = (weekday(d.date) + 6) % 7;
    if (!cells.length) {
      label = `${String(Number(d.date.slice(8, 10))).padStart(2, ' ')}日`;
      cells = new Array<string>(column).fill('\u3000');
    }
    cells.push(MARKS[d.mark]);
    if (column === 6) {
      rows.push(`${label} ${cells.join(' ')}`);
      cells = [];
    }
  }
  if (cells.length) rows.push(`${label} ${cells.join(' ')}`);
  const outside = days.some((d) => d.mark === 'outside') ? ' －任期外' : '';
  const pending = days.some((d) => d.mark === 'pending') ? ' ○自报待确认' : '';
  rows.push(`✓在村 ◐自报位置${pending} 假请假 节放假 ·未在村 空白为尚无数据${outside}`);
  return rows.join('\n');
}

function presenceLine(f: { present: number; selfReported: number; presentLeave: number }): string {
  const parts: string[] = [];
  if (f.selfReported) parts.push(`自报位置 ${f.selfReported} 天`);
  if (f.presentLeave) parts.push(`公差、培训、会议计为在村 ${f.presentLeave} 天`);
  return `在村 ${f.present} 天${parts.length ? `（其中${parts.join('，')}）` : ''}`;
}

function monthForecast(m: MonthFigures, share: number): string {
  if (m.status === 'pending' || m.needed === null) return '在村天数照常记录；放假安排公布后再计算还需天数和进度。';
  if (m.phase === 'past') return m.needed ? `本月未达标，差 ${m.needed} 天。` : '本月已达标。';
  if (!m.needed) return '已达到本月目标。';
  const today = m.days.find((d) => d.date === m.today)?.mark === 'open' ? '（含今天）' : '';
  const head = `还需 ${m.needed} 天，本月还可在村 ${m.remaining} 天${today}：`;
  if (m.status === 'cannot-reach') return `${head}按剩余天数已无法完成本月目标。`;
  if (m.status === 'at-risk')
    return `${head}${STATUS_NAMES['at-risk']}（还需天数超过剩余天数的 ${Math.round(share * 100)}%）。`;
  return `${head}${STATUS_NAMES['on-track']}。`;
}

/** How the annual target was lowered from the minimum: a part of the period outside the term, excused leave. */
function annualShare(t: YearFigures['target']): string {
  const parts: string[] = [];
  if (t.termDays < t.periodDays) parts.push(`任期内 ${t.termDays} 天`);
  if (t.excusedDays) parts.push(`扣除准假 ${t.excusedDays} 天`);
  if (!parts.length) return '';
  return `，${parts.join('，')}，按每年 ${t.minimum} 天比例折算`;
}

function yearBlock(y: YearFigures): string[] {
  const { period, target } = y.target;
  const name =
    period.kind === 'term' ? `任期年 ${ymd(period.start)}至${ymd(period.end)}` : `${period.start.slice(0, 4)}年`;
  const share = annualShare(y.target);
  const lines = [`本年度（${name}）：${presenceLine(y)}，目标 ${target} 天${share}；按进度今天应达 ${y.pace} 天。`];
  if (!y.needed) lines.push('已达到年度目标。');
  else if (y.status === 'cannot-reach') lines.push(`年度目标已无法完成：还需 ${y.needed} 天，只剩 ${y.remaining} 天。`);
  else {
    const risk = y.status === 'at-risk' ? `年度进度${STATUS_NAMES['at-risk']}。` : '';
    lines.push(
      y.shortfallDate
        ? `${risk}按目前的在村频率，预计自 ${ymd(y.shortfallDate)}起将无法完成年度目标。`
        : `${risk}按目前的在村频率可以完成年度目标。`,
    );
  }
  if (y.uncoveredYears.length)
    lines.push(`${y.uncoveredYears.join('、')} 年放假安排尚未公布，这些月份的月目标${STATUS_NAMES.pending}。`);
  return lines;
}

/** The days waiting for confirmation, listed apart from the presence days: they are not counted yet. */
export function pendingLine(m: Pick<MonthFigures, 'days'>): string | undefined {
  const dates = m.days.filter((d) => d.mark === 'pending').map((d) => dayLabel(d.date));
  if (!dates.length) return undefined;
  return `待确认 ${dates.length} 天（${dates.join('、')}）：自报位置，待领队或乡镇（街道）确认后计入；以上在村天数和下面的进度都还没有计入这些天。`;
}

/** The whole answer: month summary with target and forecast, the annual period, and the day grid. */
export function attendanceReport(v: AttendanceView): string {
  const m = v.month;
  const when = m.phase === 'past' ? '（已结束）' : m.phase === 'future' ? '（尚未开始）' : `（截至${md(m.today)}）`;
  const who = v.self ? '您的考勤' : `${v.name}（${v.village}，${v.sendingUnit}）`;
  const lines = [`${who} · ${monthName(m.month)}${when}`];
  const t = m.target;
  if (t.status === 'set' && t.daysOutsideTerm === t.daysInMonth) lines.push('本月不在驻村任期内。');
  else {
    const pending = pendingLine(m);
    lines.push(
      `${presenceLine(m)}。`,
      ...(pending ? [pending] : []),
      explainMonthlyTarget(t),
      monthForecast(m, v.neededShare),
    );
  }
  lines.push('', ...yearBlock(v.year), '', dayGrid(m.days));
  return lines.join('\n');
}

export const nameNeeded = '请写上要查看的干部姓名，例如「考勤 王建国」或「考勤 王建国 2026-10」。';

export const onlyOwn = '只能查看本人的考勤，发送「我的考勤」即可。';

export const notInScope = (who: string) =>
  `在您的管理范围内没有找到「${who}」。请核对姓名，或改用企业微信账号（userid）查询。`;

export function ambiguous(who: string, matches: { userid: string; village: string }[]): string {
  const list = matches.map((c) => `${c.userid}（${c.village}）`).join('、');
  return `名叫「${who}」的有 ${matches.length} 位：${list}。请改用账号查询，例如「考勤 ${matches[0]!.userid}」。`;
}

export const badMonth = usage(attendanceHelp, '月份写法不对，例如 2026-10 或 10月。');

export const tooManyWords = usage(attendanceHelp, '一次只能查看一位干部。');

/** `zhucun attendance` for a userid that is not a cadre on the roster. */
export const unknownCadre = (userid: string) => `名册中没有驻村干部 ${userid}（请用企业微信账号 userid）。`;
