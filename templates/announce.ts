/** What people read about announcements (通知 / 公告) and their read receipts. */
import type { CommandHelp } from '../src/kit/command-help.js';
import { momentLabel } from '../src/kit/date-label.js';
import type { Card } from '../src/kit/card.js';
import type { Announcement, AnnounceScope } from '../src/announce/announcement.js';
import type { AnnounceDraft } from '../src/announce/repo.js';
import type { ScopeProblem } from '../src/announce/scope.js';
import type { AnnounceStatus } from '../src/announce/status.js';

export const help = {
  announce: {
    summary: '发通知（带“已阅”回执）：先看预览，确认后发出',
    usage: '通知 范围 内容',
    examples: [
      '通知 全县 本周五下午三点在县委党校召开驻村工作推进会',
      '通知 新田乡 明天上午九点在乡政府开会',
      '通知 北堡村 周三前交材料',
      '通知 财政局 请于周五前报送考勤',
      '通知 新田乡 书记 明天开会',
      '通知 王建国、李晓燕 下午来乡里一趟',
    ],
  },
  confirm: { summary: '发出刚才预览的通知', usage: '确认发送', examples: ['确认发送'] },
  cancel: { summary: '作废刚才预览的通知', usage: '取消发送', examples: ['取消发送'] },
  recall: { summary: '撤回已发出的通知', usage: '撤回 编号', examples: ['撤回 N1001'] },
  announceStatus: {
    summary: '查看通知的已阅、未阅人数和名单',
    usage: '通知状态 [编号]',
    examples: ['通知状态 N1001', '通知状态'],
  },
  ack: { summary: '确认收到通知', usage: '收到', examples: ['收到', '收到 N1001'] },
} satisfies Record<string, CommandHelp>;

function when(iso: string): string {
  return momentLabel(iso);
}

function snippet(raw: string, max: number): string {
  const text = raw.replace(/\s+/g, ' ');
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}

/** The audience as a sentence names it. */
export function scopeLabel(scope: AnnounceScope): string {
  switch (scope.kind) {
    case 'all':
      return '全县驻村干部';
    case 'role':
      return `${scope.within ? '' : '全县'}${scope.name}`;
    case 'people':
      return snippet(scope.name, 30);
    default:
      return scope.name;
  }
}

function recipientsPhrase(scope: AnnounceScope): string {
  return scope.kind === 'all' || scope.kind === 'people' || scope.kind === 'role'
    ? scopeLabel(scope)
    : `${scope.name}的驻村干部`;
}

/** The card each recipient gets: the text, the range, and a 已阅 button; it says why they got it. */
export function card(a: Announcement, ids: { taskId: string; buttonKey: string }): Card {
  return {
    kind: 'button_interaction',
    taskId: ids.taskId,
    title: `${a.from ?? '县委组织部'}通知 ${a.no}`,
    description: `${a.text}\n（本通知发给${recipientsPhrase(a.scope)}，阅后请点「已阅」或回复「收到」。）`,
    fields: [
      { key: '发布', value: `${a.senderName} ${when(a.createdAt)}` },
      { key: '范围', value: scopeLabel(a.scope) },
    ],
    buttons: [{ text: readLabel, style: 1, key: ids.buttonKey }],
  };
}

/** How many recipients per township, and their names when they are few: what the preview shows. */
export interface PreviewView {
  byTownship: { township: string; count: number }[];
  /** Names, only when fewer than `namesBelow`. */
  names?: string[];
  minutes: number;
}

/** The reply to `通知 …`: the preview card follows as a message of its own. */
export const previewReply = (scope: AnnounceScope, count: number) =>
  `通知预览：发给${scopeLabel(scope)}，共 ${count} 人，尚未发出。请核对随后的预览卡片，点「确认发送」或回复「确认发送」发出；不发请点「取消」或回复「取消发送」。`;

/** The preview the sender gets before anything is sent, with 确认发送 / 取消 buttons. */
export function preview(d: AnnounceDraft, v: PreviewView, ids: { taskId: string; send: string; cancel: string }): Card {
  const spread = v.byTownship.map((t) => `${t.township} ${t.count} 人`).join('；');
  return {
    kind: 'button_interaction',
    taskId: ids.taskId,
    title: '通知预览（尚未发出）',
    description: [
      d.text,
      `（发给${scopeLabel(d.scope)}${d.implicit ? '（未写范围，按您可发的全部范围）' : ''}，共 ${d.recipients.length} 人。核对无误请点「确认发送」或回复「确认发送」；不发请点「取消」或回复「取消发送」。预览 ${v.minutes} 分钟内有效。）`,
    ].join('\n'),
    fields: [
      { key: '范围', value: scopeLabel(d.scope) },
      { key: '人数', value: `${d.recipients.length} 人` },
      { key: '乡镇（街道）', value: spread },
      ...(v.names ? [{ key: '名单', value: v.names.join('、') }] : []),
    ],
    buttons: [
      { text: '确认发送', style: 1, key: ids.send },
      { text: '取消', style: 2, key: ids.cancel },
    ],
  };
}

export const readLabel = '已阅';

export const sent = (no: string, scope: AnnounceScope, count: number) =>
  `通知 ${no} 已发给${scopeLabel(scope)}，共 ${count} 人。对方点「已阅」或回复「收到」后，可发送「通知状态 ${no}」查看回执；发错了可发送「撤回 ${no}」。`;
export const emptyText = (h: CommandHelp) =>
  `请写上通知内容。\n用法：${h.usage}\n例如：${h.examples.slice(0, 3).join('；')}`;
export const tooLong = (max: number) => `通知内容太长（最多 ${max} 字），请精简后再发，或分成几条。`;
export const noRecipients = (scope: AnnounceScope) => `${scopeLabel(scope)}在名册中没有驻村干部，通知没有发出。`;

