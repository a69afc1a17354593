/**
 * Texts of the 领队's view of their township: the weekly private digest and `本组情况`. WeCom markdown subset:
 * bold, `<font color>`. Cadres by work group, by village and name: no ranking.
 */
import { dayLabel, spanLabel } from '../src/kit/date-label.js';
import type { TeamCadre, TeamModel } from '../src/digest/team.js';
import type { CommandHelp } from '../src/kit/command-help.js';
import { monthText } from './digest.js';

const grey = (s: string | number) => `<font color="comment">${s}</font>`;
const warn = (s: string | number) => `<font color="warning">${s}</font>`;

function cadreLine(c: TeamCadre, date: string): string {
  const parts = [`本月 ${monthText(c.month)}`];
  if (c.leave) {
    const when = spanLabel(c.leave.start, c.leave.end, date);
    parts.push(c.leave.start <= date ? `请假中（${c.leave.type}，${when}）` : `将请假（${c.leave.type}，${when}）`);
  }
  parts.push(c.reportsWeek ? `近 7 天汇报 ${c.reportsWeek} 篇` : grey('近 7 天无汇报'));
  if (c.openProblems) parts.push(warn(`村里待办问题 ${c.openProblems} 个`));
  return `- **${c.name}**（${c.village}）：${parts.join('；')}`;
}

/** The title; `part` (2, 3, …) on the continued messages of a digest split at WeCom's size limit. */
export function teamTitle(m: Pick<TeamModel, 'township' | 'date'>, part?: number): string {
  return `**${m.township}驻村干部情况**（${dayLabel(m.date)}${part ? `，续 ${part}` : ''}）`;
}

/** The whole view; `why` is the last line (why this message came, or nothing on demand). */
export function teamReport(m: TeamModel, why?: string): string {
  const t = m.totals;
  const lines = [
    teamTitle(m),
    `共 ${t.cadres} 人；本月有风险 ${t.atRisk} 人，请假中 ${t.onLeave} 人，近 7 天汇报 ${t.reportsWeek} 篇，待办问题 ${t.openProblems} 个。`,
  ];
  for (const g of m.groups) {
    lines.push('', `**${g.name ?? '未编入工作小组的村'}**`);
    for (const c of g.cadres) lines.push(cadreLine(c, m.date));
  }
  if (why) lines.push('', grey(why));
  return lines.join('\n');
}

export const teamWeeklyWhy = '您是本乡镇（街道）的领队，每周收到本乡镇（街道）驻村干部的情况。';

export const teamStatusHelp: CommandHelp = {
  summary: '领队查看本乡镇（街道）驻村干部本月在村天数、请假、汇报和待办问题，按工作小组列出',
  usage: '本组情况 [乡镇（街道）]',
  examples: ['本组情况', '本组情况 新田乡'],
};
export const notTeamLeader =
  '“本组情况”供领队和乡镇（街道）负责同志查看本乡镇（街道）的驻村干部；您不是领队，查看自己的情况请发“我的考勤”。';
export const noCadres = '本乡镇（街道）目前没有在岗的驻村干部。';
export const usage = '请发“本组情况”，或“本组情况 乡镇（街道）名称”查看其中一个。';
export const unknownTownship = (name: string, mine: string[]) =>
  `没有名为“${name}”的乡镇（街道）。您可以查看：${mine.join('、')}。`;
export const notInScope = (name: string, mine: string[]) =>
  `您不负责${name}，不能查看那里的驻村干部。您可以查看：${mine.join('、')}。`;
export const whichTownship = (mine: string[]) =>
  `请说明查看哪个乡镇（街道），例如“本组情况 ${mine[0]}”。您可以查看：${mine.join('、')}。`;
