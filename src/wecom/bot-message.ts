/**
 * A decrypted smart-robot callback (JSON, field names as in [D:100719][D:101027]) turned into the normalised
 * `Update`, or recognised as a stream-refresh callback, which the edge answers itself.
 */
import { stripMention } from '../kit/text.js';
import type { Update, UpdateEvent } from '../core/update.js';
import { CallbackError } from './crypto.js';
import { parseJsonObject } from './envelope.js';

type Json = Record<string, unknown>;

export type BotCallback =
  | { type: 'update'; update: Update }
  /** WeCom asking for more of an unfinished stream (`msgtype: "stream"`); we always finish at once. */
  | { type: 'stream_refresh'; id: string; userId: string; streamId: string };

/**
 * Parse the decrypted JSON of a smart-robot callback. The id is `bot:<msgid>` (msgid is WeCom's de-duplication
 * key [D:100719]). Messages carry no time, so `now` stands in; events use `create_time`. Text loses its leading
 * "@BotName"; a voice message arrives as its speech-recognition text and becomes a text update. A missing
 * required field is a `CallbackError`; a well-formed unknown message type becomes kind 'other'.
 */
export function parseBotCallback(plaintext: string, now: Date): BotCallback {
  const json = parseJsonObject(plaintext);
  const msgid = requiredString(json, 'msgid');
  const userId = requiredString(object(json, 'from') ?? {}, 'userid', 'from.userid');
  const msgtype = requiredString(json, 'msgtype');
  const id = `bot:${msgid}`;

  if (msgtype === 'stream') {
    const streamId = requiredString(object(json, 'stream') ?? {}, 'id', 'stream.id');
    return { type: 'stream_refresh', id, userId, streamId };
  }

  const chatId = optionalString(json, 'chatid');
  const group = json.chattype === 'group' || (json.chattype === undefined && chatId !== undefined);
  const responseUrl = optionalString(json, 'response_url');
  // The common fields first and the kind's own spread after them, as app-message.ts explains (Node 20's V8 gives
  // `{ ...common, kind }` a new hidden class on every call).
  const base = (own: Omit<Update, 'id' | 'channel' | 'userId' | 'chatType' | 'time'> & { time?: Date }): Update => ({
    id,
    channel: 'bot' as const,
    userId,
    chatType: group ? ('group' as const) : ('single' as const),
    time: now,
    ...(group && chatId ? { chatId } : {}),
    ...(responseUrl ? { responseUrl } : {}),
    ...own,
  });
  const part = (name: string): Json => object(json, name) ?? {};
  switch (msgtype) {
    case 'text':
      return update(base({ kind: 'text', text: stripMention(optionalString(part('text'), 'content') ?? '') }));
    case 'voice':
      return update(base({ kind: 'text', text: stripMention(optionalString(part('voice'), 'content') ?? '') }));
    case 'mixed':
      return update(base({ kind: 'mixed', ...mixed(part('mixed')) }));
    case 'image':
    case 'file':
    case 'video':
      return update(base({ kind: msgtype, media: { url: optionalString(part(msgtype), 'url') } }));
    case 'event':
      return update(base({ kind: 'event', time: eventTime(json, now), event: event(part('event')) }));
    default:
      return update(base({ kind: 'other' }));
  }
}

function update(u: Update): BotCallback {
  return { type: 'update', update: u };
}

/** `mixed.msg_item[]`: text items joined into one text, the first image kept as media. */
function mixed(part: Json): Pick<Update, 'text' | 'media'> {
  const items = Array.isArray(part.msg_item) ? (part.msg_item as unknown[]) : [];
  const texts: string[] = [];
  let url: string | undefined;
  for (const item of items) {
    if (!isObject(item)) continue;
    if (item.msgtype === 'text') texts.push(optionalString(object(item, 'text') ?? {}, 'content') ?? '');
    if (item.msgtype === 'image' && url === undefined) url = optionalString(object(item, 'image') ?? {}, 'url');
  }
  return { text: stripMention(texts.join('\n')), ...(url ? { media: { url } } : {}) };
}

/** `event.eventtype` plus the same-named object [D:101027]. */
function event(part: Json): UpdateEvent {
  const type = requiredString(part, 'eventtype', 'event.eventtype');
  if (type !== 'template_card_event') return { type };
  const card = object(part, type) ?? {};
  return {
    type,
    key: requiredString(card, 'event_key', 'event.template_card_event.event_key'),
    taskId: requiredString(card, 'task_id', 'event.template_card_event.task_id'),
    ...(optionalString(card, 'card_type') ? { cardType: optionalString(card, 'card_type') } : {}),
  };
}

function eventTime(json: Json, now: Date): Date {
  const t = json.create_time;
  if (t === undefined) return now;
  const n = typeof t === 'number' ? t : typeof t === 'string' && /^\d{1,12}$/.test(t) ? Number(t) : NaN;
  // At most 12 digits, as for the app's CreateTime: a larger number is no date at all (1e20 → Invalid Date).
  if (!Number.isInteger(n) || n < 0 || n > 999_999_999_999)
    throw new CallbackError('malformed', 'create_time is not a number', { field: 'create_time' });
  return new Date(n * 1000);
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function object(json: Json, name: string): Json | undefined {
  const v = json[name];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new CallbackError('malformed', `${name} is not an object`, { field: name });
  return v;
}

function optionalString(json: Json, name: string): string | undefined {
  const v = json[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new CallbackError('malformed', `${name} is not a string`, { field: name });
  return v;
}

function requiredString(json: Json, name: string, path = name): string {
  const v = optionalString(json, name);
  if (!v) throw new CallbackError('missing_field', `${path} is missing`, { field: path });
  return v;
}