function maybe(candidates: string[]): string {
  return candidates.length ? `您是不是要写：${candidates.join('、')}？` : '';
}

/** Why the words after 通知 name no audience; nothing was stored or sent. */
export function scopeRefusal(p: ScopeProblem): string {
  const tail = '请改正后重发；发给全县请写「通知 全县 内容」。通知没有发出。';
  switch (p.code) {
    case 'generic':
      return `“${p.word}”没有说明是哪一个。${p.candidates.length ? `可写：${p.candidates.join('、')}。` : ''}${tail}`;
    case 'ambiguous':
      return `“${p.word}”可以指几处：${p.candidates.join('、')}，请写全称。${tail}`;
    case 'unknown_people':
      return `名册中没有${p.unknown.map((u) => `“${u}”`).join('、')}。${maybe(p.candidates)}${tail}`;
    case 'unknown':
      return `名册中没有叫“${p.word}”的乡镇（街道）、村、工作队、派出单位或人员。${maybe(p.candidates)}${tail}`;
  }
}

export const outOfRange = (names: string[]) =>
  `您只能给${names.join('、')}的驻村干部发通知，这个范围超出了您的范围。通知没有发出。`;
export const nameTheScope = (names: string[]) =>
  `您可以给${names.join('、')}发通知，请在「通知」后写明发给哪里，例如「通知 ${names[0] ?? '全县'} 内容」。通知没有发出。`;
export const noDraft = '您没有待发送的通知（预览已发出、已取消或已过期），请重新发送「通知 范围 内容」。';
export const staleDraft = '这张预览已被您后来的通知替换或已过期，没有发出。请以最新的预览为准。';
export const cancelled = '已取消，这条通知没有发出。';
export const cancelledLabel = '已取消';
export const sentLabel = '已发送';

/** The reply to `撤回 N1001`: recalled from the chats within WeCom's 24 hours, otherwise only marked. */
export function withdrawn(no: string, count: number, fromChats: boolean): string {
  return fromChats
    ? `通知 ${no} 已撤回：正在从 ${count} 位收件人的企业微信会话中撤回，回执和再次提醒随之停止。`
    : `通知 ${no} 已标记为撤回，回执和再次提醒随之停止。但发出已超过 24 小时，企业微信不允许再从会话中撤回，收件人仍能看到原消息；如需更正，请另发一条通知说明。`;
}
export const recallUsage = '请写明要撤回的通知编号，例如「撤回 N1001」。发送「通知状态」可查看近期通知的编号。';
export const notSender = (no: string) => `只有发出通知 ${no} 的人或县委组织部可以撤回。`;
export const alreadyWithdrawn = (no: string, at: string) => `通知 ${no} 已于 ${when(at)} 撤回，无需重复操作。`;
export const withdrawnNotice = (no: string, at: string) => `通知 ${no} 已于 ${when(at)} 被发布人撤回，无需确认。`;
export const leaveOnlyForCadres = '撤回请假仅限驻村干部本人；撤回通知请写编号，如「撤回 N1001」。';

export const acknowledged = (no: string, text: string, remaining: number) =>
  `已确认收到通知 ${no}（${snippet(text, 20)}）。${remaining ? `您还有 ${remaining} 条通知未确认，再回复「收到」逐条确认。` : ''}`;
export const alreadyRead = (no: string, at: string) => `您已于 ${when(at)} 确认过通知 ${no}，无需重复操作。`;
/** `收到` / `好的` with nothing to acknowledge: a friendly word and nothing else. */
export const nothingToAck = '好的。';
export const notRecipient = (no: string) => `通知 ${no} 不是发给您的，无需确认。`;
export const notFound = (no: string) => `没有找到通知 ${no}，请核对编号。`;
export const noAnnouncements = '还没有发过通知。';
export const statusInGroup = '通知回执含个人名单，请在与本助手的单聊中查看。';

export function status(a: Announcement, s: AnnounceStatus): string {
  const lines = [
    `通知 ${a.no}（${scopeLabel(a.scope)}，${when(a.createdAt)} 发出）：${snippet(a.text, 30)}`,
    ...(a.withdrawnAt ? [`已撤回（${when(a.withdrawnAt)}），不再统计回执。`] : []),
    `已阅 ${s.readCount}/${s.total}，未阅 ${s.total - s.readCount}。${a.renudgedAt ? `已于 ${when(a.renudgedAt)} 再次提醒未阅人员。` : ''}`,
  ];
  // Unread names always; read names only while the reply stays within WeCom's 2048-byte text limit.
  const full = [...lines];
  const short = [...lines];
  for (const g of s.groups) {
    const head = `【${g.label ?? '已不在名册'}】已阅 ${g.read.length}/${g.read.length + g.unread.length}`;
    const unread = g.unread.length ? `  未阅：${g.unread.join('、')}` : '  全部已阅';
    full.push(head, unread, ...(g.read.length ? [`  已阅：${g.read.join('、')}`] : []));
    short.push(head, unread);
  }
  const text = full.join('\n');
  return Buffer.byteLength(text, 'utf8') <= 1700 ? text : [...short, '（名单较长，已阅名单从略。）'].join('\n');
}

/** One line per other recent announcement of the sender, under the detailed one. */
export function recentLines(list: { a: Announcement; read: number }[]): string {
  if (!list.length) return '';
  const rows = list.map(
    ({ a, read }) =>
      `${a.no}（${scopeLabel(a.scope)}）：${a.withdrawnAt ? '已撤回' : `已阅 ${read}/${a.recipients.length}`}`,
  );
  return ['', '近期其他通知：', ...rows].join('\n');
}
