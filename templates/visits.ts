/** What leaders read about visits (到村调研): replies, the page, `走访记录`, the reminder and the digest lines. */
import type { CommandHelp } from '../src/kit/command-help.js';
import { dayLabel, momentLabel, spanLabel } from '../src/kit/date-label.js';

export const help = {
  visit: {
    summary: '到村调研：在村里打开签到页定位，记录到村（可写明调研内容，之后可发照片）',
    usage: '到村 村名 [调研内容]',
    examples: ['到村 北堡村', '到村 北堡村 调研指导冬季取暖和产业项目'],
  },
  visits: {
    summary: '查看到村调研记录（按村和派出单位）',
    usage: '走访记录 [村名或派出单位]',
    examples: ['走访记录', '走访记录 北堡村', '走访记录 县财政局'],
  },
} satisfies Record<string, CommandHelp>;

const AS_NAMES = { mainLeader: '主要领导', deputy: '分管领导' } as const;
export type LeaderAs = keyof typeof AS_NAMES;

function km(m: number): string {
  return m >= 1000 ? `${(m / 1000).toFixed(1)} 公里` : `${m} 米`;
}

export const notAVisitor =
  '「到村」供四包一联系人、派出单位领导和县级领导记录到村调研，您的身份无法使用。驻村干部请用「签到」。';

export const needVillage = (names: string[]) =>
  `请写明到哪个村，例如「到村 ${names[0] ?? '北堡村'}」。本县的选派村：${names.join('、')}。`;

export const unknownVillage = (word: string, names: string[]) =>
  `名册中没有「${word}」这个村。本县的选派村：${names.join('、')}。`;

export const noteTooLong = (max: number) => `调研内容最多 ${max} 字，请精简后再发送。`;

export const visitCard = {
  title: '到村调研',
  description: (village: string, note?: string) =>
    `点击打开签到页，用手机定位记录您到${village}调研（须在村范围内）。${note ? '您写的调研内容会一并记录。' : ''}`,
};

export function recorded(
  v: { no: string; village: string; at: string; distanceM: number; note?: string },
  photoMinutes: number,
): string {
  const note = v.note ? `调研内容：${v.note}。` : '可发送「到村 村名 调研内容」补记调研内容。';
  return `已记录您到${v.village}调研（${v.no}，${momentLabel(v.at)}，距村部 ${km(v.distanceM)}）。${note}${photoMinutes} 分钟内在本聊天发送照片，会附到这条记录。`;
}

export const alreadyToday = (no: string, village: string) =>
  `今天到${village}调研已经记录（${no}），不用重复定位。可发送「到村 ${village} 调研内容」补记调研内容。`;

export const noteAdded = (no: string, village: string) => `已把调研内容补记到今天到${village}的记录（${no}）。`;

export function outside(village: string, distanceM: number, radiusM: number): string {
  return `您现在距${village}村部约 ${km(distanceM)}，不在村范围内（${km(radiusM)}），没有记录到村调研。请到村里后再打开签到页定位。`;
}

export function imprecise(village: string, accuracyM: number | undefined): string {
  const error = accuracyM !== undefined ? `（误差约 ${km(accuracyM)}）` : '';
  return `定位精度不足${error}，无法确认您在${village}范围内，没有记录到村调研。请到室外开阔处重新打开签到页定位。`;
}

export const locationMessage = '在地图上选的位置不能记录到村调研。请发送「到村 村名」，打开签到页用手机定位记录。';

export const autoRecorded = (village: string, no: string, at: string) =>
  `已根据自动上报的位置记录您到${village}调研（${no}，${momentLabel(at)}）。可发送「到村 ${village} 调研内容」补记调研内容，也可以接着发送照片。`;

export const photoAttached = (no: string, count: number) => `照片已附到到村调研记录 ${no}（共 ${count} 张）。`;

export const photoNoVisit = (minutes: number) =>
  `照片没有附到任何记录：照片须在到村调研记录后 ${minutes} 分钟内发送。先发送「到村 村名」在村里定位记录。`;

export const pageTitle = '到村调研';
export const pageNotAVisitor = '到村调研记录只对四包一联系人、派出单位领导和县级领导开放。';
export const pageUnknownVillage = '签到页链接中的村不在名册中，请回到企业微信重新发送「到村 村名」。';

/** `汇报 …` from a leader who is not a cadre: where visits are recorded, instead of "not on the roster". */
export function reportForVisitor(canRead: boolean): string {
  const read = canRead ? '查看驻村干部的汇报请发送「汇报 姓名」。' : '';
  return `「汇报」是驻村干部提交工作汇报用的。您到村调研，请在村里发送「到村 村名 调研内容」，打开签到页定位即可记录；记录后发送照片会附到这条记录。${read}`;
}

// ---- 走访记录 ----------------------------------------------------------------------------------------------

export interface VisitLine {
  no: string;
  at: string;
  name: string;
  /** 主要领导 of 县财政局, 四包一联系人 … */
  title?: string;
  village: string;
  note?: string;
  photos: number;
}

export interface UnitLine {
  unit: string;
  leaders: {
    as: LeaderAs;
    name: string;
    period: { start: string; end: string };
    visits: number;
  }[];
  /** Periods already over without a visit, this term. */
  overdue: { as: LeaderAs; name: string; period: { start: string; end: string } }[];
}

export interface VisitListView {
  today: string;
  /** One village or unit asked for (or the only one in scope): each visit with its note; otherwise a line each. */
  detail: boolean;
  villages: { name: string; visits: VisitLine[]; total: number }[];
  units: UnitLine[];
}

