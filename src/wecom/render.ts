/**
 * A channel-free `Reply` rendered as WeCom's passive-reply plaintext: XML for the self-built app [D:90241],
 * JSON for the smart robot [D:101031]. The result is then encrypted and wrapped by the edge.
 */
import { createHash } from 'node:crypto';
import type { Card, Reply } from '../core/reply.js';
import type { Update } from '../core/update.js';
import { cdata } from './envelope.js';

/** App passive text `Content` limit; WeCom truncates beyond it, we do it ourselves at a character boundary. */
export const APP_TEXT_MAX_BYTES = 2048;
/** Smart-robot stream `content` limit [D:101031]. */
export const BOT_STREAM_MAX_BYTES = 20480;

/**
 * Cut `text` to at most `maxBytes` of UTF-8 without splitting a character; a cut text ends in "…" so that the
 * reader sees it was cut.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength('…', 'utf8');
  let used = 0;
  let out = '';
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (used + size > budget) break;
    used += size;
    out += ch;
  }
  return `${out}…`;
}

/** A card as plain lines (title, description, label：value rows, link) where a channel cannot show the card. */
export function cardText(card: Card): string {
  const lines = [card.title];
  if (card.description) lines.push(card.description);
  for (const f of card.fields ?? []) lines.push(`${f.key}：${f.value}`);
  if (card.url) lines.push(card.url);
  return lines.join('\n');
}

/** The words of a reply, whatever form it takes: plain text first (the app shows no markdown), then the card. */
function replyText(reply: Reply, preferMarkdown: boolean): string {
  return withCardText(preferMarkdown ? (reply.markdown ?? reply.text) : (reply.text ?? reply.markdown), reply.card);
}

/** `body` followed by the card's text fallback, when there is a card. */
function withCardText(body: string | undefined, card: Reply['card']): string {
  return [body, card ? cardText(card) : undefined].filter((s): s is string => Boolean(s)).join('\n\n');
}

/**
 * The app's passive-reply plaintext XML, To/From reversed (ToUserName = the member, FromUserName = CorpID).
 * After a card click with `replaceButton`, an `update_button` that relabels the clicked button for that user;
 * otherwise text (markdown and a card's text fallback go as text: cards reach the app through message/send).
 * Null when there is nothing to say, which the edge answers with an empty body.
 */
export function renderAppReply(reply: Reply, update: Update, corpId: string, now: Date): string | null {
  const head =
    `<ToUserName>${cdata(update.userId)}</ToUserName><FromUserName>${cdata(corpId)}</FromUserName>` +
    `<CreateTime>${Math.floor(now.getTime() / 1000)}</CreateTime>`;
  if (reply.replaceButton && update.event?.type === 'template_card_event') {
    return `<xml>${head}<MsgType>${cdata('update_button')}</MsgType><Button><ReplaceName>${cdata(reply.replaceButton)}</ReplaceName></Button></xml>`;
  }
  const text = replyText(reply, false);
  if (!text) return null;
  return `<xml>${head}<MsgType>${cdata('text')}</MsgType><Content>${cdata(truncateUtf8(text, APP_TEXT_MAX_BYTES))}</Content></xml>`;
}

/** A stream id for the reply to one update: derived from the update id, so a retried callback gets the same. */
export function streamIdFor(updateId: string): string {
  return createHash('sha256').update(updateId).digest('hex').slice(0, 32);
}

/** A finished stream: we never stream piece by piece, the whole answer goes in the first reply. */
export function finishedStream(streamId: string, content: string): Record<string, unknown> {
  return {
    msgtype: 'stream',
    stream: { id: streamId, finish: true, content: truncateUtf8(content, BOT_STREAM_MAX_BYTES) },
  };
}

/**
 * Our `Card` in WeCom's `template_card` shape [D:101032][D:90236]. A `button_interaction` card needs a task id;
 * `fallbackTaskId` stands in when the card has none. Undefined for a text_notice without a link, which WeCom
 * refuses (its `card_action` must be a link), so the caller sends it as text.
 */
export function templateCard(card: Card, fallbackTaskId: string): Record<string, unknown> | undefined {
  const common: Record<string, unknown> = { main_title: { title: card.title } };
  if (card.description) common.sub_title_text = card.description;
  if (card.fields?.length)
    common.horizontal_content_list = card.fields.map((f) => ({ keyname: f.key, value: f.value }));
  if (card.kind === 'text_notice') {
    if (!card.url) return undefined;
    return { card_type: 'text_notice', ...common, card_action: { type: 1, url: card.url } };
  }
  return {
    card_type: 'button_interaction',
    ...common,
    ...(card.url ? { card_action: { type: 1, url: card.url } } : {}),
    button_list: (card.buttons ?? []).map((b) => ({ text: b.text, style: b.style ?? 1, key: b.key })),
    task_id: card.taskId ?? fallbackTaskId,
  };
}

/**
 * The smart robot's passive-reply JSON. `enter_chat` allows only a welcome `text` or a `template_card`;
 * anything else answers with a finished `stream` (markdown preferred), a `template_card`, or both together as
 * `stream_with_template_card`. A card in answer to a card click replaces the clicked card for that user
 * (`update_template_card`). Null when there is nothing to say.
 */
export function renderBotReply(reply: Reply, update: Update): Record<string, unknown> | null {
  const fallbackTaskId = `t${streamIdFor(update.id).slice(0, 24)}`;
  const card = reply.card ? templateCard(reply.card, update.event?.taskId ?? fallbackTaskId) : undefined;
  const body =
    reply.markdown ?? reply.text ?? (update.event?.type === 'template_card_event' ? reply.replaceButton : undefined);
  // A card WeCom cannot show as a card is still said, as text.
  const text = card ? body : withCardText(body, reply.card);

  if (update.event?.type === 'template_card_event' && card) {
    return { response_type: 'update_template_card', userids: [update.userId], template_card: card };
  }
  if (update.event?.type === 'enter_chat') {
    if (card) return { msgtype: 'template_card', template_card: card };
    return text ? { msgtype: 'text', text: { content: truncateUtf8(text, APP_TEXT_MAX_BYTES) } } : null;
  }
  if (card && text) {
    return {
      ...finishedStream(streamIdFor(update.id), text),
      msgtype: 'stream_with_template_card',
      template_card: card,
    };
  }
  if (card) return { msgtype: 'template_card', template_card: card };
  return text ? finishedStream(streamIdFor(update.id), text) : null;
}
