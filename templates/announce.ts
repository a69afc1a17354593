/** What people read about announcements (通知 / 公告) and their read receipts. */
import type { CommandHelp } from '../src/kit/command-help.js';
import { dayjs, TZ } from '../src/kit/dates.js';
import type { Card } from '../src/kit/card.js';
import type { Announcement, AnnounceScope } from '../src/announce/announcement.js';
import type { AnnounceStatus } from '../src/announce/status.js';

export const help = {
  announce: {
    summary: '向全体或某乡镇、工作队的驻村干部发通知（带“已阅”回执）',
    usage: '通知 [乡镇或工作队] 内容',
    examples: ['通知 本周五下午三点在县委党校召开驻村工作推进会', '通知 新田乡 明天上午九点在乡政府开会'],
  },
  announceStatus: {
    summary: '查看通知的已阅、未阅名单',
    usage: '通知状态 [编号]',
    examples: ['通知状态 N1001', '通知状态'],
  },
  ack: { summary: '确认收到通知', usage: '收到', examples: ['收到'] },
} satisfies Record<string, CommandHelp>;

function when(iso: string): string {
  return dayjs(iso).tz(TZ).format('M月D日 HH:mm');
}

function snippet(raw: string, max: number): string {
  const text = raw.replace(/\s+/g, ' ');
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}

export function scopeLabel(scope: AnnounceScope): string {
  return scope.kind === 'all' ? '全体驻村干部' : scope.name;
}

/** The card each recipient gets: the text, the range, and a 已阅 button; it says why they got it. */
export function card(a: Announcement, ids: { taskId: string; buttonKey: string }): Card {
  return {
    kind: 'button_interaction',
    taskId: ids.taskId,
    title: `县委组织部通知 ${a.no}`,
    description: `${a.text}\n（本通知发给${a.scope.kind === 'all' ? '全体驻村干部' : `${a.scope.name}的驻村干部`}，阅后请点「已阅」或回复「收到」。）`,
    fields: [
      { key: '发布', value: `${a.senderName} ${when(a.createdAt)}` },
      { key: '范围', value: scopeLabel(a.scope) },
    ],
    buttons: [{ text: readLabel, style: 1, key: ids.buttonKey }],
  };
}

export const readLabel = '已阅';

export const sent = (no: string, scope: AnnounceScope, count: number) =>
  `通知 ${no} 已发给${scopeLabel(scope)}，共 ${count} 人。对方点「已阅」或回复「收到」后，可发送「通知状态 ${no}」查看回执。`;
export const emptyText = (h: CommandHelp) => `请写上通知内容。\n用法：${h.usage}\n例如：${h.examples.join('；')}`;
export const tooLong = (max: number) => `通知内容太长（最多 ${max} 字），请精简后再发，或分成几条。`;
export const noRecipients = (scope: AnnounceScope) => `${scopeLabel(scope)}在名册中没有驻村干部，通知没有发出。`;

export const acknowledged = (no: string, text: string, remaining: number) =>
  `已确认收到通知 ${no}（${snippet(text, 20)}）。${remaining ? `您还有 ${remaining} 条通知未确认，再回复「收到」逐条确认。` : ''}`;
export const alreadyRead = (no: string, at: string) => `您已于 ${when(at)} 确认过通知 ${no}，无需重复操作。`;
export const nothingToAck = '您目前没有需要确认的通知。';
export const notRecipient = (no: string) => `通知 ${no} 不是发给您的，无需确认。`;
export const notFound = (no: string) => `没有找到通知 ${no}，请核对编号。`;
export const noAnnouncements = '还没有发过通知。';
export const statusInGroup = '通知回执含个人名单，请在与本助手的单聊中查看。';

export function status(a: Announcement, s: AnnounceStatus): string {
  const lines = [
    `通知 ${a.no}（${scopeLabel(a.scope)}，${when(a.createdAt)} 发出）：${snippet(a.text, 30)}`,
    `已阅 ${s.readCount}/${s.total}，未阅 ${s.total - s.readCount}。${a.renudgedAt ? `已于 ${when(a.renudgedAt)} 再次提醒未阅人员。` : ''}`,
  ];
  // Unread names always; read names only while the reply stays within WeCom's 2048-byte text limit.
  const full = [...lines];
  const short = [...lines];
  for (const g of s.groups) {
    const head = `【${g.township ?? '已不在名册'}】已阅 ${g.read.length}/${g.read.length + g.unread.length}`;
    const unread = g.unread.length ? `  未阅：${g.unread.join('、')}` : '  全部已阅';
    full.push(head, unread, ...(g.read.length ? [`  已阅：${g.read.join('、')}`] : []));
    short.push(head, unread);
  }
  const text = full.join('\n');
  return Buffer.byteLength(text, 'utf8') <= 2000 ? text : [...short, '（名单较长，已阅名单从略。）'].join('\n');
}
