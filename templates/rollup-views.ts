/**
 * Texts of the roll-ups below the county: `本乡情况` (a township's supervisors), `本单位情况` (a sending unit's
 * leaders) and the monthly summary a sending unit gets. WeCom markdown subset: bold, `<font color>`. Totals as
 * `全县考勤` gives them; cadres by village and name (a unit's also by township), never by their figures.
 */
import { dayLabel, monthLabel, spanLabel } from '../src/kit/date-label.js';
import type { CommandHelp } from '../src/kit/command-help.js';
import type { SummaryCadre, TownshipView, UnitSummary, UnitView, ViewCadre } from '../src/rollup/views.js';
import type { Rollup } from '../src/rollup/rollup.js';
import { monthText } from './digest.js';
import { leaveLine, pct, RATE_NOTE, statusLine } from './rollup.js';

const grey = (s: string | number) => `<font color="comment">${s}</font>`;
const warn = (s: string | number) => `<font color="warning">${s}</font>`;

/** The totals of a roll-up in two lines, as `全县考勤` counts them. */
function totals(r: Rollup): string[] {
  const c = r.total;
  return [
    `共 ${c.cadres} 人，本月出勤率 ${pct(c.rate)}（应在村 ${c.eligibleDays} 人·天，在村 ${c.presentDays} 人·天）。`,
    `${statusLine(c, r)}；${leaveLine(c, r)}。`,
  ];
}

function cadreParts(c: ViewCadre, date: string): string[] {
  const parts = [`本月 ${monthText(c.month)}`];
  if (c.year) parts.push(`今年 ${c.year.present}/${c.year.target} 天`);
  if (c.leave) {
    const when = spanLabel(c.leave.start, c.leave.end, date);
    parts.push(c.leave.start <= date ? `请假中（${c.leave.type}，${when}）` : `将请假（${c.leave.type}，${when}）`);
  }
  if (c.openNotices) parts.push(warn(`未办结通知单 ${c.openNotices} 份`));
  return parts;
}

export const townshipStatusHelp: CommandHelp = {
  summary: '乡镇（街道）负责同志查看本乡镇（街道）各村驻村干部本月在村天数、待审批请假、通知单和待办问题',
  usage: '本乡情况 [乡镇（街道）]',
  examples: ['本乡情况', '本乡情况 新田乡'],
};

/** `本乡情况`: the township's totals, what waits, then its villages and their cadres. */
export function townshipReport(v: TownshipView): string {
  const mine = v.waitingOnViewer ? `（其中等您审批 ${v.waitingOnViewer} 件）` : '';
  const lines = [
    `**${v.township}驻村情况**（${dayLabel(v.date)}）`,
    ...totals(v.rollup),
    `待审批请假 ${v.pendingLeave} 件${mine}，未办结通知单 ${v.openNotices} 份，待办问题 ${v.openProblems} 个。`,
  ];
  for (const village of v.villages) {
    lines.push('', `**${village.name}**`);
    for (const c of village.cadres) {
      const parts = cadreParts(c, v.date);
      if (c.openProblems) parts.push(warn(`村里待办问题 ${c.openProblems} 个`));
      lines.push(`- **${c.name}**：${parts.join('；')}`);
    }
  }
  if (!v.villages.length) lines.push('', '本乡镇（街道）目前没有在岗的驻村干部。');
  lines.push('', grey(RATE_NOTE));
  return lines.join('\n');
}

export const townshipUsage = '请发“本乡情况”，或“本乡情况 乡镇（街道）名称”查看其中一个。';
export const townshipNotSupervisor =
  '“本乡情况”供乡镇（街道）负责同志和县委组织部查看；领队查看本乡镇（街道）的驻村干部请发“本组情况”。';
export const unknownTownship = (name: string, mine: string[]) =>
  `没有名为“${name}”的乡镇（街道）。您可以查看：${mine.join('、')}。`;
export const townshipNotInScope = (name: string, mine: string[]) =>
  `您不负责${name}，不能查看那里的驻村干部。您可以查看：${mine.join('、')}。`;
export const whichTownship = (mine: string[]) =>
  `请说明查看哪个乡镇（街道），例如“本乡情况 ${mine[0]}”。您可以查看：${mine.join('、')}。`;

export const unitStatusHelp: CommandHelp = {
  summary: '派出单位负责同志查看本单位派出的驻村干部本月和今年的在村天数、请假和通知单',
  usage: '本单位情况 [单位名称]',
  examples: ['本单位情况', '本单位情况 县财政局'],
};

/** `本单位情况`: the unit's totals, then its cadres by township, village and name. */
export function unitReport(v: UnitView): string {
  const lines = [
    `**${v.unit}派出的驻村干部**（${dayLabel(v.date)}）`,
    ...totals(v.rollup),
    `待审批请假 ${v.pendingLeave} 件，未办结通知单 ${v.openNotices} 份。`,
    '',
  ];
  for (const c of v.cadres)
    lines.push(`- **${c.name}**（${c.township}${c.village}）：${cadreParts(c, v.date).join('；')}`);
  if (!v.cadres.length) lines.push('本单位目前没有在岗的驻村干部。');
  lines.push('', grey(RATE_NOTE));
  return lines.join('\n');
}

export const unitUsage = '请发“本单位情况”，或“本单位情况 单位名称”查看其中一个。';
export const notUnitLeader = '“本单位情况”供派出单位负责同志查看本单位派出的驻村干部；查看自己的情况请发“我的考勤”。';
export const unitNotInScope = (name: string, mine: string[]) =>
  `您不负责“${name}”，不能查看其派出的驻村干部。您可以查看：${mine.join('、')}。`;
export const whichUnit = (mine: string[]) =>
  `请说明查看哪个单位，例如“本单位情况 ${mine[0]}”。您可以查看：${mine.join('、')}。`;

function summaryLine(c: SummaryCadre): string {
  const parts = [`在村 ${monthText(c.month)}`];
  parts.push(`今年 ${c.year.present}/${c.year.target} 天`);
  if (c.leave.length) parts.push(`请假 ${c.leave.map((l) => `${l.type} ${l.days} 天`).join('、')}`);
  return `- **${c.name}**（${c.township}${c.village}）：${parts.join('；')}`;
}

/** The title of a unit's monthly summary; `part` on the continued messages of a summary split at the size limit. */
export function unitSummaryTitle(s: Pick<UnitSummary, 'unit' | 'month'>, part?: number): string {
  return `**${s.unit}驻村干部${monthLabel(s.month)}情况**${part ? `（续 ${part}）` : ''}`;
}

/** A sending unit's monthly summary of its own cadres (a closed month). */
export function unitSummary(s: UnitSummary): string {
  const c = s.rollup.total;
  const lines = [
    unitSummaryTitle(s),
    `共 ${c.cadres} 人，出勤率 ${pct(c.rate)}（应在村 ${c.eligibleDays} 人·天，在村 ${c.presentDays} 人·天）。`,
    `${statusLine(c, s.rollup)}。`,
    `本月开具通知单 ${s.noticesIssued} 份，目前未办结 ${s.openNotices} 份。`,
    '',
    ...s.cadres.map(summaryLine),
  ];
  if (!s.cadres.length) lines.push('本月没有本单位派出的在岗驻村干部。');
  lines.push('', grey(unitSummaryWhy));
  return lines.join('\n');
}

export const unitSummaryWhy =
  '您是本单位派出驻村干部的负责同志，每月关账后收到上月情况；随时可发“本单位情况”查看本月。';
