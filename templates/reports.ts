/** What people read about work reports (汇报) and the 六个一 checklist. */
import type { CommandHelp } from '../src/kit/command-help.js';
import { dayLabel, momentLabel, spanLabel } from '../src/kit/date-label.js';
import { withoutTags, type ReportTag } from '../src/kit/report-tags.js';
import type { Report } from '../src/reports/report.js';
import type { SixOnesItem, SixOnesProgress } from '../src/reports/six-ones.js';

export const help = {
  report: {
    summary: '提交工作汇报（可带 #走访 #党课 #实事 #村民说事 #计划 #承诺 #困难）；领导可查看干部汇报',
    usage: '汇报 内容 ｜ 汇报 姓名 [日期]',
    examples: [
      '汇报 #走访 3户 了解春耕用种情况',
      '走访：入户看望两位独居老人 2户',
      '汇报 #困难 村里灌溉水渠渗漏，需协调维修',
      '汇报 王建国 昨天',
    ],
  },
  myReports: { summary: '查看自己最近的汇报和编号', usage: '我的汇报', examples: ['我的汇报'] },
  reportEdit: {
    summary: '在提交后的时限内更正自己的汇报',
    usage: '修改汇报 编号 新内容',
    examples: ['修改汇报 H1001 #走访 4户 了解春耕用种情况'],
  },
  sixOnes: {
    summary: '查看到村第一个月“六个一”完成情况',
    usage: '六个一 [姓名]',
    examples: ['六个一', '六个一 李晓燕'],
  },
} satisfies Record<string, CommandHelp>;

/** The six items as the rule names them (the chat's 六个一 and the dashboard's cadre page). */
export const SIX_ONES_NAMES: Record<SixOnesItem, string> = {
  visit: '走访全村农户一遍',
  lecture: '讲一次党课',
  practical: '办一件实事',
  talk: '召开一次村民说事会',
  plan: '制定一份工作计划',
  pledge: '作一次公开承诺',
};

const when = (iso: string): string => momentLabel(iso);
const shortDate = (date: string): string => dayLabel(date);

/** The county's time limits on reports (`reports.editHours`, `reports.photoMinutes` of the policy). */
export interface ReportWindows {
  editHours: number;
  photoMinutes: number;
}

const editHint = (hours: number) => `${hours} 小时内可用「修改汇报 编号 新内容」更正。`;

function snippet(raw: string, max: number): string {
  const text = raw.replace(/\s+/g, ' ');
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}

/** `#走访(3户) #党课` */
export function tagList(r: Pick<Report, 'tags' | 'households'>): string {
  return r.tags.map((t: ReportTag) => (t === '走访' ? `#走访（${r.households}户）` : `#${t}`)).join(' ');
}

function extras(r: Report): string {
  const parts: string[] = [];
  if (r.images.length) parts.push(`照片${r.images.length}张`);
  if (r.editedAt) parts.push('已修改');
  return parts.length ? `（${parts.join('，')}）` : '';
}

export interface SavedView {
  no: string;
  report: Pick<Report, 'tags' | 'households'>;
  /** Names the #困难 report was forwarded to; undefined when it has no such tag. */
  forwardedTo?: string[];
  /** One-line 六个一 progress when the report counts for it. */
  sixOnes?: SixOnesProgress;
  windows: ReportWindows;
}

export function saved(v: SavedView): string {
  const tags = v.report.tags.length ? `，标签：${tagList(v.report)}` : '';
  const lines = [`汇报已记录，编号 ${v.no}${tags}。`];
  if (v.forwardedTo) {
    lines.push(
      v.forwardedTo.length
        ? `困难已转给 ${v.forwardedTo.join('、')}，请留意回复。`
        : '名册中没有本乡镇（街道）的领队或负责同志，困难未能转出，请直接联系乡镇（街道）。',
    );
  }
  if (v.sixOnes) lines.push(`“六个一”已完成 ${v.sixOnes.doneCount}/6，发送「六个一」查看详情。`);
  lines.push(
    `如需补充照片（非必需），${v.windows.photoMinutes} 分钟内在本聊天直接发送即可；${editHint(v.windows.editHours)}`,
  );
  return lines.join('\n');
}

export const emptyReport = (h: CommandHelp) => `请写上汇报内容。\n用法：${h.usage}\n例如：${h.examples[0]}`;
export const tooLong = (max: number) => `汇报内容太长（最多 ${max} 字），请分几条发送。`;
export const supervisorNeedsName = '请写上要查看的干部姓名，例如「汇报 王建国」或「汇报 王建国 昨天」。';
export const notFound = (name: string) => `名册中没有名为「${name}」的驻村干部，请核对姓名。`;
export const notVisible = (name: string) => `「${name}」不在您可查看的范围内，无法查看其汇报。`;
export const ambiguous = (name: string, where: string[]) =>
  `名册中有 ${where.length} 位「${name}」（${where.join('、')}），请改用企业微信账号（userid）查询。`;