function visitLine(v: VisitLine, today: string): string {
  const who = v.title ? `${v.name}（${v.title}）` : v.name;
  const note = v.note ? `：${v.note}` : '';
  const photos = v.photos ? `（照片 ${v.photos} 张）` : '';
  return `· ${momentLabel(v.at).replace(dayLabel(today), '今天')} ${who}${note}${photos}`;
}

function leaderLine(l: UnitLine['leaders'][number], today: string): string {
  const span = `${l.as === 'mainLeader' ? '本任期' : '本半年'}（${spanLabel(l.period.start, l.period.end, today)}）`;
  const state = l.visits ? `已到村 ${l.visits} 次` : `尚未到村，应于${dayLabel(l.period.end, today)}前到村`;
  return `${AS_NAMES[l.as]}${l.name}${span}${state}`;
}

function unitLines(u: UnitLine, today: string): string[] {
  const late = u.overdue.map(
    (o) => `${AS_NAMES[o.as]}${o.name}（${spanLabel(o.period.start, o.period.end, today)}）未到村`,
  );
  return [
    `【${u.unit}】${u.leaders.length ? '' : '本任期没有驻村干部'}`,
    ...u.leaders.map((l) => `· ${leaderLine(l, today)}`),
    ...(late.length ? [`· 逾期：${late.join('；')}`] : []),
  ];
}

/** One line of a unit in the overview: each leader's current period, and how many periods are overdue. */
function unitSummary(u: UnitLine): string {
  const leaders = u.leaders.map(
    (l) =>
      `${l.name}（${AS_NAMES[l.as]}）${l.as === 'mainLeader' ? '本任期' : '本半年'}${l.visits ? `已到村 ${l.visits} 次` : '未到村'}`,
  );
  const late = u.overdue.length ? `，逾期 ${u.overdue.length} 项` : '';
  return `【${u.unit}】${leaders.length ? leaders.join('，') : '本任期没有驻村干部'}${late}`;
}

export function visitList(m: VisitListView): string {
  if (m.villages.length === 0 && m.units.length === 0) return '您的范围内没有选派村，也没有派出单位。';
  const lines: string[] = ['到村调研记录：'];
  if (m.detail) {
    for (const v of m.villages) {
      const shown = v.total > v.visits.length ? `，最近 ${v.visits.length} 次` : '';
      lines.push(v.total ? `【${v.name}】共 ${v.total} 次${shown}` : `【${v.name}】尚无到村调研记录`);
      for (const line of v.visits) lines.push(visitLine(line, m.today));
    }
  } else {
    const none = m.villages.filter((v) => !v.total).map((v) => v.name);
    for (const v of m.villages.filter((x) => x.total)) {
      const last = v.visits[0]!;
      lines.push(
        `【${v.name}】${v.total} 次，最近：${momentLabel(last.at).replace(dayLabel(m.today), '今天')} ${last.name}`,
      );
    }
    if (none.length) lines.push(`尚无记录：${none.join('、')}`);
  }
  if (m.units.length) {
    lines.push('', '派出单位领导到村情况（主要领导每个任期至少一次，分管领导每半年至少一次）：');
    for (const u of m.units) lines.push(...(m.detail ? unitLines(u, m.today) : [unitSummary(u)]));
  }
  if (!m.detail) lines.push('', '发送「走访记录 村名」或「走访记录 派出单位」查看每次调研的内容。');
  return lines.join('\n');
}

export const listNotInScope = (word: string) => `「${word}」不在您可以查看的范围内，或名册中没有这个村或派出单位。`;

// ---- visit-due ---------------------------------------------------------------------------------------------

export interface DueView {
  name: string;
  unit: string;
  as: LeaderAs;
  period: { start: string; end: string };
  villages: string[];
  today: string;
}

export function dueReminder(v: DueView): string {
  const span = v.as === 'mainLeader' ? '本任期' : '本半年';
  return [
    `${v.name}同志：按规定，派出单位${AS_NAMES[v.as]}${v.as === 'mainLeader' ? '每个任期' : '每半年'}至少到村调研一次。您作为${v.unit}${AS_NAMES[v.as]}，${span}（${spanLabel(v.period.start, v.period.end, v.today)}）还没有到村记录，应于${dayLabel(v.period.end, v.today)}前到${v.villages.join('或')}调研。`,
    '到村后发送「到村 村名 调研内容」，打开签到页定位即可记录。',
    `（为什么收到：您是${v.unit}${AS_NAMES[v.as]}，该单位的驻村干部在${v.villages.join('、')}）`,
  ].join('\n');
}

// ---- weekly digest -----------------------------------------------------------------------------------------

export interface OverdueVisitsView {
  mainLeader: number;
  deputy: number;
  /** To the organisation department only. */
  items: { unit: string; as: LeaderAs; name: string; period: { start: string; end: string } }[];
}

/** The weekly digest's lines on overdue visiting obligations (the digest goes to the organisation department). */
export function overdueVisitsLines(v: OverdueVisitsView, today: string): string[] {
  const total = v.mainLeader + v.deputy;
  if (!total) return ['到村调研：派出单位领导没有逾期未到村的。'];
  return [
    `到村调研逾期未到村 ${total} 项（主要领导 ${v.mainLeader} 项，分管领导 ${v.deputy} 项）：`,
    ...v.items.map(
      (i) => `· ${i.unit}${AS_NAMES[i.as]}${i.name}，${spanLabel(i.period.start, i.period.end, today)}未到村`,
    ),
  ];
}

/** What the sandbox's sample leaders wrote about their visits. */
export const sampleVisitNotes = [
  '调研指导冬季取暖和村集体经济项目',
  '听取村两委和工作队汇报，研究解决灌溉水渠维修资金',
  '走访脱贫户和监测户，检查防返贫帮扶措施落实',
  '调研农产品销售和合作社运营情况',
  '检查驻村工作队在岗和工作日志，座谈了解村民诉求',
];
