/**
 * The card part of a reply, as templates/ build it and the edges render it (app `template_card`, robot card).
 * A leaf type so that templates need not import the core.
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
