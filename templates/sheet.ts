/**
 * What the monthly attendance sheet (考勤表) says: the title, the column headers, the mark of each day, the
 * status words, and the 说明 sheet (marks, how days are counted, where a check-in comes from).
 */
import { fullDayLabel, monthLabel } from '../src/kit/date-label.js';
import type { ForecastStatus, MonthFigures } from '../src/attendance/accounting.js';
import type { DayMark } from '../src/attendance/days.js';
import type { CheckinSource, Trust } from '../src/attendance/record.js';
import type { LeaveClass } from '../src/leave/workflow.js';
import type { MonthlyRule, SelfReported } from '../src/policy/policy.js';
import { PENDING, RULE_NAMES } from './calendar.js';
import { sourceName } from './checkin.js';

const monthName = (month: string) => monthLabel(month);
const ymd = (date: string) => fullDayLabel(date);

/** Name of the month's worksheet (no characters Excel forbids in sheet names). */
export const monthSheetName = (month: string) => `${monthName(month)}考勤`;

export const NOTES_SHEET = '说明';

/** The title row: `<county> 驻村干部 YYYY年M月 考勤表`. */
export const title = (county: string | undefined, month: string) =>
  `${county ? `${county} ` : ''}驻村干部 ${monthName(month)} 考勤表`;

/** The line under the title: as of when, and why targets are pending when the year has no holiday data. */
export function asOf(o: {
  phase?: MonthFigures['phase'];
  today?: string;
  cadres: number;
  uncoveredYear?: number;
  /** The month is closed: the figures are as of its closing, which the basis line dates. */
  closed?: boolean;
}): string {
  const { phase, today, uncoveredYear } = o;
  const parts: string[] = [];
  if (!o.cadres || !today) parts.push('本月没有在任的驻村干部');
  else if (o.closed) {
    // The closing date stands in the basis line; an export date would make a closed month's file change daily.
  } else if (phase === 'past') parts.push(`本月已结束，${ymd(today)}导出`);
  else if (phase === 'future') parts.push(`本月尚未开始，${ymd(today)}导出`);
  else parts.push(`统计截至 ${ymd(today)}（今天尚未签到的为空白，不算未在村）`);
  if (uncoveredYear !== undefined) parts.push(`${uncoveredYear} 年放假安排尚未公布，表中未标放假日，月目标${PENDING}`);
  return parts.length ? `${parts.join('；')}。` : '';
}

/** Which policy a month was counted under and whether it is closed (the day it was closed, `YYYY-MM-DD`). */
export interface SheetBasis {
  closedOn?: string;
  /** The first day of the policy version applied; absent when no version is registered. */
  effectiveFrom?: string;
  /** The month's last day: a version registered only after it is the first one, applied to earlier months too. */
  monthEnd?: string;
}

/** The line saying whether the month is closed and which policy applied, after the as-of line. */
export function basisLine(b: SheetBasis): string {
  const closed = b.closedOn
    ? `本月已于${ymd(b.closedOn)}关账，表中为关账时的数字，之后政策、名册或数据的变化不再改变它`
    : '本月尚未关账，数字随签到、请假等数据更新';
  const policy = !b.effectiveFrom
    ? '适用现行政策'
    : b.monthEnd && b.effectiveFrom > b.monthEnd
      ? `适用${ymd(b.effectiveFrom)}首次登记的政策（登记前的月份也按它计算）`
      : `适用${ymd(b.effectiveFrom)}起施行的政策`;
  return `${closed}；${policy}。`;
}

/** Printed at the foot of each page (Excel header/footer codes: &C centre, &P page, &N pages). */
export const FOOTER = '&C第 &P 页，共 &N 页';

export const HEADERS = {
  township: '乡镇（街道）',
  village: '村',
  name: '姓名',
  role: '职务',
  unit: '派出单位',
  present: '在村天数',
  selfReported: '其中自报',
  leave: '请假天数',
  target: '月目标',
  gap: '差额',
  status: '状态',
} as const;

/** The year-to-date group: its header over three columns, and theirs. */
export const YEAR_HEADER = '年度累计';
export const YEAR_HEADERS = { present: '在村天数', pace: '应达天数', target: '年度目标' } as const;