export const badDate = (word: string) => `看不懂日期「${word}」。可以写 2026-11-18、11月18日、今天、昨天。`;
export const readInGroup = '个人汇报只在与本助手的单聊中查看，请在应用内发送。';

export const imageAttached = (no: string, count: number) => `照片已附到汇报 ${no}（共 ${count} 张）。`;
export const imageNoReport = (minutes: number) =>
  `收到照片。如需附在汇报里，请先发送「汇报 内容」，再在 ${minutes} 分钟内发送照片。照片不是必需的。`;
export const imageNotCadre = '收到照片。本助手只把照片附到驻村干部的工作汇报中。';

export function myReports(reports: Report[], total: number, editHours: number): string {
  if (!reports.length) return `您还没有汇报。发送「汇报 内容」提交，例如「汇报 #走访 3户 了解春耕用种情况」。`;
  const shown = total > reports.length ? `共 ${total} 条，显示最近 ${reports.length} 条` : `共 ${total} 条`;
  const lines = [`您最近的汇报（${shown}）：`];
  for (const r of reports) {
    const tags = r.tags.length ? ` ${tagList(r)}` : '';
    lines.push(`${r.no} ${when(r.createdAt)}${tags} ${snippet(withoutTags(r.text), 30)}${extras(r)}`);
  }
  lines.push(editHint(editHours));
  return lines.join('\n');
}

export function readReports(v: {
  name: string;
  place: string;
  reports: Report[];
  total: number;
  date?: string;
}): string {
  const scope = v.date ? `${shortDate(v.date)}的汇报` : '最近的汇报';
  if (!v.reports.length) return `${v.place} ${v.name}${v.date ? `${shortDate(v.date)}没有汇报。` : '还没有汇报。'}`;
  const shown = v.total > v.reports.length ? `共 ${v.total} 条，显示最近 ${v.reports.length} 条` : `共 ${v.total} 条`;
  const lines = [`${v.place} ${v.name}${scope}（${shown}）：`];
  const max = v.reports.length <= 3 ? 200 : 60;
  for (const r of v.reports) {
    const tags = r.tags.length ? ` ${tagList(r)}` : '';
    lines.push(`${r.no} ${when(r.createdAt)}${tags}${extras(r)}`, `  ${snippet(r.text, max)}`);
  }
  return lines.join('\n');
}

export const editUsage = (h: CommandHelp) => `请写上编号和新内容。\n用法：${h.usage}\n例如：${h.examples[0]}`;
export const editNotFound = (no: string) => `没有找到汇报 ${no}，请发送「我的汇报」核对编号。`;
export const editNotYours = (no: string) => `汇报 ${no} 不是您提交的，只能修改自己的汇报。`;
export const editTooLate = (no: string, createdAt: string, hours: number) =>
  `汇报 ${no} 提交于 ${when(createdAt)}，已超过 ${hours} 小时，不能再修改。如需补充，请提交一条新汇报。`;
export function edited(no: string, r: Pick<Report, 'tags' | 'households'>, forwardedTo?: string[]): string {
  const tags = r.tags.length ? `，标签：${tagList(r)}` : '';
  const lines = [`汇报 ${no} 已更正${tags}。`];
  if (forwardedTo) {
    lines.push(
      forwardedTo.length
        ? `困难已转给 ${forwardedTo.join('、')}。`
        : '名册中没有本乡镇（街道）的领队或负责同志，困难未能转出。',
    );
  }
  return lines.join('\n');
}

export const sixOnesNeedName = '请写上要查看的干部姓名，例如「六个一 李晓燕」。';

export function sixOnes(name: string, p: SixOnesProgress): string {
  const head =
    p.phase === 'before'
      ? `${name}的“六个一”：任期从 ${shortDate(p.start)} 开始，第一个月到 ${shortDate(p.end)}。`
      : p.phase === 'during'
        ? `${name}的“六个一”：第一个月到 ${shortDate(p.end)}，还剩 ${p.daysLeft} 天。`
        : `${name}的“六个一”：第一个月（${spanLabel(p.start, p.end)}）已结束。`;
  const lines = [head];
  for (const i of p.items) {
    const extra =
      i.item === 'visit'
        ? `（${p.households.visited}${p.households.target ? `/${p.households.target}` : ''} 户${p.households.target ? '' : '，名册未登记总户数'}）`
        : i.reports.length
          ? `（${i.reports.join('、')}）`
          : '';
    lines.push(`${i.done ? '✓' : '✗'} ${SIX_ONES_NAMES[i.item]}${extra}`);
  }
  lines.push(
    `已完成 ${p.doneCount}/6。${p.complete ? '全部完成。' : '汇报时加上 #走访 #党课 #实事 #村民说事 #计划 #承诺 即可计入。'}`,
  );
  return lines.join('\n');
}
