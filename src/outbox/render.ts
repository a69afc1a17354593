/**
 * Our `Card` as WeCom's `template_card` JSON, with the field names of the app message page [D:90236]
 * (also accepted by the group robot [D:91770] for text_notice and by the smart robot [D:101032]).
 * Pure: data in, JSON out.
 */
import { createHash } from 'node:crypto';
import type { Card } from '../core/reply.js';

/** WeCom shows at most 6 label/value rows; more are folded into the sub-title text rather than lost. */
const MAX_ROWS = 6;

/**
 * A `task_id` WeCom accepts (`[0-9A-Za-z_-@]`, at most 128 bytes) derived from our idempotency key, for cards
 * that did not bring their own: the same message gets the same task id however often it is rendered.
 */
export function taskIdFromKey(key: string): string {
  const cleaned = key.replace(/[^0-9A-Za-z_\-@]/g, '_');
  if (cleaned.length <= 128) return cleaned;
  return `${cleaned.slice(0, 100)}_${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

export interface CardContext {
  /** Idempotency key of the message, for a task_id when the card has none. */
  key: string;
  /** Link of a text_notice card without its own (WeCom requires `card_action` there). */
  fallbackUrl: string;
}

/** Render a card: button_interaction with buttons and task_id, or text_notice with its card_action link. */
export function renderCard(card: Card, ctx: CardContext): Record<string, unknown> {
  const fields = card.fields ?? [];
  const rows = fields.slice(0, MAX_ROWS).map((f) => ({ keyname: f.key, value: f.value }));
  const overflow = fields.slice(MAX_ROWS).map((f) => `${f.key}：${f.value}`);
  const subTitle = [card.description, ...overflow].filter(Boolean).join('\n');
  const out: Record<string, unknown> = {
    card_type: card.kind,
    main_title: { title: card.title },
    ...(subTitle ? { sub_title_text: subTitle } : {}),
    ...(rows.length ? { horizontal_content_list: rows } : {}),
  };
  if (card.kind === 'button_interaction') {
    out.task_id = card.taskId ?? taskIdFromKey(ctx.key);
    out.button_list = (card.buttons ?? []).map((b) => ({ text: b.text, style: b.style ?? 1, key: b.key }));
    if (card.url) out.card_action = { type: 1, url: card.url };
  } else {
    if (card.taskId) out.task_id = card.taskId;
    out.card_action = { type: 1, url: card.url ?? ctx.fallbackUrl };
  }
  return out;
}