/** The signature block under each table (blank lines to fill in by hand, the unit's name when the sheet has one). */
export const signature = (unit: string | undefined) =>
  [`填报单位：${unit ?? ''}`, '审核人：', '日期：　　年　　月　　日'] as const;

/** Name of a sending unit's worksheet: no characters Excel forbids, at most 31 characters. */
export function unitSheetName(unit: string): string {
  const clean = unit.replace(/[:\\/?*[\]]/g, '_').replace(/^'+|'+$/g, '');
  return [...clean].slice(0, 31).join('') || '_';
}

/** The title of a sending unit's worksheet: `<county> <unit> 驻村干部 YYYY年M月 考勤表`. */
export const unitTitle = (county: string | undefined, unit: string, month: string) =>
  `${county ? `${county} ` : ''}${unit} 驻村干部 ${monthName(month)} 考勤表`;

/** Weekday under each day number, by `weekday()` (0 = Sunday). */
export const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'] as const;

/** The mark in a day's cell (same symbols as the chat's day line; a day not yet over is blank). */
export const MARKS: Record<DayMark, string> = {
  present: '✓',
  'self-reported': '◐',
  pending: '○',
  leave: '假',
  off: '节',
  absent: '·',
  open: '',
  outside: '－',
};

export { PENDING };

/** The status column: the forecast while the month runs, met or missed once it is over. */
export function statusWord(status: ForecastStatus, phase: MonthFigures['phase']): string {
  if (status === 'pending') return PENDING;
  if (phase === 'past') return status === 'on-track' ? '已达标' : '未达标';
  return { 'on-track': '按计划', 'at-risk': '有风险', 'cannot-reach': '无法完成' }[status];
}

const LEAVE_CLASS_NOTES: Record<LeaveClass, string> = {
  present: '计为在村',
  excused: '准假，从月目标中扣除',
  absent: '不计为在村',
};

/** The note on a 假 cell: the type of leave and how it counts. */
export const leaveNote = (type: string, cls: LeaveClass) => `${type}（${LEAVE_CLASS_NOTES[cls]}）`;

/** The note on a day's header: the holiday it belongs to. */
export const holidayNote = (name: string, off: boolean) => `${name}${off ? '放假' : '调休上班'}`;

/** The legend printed under the table, so a printed page explains itself. */
export const LEGEND =
  '✓在村（定位核验或补登确认） ◐自报位置（自选地点） ○自报位置待确认（尚未计入） 假请假（绿底为公差、培训、会议，计为在村） 节法定放假 ·未在村 空白为尚无数据 －任期外；详见「说明」页。';

/** The county's rules the 说明 sheet explains: the policy's `checkin.selfReported` and `checkin.backfillHours`. */
export interface SheetRules {
  selfReported: SelfReported;
  backfillHours: number;
}

const SELF_REPORTED_RULE: Record<SelfReported, string> = {
  confirm: '按本县规定，经领队或乡镇（街道）确认后计入在村天数（自报·已确认）',
  count: '按本县规定直接计入在村天数',
  refuse: '按本县规定不计入在村天数（此标记只见于规定改变之前的记录）',
};

/** 说明: what each mark means. */
export function markRows(rules: SheetRules): [string, string][] {
  return [
    [
      '✓',
      '在村：当天在村内签到，且签到来源为定位核验（签到页定位、企业微信打卡、自动上报位置）或经领队、乡镇（街道）确认的补登。',
    ],
    [
      '◐',
      `自报位置：当天只有在聊天中发送的位置（可在地图上任选地点），${SELF_REPORTED_RULE[rules.selfReported]}，单独标出，供核查。`,
    ],
    [
      '○',
      '自报位置待确认：当天只有在村范围内的自报位置，尚待领队或乡镇（街道）确认，确认前不计入在村天数；驳回后改记为未在村。',
    ],
    ...MARK_ROWS_REST,
  ];
}

