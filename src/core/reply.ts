/**
 * What the core answers to an update, independent of channel. The edges render it: a passive encrypted XML
 * reply for the app, a finished stream or template card for the smart robot, JSON for the check-in page.
 */
export interface CardButton {
  text: string;
  /** 1 blue, 2 grey, 3 red, 4 … as in WeCom's `button_list[].style`. */
  style?: 1 | 2 | 3 | 4;
  key: string;
}

/** A WeCom `template_card` reduced to what the bot uses (button_interaction and text_notice). */
export interface Card {
  kind: 'button_interaction' | 'text_notice';
  taskId?: string;
  title: string;
  description?: string;
  /** Label/value rows (`horizontal_content_list`). */
  fields?: { key: string; value: string }[];
  buttons?: CardButton[];
  /** Link of a text_notice card (`card_action.url`). */
  url?: string;
}

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
