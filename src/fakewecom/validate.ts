/**
 * Parameter checks of the fake WeCom for message bodies, following the field tables of the official pages so
 * that a malformed message fails here as it would there. Each check returns a problem (errcode + text) or null.
 * Where the documentation names no specific code, WeCom answers parameter errors with 40058 "invalid Request
 * Parameter" (global code table [D:90455]); the fake does the same.
 */
import { createHash } from 'node:crypto';

export interface Problem {
  errcode: number;
  text: string;
}

type Json = Record<string, unknown>;

const bytes = (s: unknown) => Buffer.byteLength(typeof s === 'string' ? s : '', 'utf8');
const bad = (text: string): Problem => ({ errcode: 40058, text: `${text}. invalid Request Parameter` });
const obj = (v: unknown): Json | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;

/** Card types each channel accepts: app [D:90236], group robot webhook [D:91770], smart robot [D:101032]. */
const CARD_TYPES = {
  app: ['text_notice', 'news_notice', 'button_interaction', 'vote_interaction', 'multiple_interaction'],
  webhook: ['text_notice', 'news_notice'],
  robot: ['text_notice', 'news_notice', 'button_interaction', 'vote_interaction', 'multiple_interaction'],
} as const;

/** Check a `template_card` object for the given channel. */
export function cardProblem(card: unknown, channel: keyof typeof CARD_TYPES): Problem | null {
  const c = obj(card);
  if (!c) return bad('template_card missing');
  const type = String(c.card_type ?? '');
  if (!(CARD_TYPES[channel] as readonly string[]).includes(type))
    return bad(`template_card.card_type ${type || '(empty)'} not supported`);
  const title = obj(c.main_title)?.title;
  if (!title && !c.sub_title_text) return bad('template_card.main_title.title and sub_title_text are both empty');
  const rows = c.horizontal_content_list;
  if (rows !== undefined && (!Array.isArray(rows) || rows.length > 6 || rows.some((r) => !obj(r)?.keyname))) {
    return bad('template_card.horizontal_content_list needs at most 6 rows with keyname');
  }
  if (type === 'text_notice' || type === 'news_notice') {
    const action = obj(c.card_action);
    if (!action || ![1, 2].includes(Number(action.type))) return bad('template_card.card_action is required');
    if (Number(action.type) === 1 && !action.url) return bad('template_card.card_action.url is required for type 1');
  }
  if (type !== 'text_notice' && type !== 'news_notice') {
    if (typeof c.task_id !== 'string' || !/^[0-9A-Za-z_\-@]{1,128}$/.test(c.task_id))
      return bad('template_card.task_id invalid');
  }
  if (type === 'button_interaction') {
    const buttons = c.button_list;
    if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 6)
      return bad('template_card.button_list needs 1 to 6 buttons');
    for (const b of buttons.map(obj)) {
      if (!b?.text) return bad('template_card.button_list[].text is required');
      if (Number(b.type ?? 0) === 1 ? !b.url : !b.key || bytes(b.key) > 1024)
        return bad('template_card.button_list[].key invalid');
    }
  }
  return null;
}

/** Check the typed part of an app message (`message/send` [D:90236], `appchat/send` [D:90248]). */
export function appMessageProblem(body: Json, media: (id: string) => boolean): Problem | null {
  const type = String(body.msgtype ?? '');
  const part = obj(body[type]);
  switch (type) {
    case 'text':
      if (!part?.content) return { errcode: 44004, text: 'empty content' };
      if (bytes(part.content) > 2048) return { errcode: 45002, text: 'content size out of limit' };
      return null;
    case 'markdown':
      if (!part?.content) return { errcode: 44004, text: 'empty content' };
      if (bytes(part.content) > 2048) return { errcode: 45002, text: 'content size out of limit' };
      return null;
    case 'image':
    case 'voice':
    case 'video':
    case 'file':
      if (typeof part?.media_id !== 'string' || !media(part.media_id))
        return { errcode: 40007, text: 'invalid media_id' };
      return null;
    case 'template_card':
      return cardProblem(body.template_card, 'app');
    case 'textcard':
    case 'news':
    case 'mpnews':
    case 'miniprogram_notice':
      return part ? null : bad(`${type} missing`);
    default:
      return { errcode: 40008, text: `invalid message type ${type}` };
  }
}

/** Check a group robot message (`webhook/send` [D:91770]). */
export function webhookMessageProblem(body: Json, media: (id: string) => boolean): Problem | null {
  const type = String(body.msgtype ?? '');
  const part = obj(body[type]);
  switch (type) {
    case 'text':
      if (!part?.content) return { errcode: 44004, text: 'empty content' };
      return bytes(part.content) > 2048 ? bad('text.content exceed max length 2048') : null;
    case 'markdown':
    case 'markdown_v2':
      if (!part?.content) return { errcode: 44004, text: 'empty content' };
      return bytes(part.content) > 4096 ? bad(`${type}.content exceed max length 4096`) : null;
    case 'image': {
      const b64 = typeof part?.base64 === 'string' ? part.base64 : '';
      const raw = Buffer.from(b64, 'base64');
      if (!raw.length || raw.length > 2 * 1024 * 1024) return bad('image.base64 missing or over 2MB');
      // md5 is of the raw image bytes, before base64 encoding [D:91770].
      return createHash('md5').update(raw).digest('hex') === part?.md5
        ? null
        : bad('image.md5 does not match the image');
    }
    case 'news': {
      const articles = part?.articles;
      return Array.isArray(articles) && articles.length >= 1 && articles.length <= 8
        ? null
        : bad('news.articles needs 1 to 8 items');
    }
    case 'file':
    case 'voice':
      return typeof part?.media_id === 'string' && media(part.media_id)
        ? null
        : { errcode: 40007, text: 'invalid media_id' };
    case 'template_card':
      return cardProblem(body.template_card, 'webhook');
    default:
      return { errcode: 40008, text: `invalid message type ${type}` };
  }
}