const MARK_ROWS_REST: [string, string][] = [
  [
    '假',
    '请假（已批准）：绿底为公差、培训、会议等，计为在村；黄底为病假、婚假、丧假、产假、陪产假等准假，从月目标中扣除；灰底为事假等，不计为在村。单元格批注写明假别。',
  ],
  ['节', '法定放假日（国务院办公厅放假安排，含其中的周末），当天未签到。放假日在村签到的仍记 ✓ 并计入在村天数。'],
  ['·', '未在村：当天已过去，没有签到，也没有请假。'],
  ['（空白）', '尚无数据：今天还没签到，或日期未到。一天结束前不算未在村。'],
  ['－', '不在驻村任期内。'],
];

const TARGET_RULES: Record<MonthlyRule, (m: number) => string> = {
  prorate: (m) => `每月 ${m} 天 × 应在村天数 ÷ 当月天数，向上取整；应在村天数＝任期内天数 − 法定放假日 − 准假天数`,
  subtract: (m) => `每月 ${m} 天（任期不满一个月的按任期内天数折算）减去法定放假日和准假天数`,
  fixed: (m) => `每月 ${m} 天（任期不满一个月的按任期内天数折算），不因放假和请假减少`,
};

/** 说明: how the totals are counted, with the month's target rule when it is known. */
export function countingRows(rule: { minimum: number; rule: MonthlyRule } | undefined): string[] {
  const target = rule
    ? `月目标（${RULE_NAMES[rule.rule]}）：${TARGET_RULES[rule.rule](rule.minimum)}。`
    : `月目标：所在年份的放假安排尚未公布，月目标${PENDING}；公布后按本县规则扣除法定放假日和准假天数计算。`;
  return [
    '在村天数：任期内有在村签到（含补登）的天数，加上计为在村的请假（公差、培训、会议）天数；周末和放假日在村也算；待确认（○）的天数不计入。',
    '其中自报：在村天数中只靠自报位置（◐）计入的天数。',
    '请假天数：表中标「假」的天数（已批准的请假，含本月尚未到来的已批准假期）。',
    target,
    `差额：距月目标还差的天数（已达到为 0）；月目标${PENDING}时为「${PENDING}」。`,
    '年度累计：年度（政策规定的任期年度或自然年度）开始至本月末的在村天数；应达天数为按年度目标均匀分摊到本月末应有的天数；年度目标扣除准假天数。本月尚未结束的，算至今天。',
    `状态：按计划；有风险（还需天数超过本月剩余可在村天数的规定比例）；无法完成（还需天数超过剩余天数）；${PENDING}。已结束的月份写「已达标」或「未达标」。`,
  ];
}

const TRUST_NAMES: Record<Trust, string> = { verified: '定位核验', 'self-reported': '自报', confirmed: '人工确认' };

const MESSAGE_MARK: Record<SelfReported, string> = { confirm: '○，确认后 ◐', count: '◐', refuse: '不计入' };

function sourceHow(rules: SheetRules): Record<CheckinSource, { how: string; trust: Trust; mark: string }> {
  return {
    page: { how: '在企业微信应用中打开签到页，手机定位', trust: 'verified', mark: '✓' },
    wecom: { how: '企业微信自带的打卡应用，带异常标记（地点异常、非常用设备等）', trust: 'verified', mark: '✓' },
    auto: { how: '应用开启「上报地理位置」后自动上报', trust: 'verified', mark: '✓' },
    message: {
      how: '在聊天中点「+ → 位置」发送，可在地图上任选一点',
      trust: 'self-reported',
      mark: MESSAGE_MARK[rules.selfReported],
    },
    backfill: {
      how: `漏签后 ${rules.backfillHours} 小时内说明原因，经领队或乡镇（街道）确认`,
      trust: 'confirmed',
      mark: '✓',
    },
  };
}

export const SOURCE_HEADER = ['签到来源', '方式', '可信程度', '表中标记'] as const;

/** 说明: each check-in source, so a supervisor can tell a phone's location from a point picked on the map. */
export function sourceRows(rules: SheetRules): string[][] {
  const how = sourceHow(rules);
  return (Object.keys(how) as CheckinSource[]).map((source) => {
    const s = how[source];
    return [sourceName({ source }), s.how, TRUST_NAMES[s.trust], s.mark];
  });
}

export const NOTES_TITLES = { marks: '一、标记', counting: '二、计算方法', sources: '三、签到来源' } as const;

export const MARK_HEADER = ['标记', '含义'] as const;
