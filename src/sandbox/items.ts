/**
 * What the sandbox page shows in a conversation, and how WeCom's message JSON becomes it: messages the fake
 * WeCom delivered (app `message/send`, group robot `webhook/send`, smart robot `aibot/response`) and the
 * passive replies the sandbox opened. Pure: JSON in, display items out; markdown is rendered here, on the
 * server, so the page only inserts finished HTML.
 */
import { renderMarkdown } from './markdown.js';
import * as T from '../../templates/sandbox.js';

export interface CardView {
  type: string;
  taskId?: string;
  title: string;
  description?: string;
  rows: { key: string; value: string }[];
  buttons: { text: string; key: string; style: number }[];
  /** The card's link (`card_action.url`): text_notice cards open it when clicked. */
  url?: string;
}

/** What happened to a card since it was shown to one person. */
export interface CardState {
  /** The clicked button's new label (`update_button` / `button.replace_name`): the buttons are done. */
  replaceName?: string;
  /** A whole new card in its place (`update_template_card`). */
  card?: CardView;
  /** Taken back by its sender (`message/recall`): the chat shows that it was withdrawn. */
  recalled?: boolean;
}

export type Body =
  | { kind: 'text'; text: string }
  | { kind: 'markdown'; text: string; html: string }
  | { kind: 'card'; card: CardView }
  | { kind: 'image'; src?: string }
  | { kind: 'location'; lat: number; lng: number; label?: string }
  /** A line in grey between bubbles: something that happened but is not a message (an automatic report). */
  | { kind: 'note'; text: string };

export interface ChatItem {
  /** Order of arrival (the sandbox's version counter). */
  seq: number;
  /** Simulated time, ms: what WeCom would show as the message time. */
  at: number;
  /** A person on the roster, or null for the bot. */
  from: { id: string; name: string } | null;
  /** How it travelled (passive reply, message/send, webhook/send, aibot/response), shown small. */
  via: string;
  body: Body;
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** A WeCom `template_card` as the page draws it; undefined when it is not a card at all. */
export function cardView(json: unknown): CardView | undefined {
  const c = obj(json);
  if (!c.card_type) return undefined;
  const rows = Array.isArray(c.horizontal_content_list) ? c.horizontal_content_list.map(obj) : [];
  const buttons = Array.isArray(c.button_list) ? c.button_list.map(obj) : [];
  return {
    type: String(c.card_type),
    ...(str(c.task_id) ? { taskId: str(c.task_id) } : {}),
    title: str(obj(c.main_title).title) ?? '',
    ...(str(c.sub_title_text) ? { description: str(c.sub_title_text) } : {}),
    rows: rows.map((r) => ({ key: String(r.keyname ?? ''), value: String(r.value ?? '') })),
    buttons: buttons.map((b) => ({
      text: String(b.text ?? ''),
      key: String(b.key ?? ''),
      style: Number(b.style ?? 1),
    })),
    ...(str(obj(c.card_action).url) ? { url: str(obj(c.card_action).url) } : {}),
  };
}

function markdown(text: string): Body {
  return { kind: 'markdown', text, html: renderMarkdown(text) };
}

function card(json: unknown): Body[] {
  const view = cardView(json);
  return view ? [{ kind: 'card', card: view }] : [];
}

/** The articles of a `news` message or a `textcard`, as link cards. */
function articles(list: unknown): Body[] {
  const items = Array.isArray(list) ? list.map(obj) : [];
  return items.map((a) => ({
    kind: 'card',
    card: {
      type: 'news_notice',
      title: String(a.title ?? ''),
      description: str(a.description),
      rows: [],
      buttons: [],
      url: str(a.url),
    },
  }));
}

/**
 * An app message (`message/send`, `appchat/send`) as display bodies. Images sent through the app are only a
 * media id here; `media` turns it into the uploaded picture when the caller can.
 */
export function appMessageBodies(payload: Json, media?: (mediaId: string) => string | undefined): Body[] {
  const type = String(payload.msgtype ?? '');
  const part = obj(payload[type]);
  switch (type) {
    case 'text':
      return [{ kind: 'text', text: String(part.content ?? '') }];
    case 'markdown':
    case 'markdown_v2':
      return [markdown(String(part.content ?? ''))];
    case 'template_card':
      return card(payload.template_card);
    case 'image': {
      const src = typeof part.media_id === 'string' ? media?.(part.media_id) : undefined;
      return [{ kind: 'image', ...(src ? { src } : {}) }];
    }
    case 'textcard':
      return articles([part]);
    case 'news':
      return articles(part.articles);
    case 'file':
    case 'voice':
    case 'video':
      return [{ kind: 'text', text: T.notes.file }];
    default:
      return [{ kind: 'text', text: T.notes.unknownMessage(type) }];
  }
}

/** A group robot message (`webhook/send`): images come inline as base64. */
export function webhookBodies(payload: Json): Body[] {
  if (payload.msgtype === 'image') {
    const b64 = str(obj(payload.image).base64);
    return [{ kind: 'image', ...(b64 ? { src: `data:image/png;base64,${b64}` } : {}) }];
  }
  return appMessageBodies(payload);
}

/** What the sandbox reads from an app passive reply: a text to show, or a button to relabel. */
export function appReplyBodies(fields: Json): { bodies: Body[]; replaceName?: string } {
  if (fields.MsgType === 'update_button') return { bodies: [], replaceName: str(obj(fields.Button).ReplaceName) };
  const content = str(fields.Content);
  return { bodies: content ? [{ kind: 'text', text: content }] : [] };
}

/**
 * What the sandbox reads from a smart-robot passive reply: a finished stream (markdown), a text, a card, both,
 * or an `update_template_card` that replaces the clicked card for the listed users.
 */
export function robotReplyBodies(json: Json): { bodies: Body[]; update?: { userIds: string[]; card: CardView } } {
  if (json.response_type === 'update_template_card') {
    const view = cardView(json.template_card);
    const userIds = Array.isArray(json.userids) ? json.userids.map(String) : [];
    return { bodies: [], ...(view ? { update: { userIds, card: view } } : {}) };
  }
  const bodies: Body[] = [];
  const stream = str(obj(json.stream).content);
  if (stream) bodies.push(markdown(stream));
  const text = str(obj(json.text).content);
  if (text) bodies.push({ kind: 'text', text });
  bodies.push(...card(json.template_card));
  return { bodies };
}
