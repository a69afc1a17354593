/**
 * What the core answers to an update, independent of channel. The edges render it: a passive encrypted XML
 * reply for the app, a finished stream or template card for the smart robot, JSON for the check-in page.
 */
import type { Card } from '../kit/card.js';

export type { Card, CardButton } from '../kit/card.js';

export interface Reply {
  /** Plain text (app passive reply limit 2048 bytes; templates keep it shorter). */
  text?: string;
  /** Markdown (robot stream content, app message/send markdown). Used instead of text when present. */
  markdown?: string;
  card?: Card;
  /** After a card click: replace the clicked card's button with this label (WeCom `update_button`). */
  replaceButton?: string;
  /** Facts for machine edges (the check-in page shows green or amber by `counts`). */
  meta?: { counts?: boolean };
}
