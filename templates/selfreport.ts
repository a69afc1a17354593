/**
 * Sentences about self-reported locations waiting for confirmation (the policy's `checkin.selfReported:
 * confirm`): the confirmer's daily card, the typed commands, and what the cadre hears about a rejection.
 */
import type { Card } from '../src/kit/card.js';
import type { CommandHelp } from '../src/kit/command-help.js';
import { dayLabel, momentLabel } from '../src/kit/date-label.js';
import { why } from './leave.js';

export const help = {
  confirm: {
    summary: '确认驻村干部在地图上自选位置的签到（也可直接点每晚卡片上的按钮）',
    usage: '确认签到 姓名',
    examples: ['确认签到 李晓燕', '确认全部签到'],
  },
  confirmAll: { summary: '确认全部待确认的自报位置签到', usage: '确认全部签到', examples: ['确认全部签到'] },
  reject: {
    summary: '驳回自报位置签到',
    usage: '驳回签到 姓名 原因',
    examples: ['驳回签到 李晓燕 当天在县城开会'],
  },
} satisfies Record<string, CommandHelp>;

/** One self-reported location waiting for confirmation, as the confirmer sees it. */
export interface PendingView {
  no: string;
  name: string;
  village: string;
  date: string;
  /** ISO instant of the check-in. */
  at: string;
  distanceM?: number;
  label?: string;
}

function km(m: number): string {
  return m >= 1000 ? `${(m / 1000).toFixed(1)} 公里` : `${m} 米`;
}

/** `12月6日 09:30，距村部 300 米，自报位置「北堡村村委会」`. */
export function pendingLine(p: PendingView): string {
  const parts = [momentLabel(p.at)];
  if (p.distanceM !== undefined) parts.push(`距村部 ${km(p.distanceM)}`);
  parts.push(p.label ? `自报位置「${p.label}」` : '自报位置');
  return parts.join('，');
}

const buttonLabels = { all: '全部确认', each: '逐条处理' } as const;
export const buttonDone = { all: '已全部确认', each: '已列出' } as const;

/** The evening card to one confirmer: every self-reported location of their cadres still waiting. */
export function confirmCard(items: readonly PendingView[], keys: { all: string; each: string }, taskId: string): Card {
  return {
    kind: 'button_interaction',
    taskId,
    title: `自报位置签到待确认（${items.length} 条）`,
    description:
      '以下签到是在地图上自选的位置，在村范围内，确认后计入在村天数。也可回复「确认签到 姓名」「驳回签到 姓名 原因」或「确认全部签到」。\n' +
      why('您是这些驻村干部的领队或所在乡镇（街道）负责同志，自报位置须由您确认'),
    fields: items.map((p) => ({ key: `${p.name}（${p.village}）`, value: pendingLine(p) })),
    buttons: [
      { text: buttonLabels.all, style: 1, key: keys.all },
      { text: buttonLabels.each, style: 2, key: keys.each },
    ],
  };
}

/** The list behind 逐条处理: each item with the words that decide it. */
export function itemList(items: readonly PendingView[]): string {
  if (!items.length) return nothingWaiting;
  const lines = items.map(
    (p, i) =>
      `${i + 1}. ${p.name}（${p.village}）${pendingLine(p)}\n   回复「确认签到 ${p.name}」或「驳回签到 ${p.name} 原因」`,
  );
  return [`待确认的自报位置签到 ${items.length} 条：`, ...lines].join('\n');
}

export const nothingWaiting = '目前没有等待您确认的自报位置签到。';
export const noneOf = (who: string) => `没有「${who}」等待您确认的自报位置签到。发送「确认全部签到」可确认全部。`;
export const nameNeeded = '请写上要驳回的干部姓名和原因，例如「驳回签到 李晓燕 当天在县城开会」。';

const names = (items: readonly PendingView[]) => items.map((p) => `${p.name} ${dayLabel(p.date)}`).join('、');

export const confirmed = (items: readonly PendingView[]) =>
  `已确认 ${items.length} 条自报位置签到：${names(items)}，当天计为在村（自报·已确认）。`;
export const rejected = (items: readonly PendingView[]) =>
  `已驳回 ${items.length} 条自报位置签到：${names(items)}，不计入在村天数，已告知本人。`;

/** What the cadre hears when a self-reported location is rejected. */
export const toCadreRejected = (p: PendingView, by: string, reason: string) =>
  `您${momentLabel(p.at)}发送的自报位置签到未获${by}确认${reason ? `（${reason}）` : ''}，当天不计入在村天数。` +
  `如当天确实在村，请联系${by}；以后请发送「签到」，打开签到页用手机定位签到。\n${why('您是这条签到的本人')}`;
