/** One step of the sandbox's sample history: a message or a location sent by one person at one instant. */
export interface SeedStep {
  /** ISO instant. */
  at: string;
  user: string;
  /** A message in the chat with the app; `{name}` is replaced by the number captured under that name. */
  text?: string;
  /** `visit`: the check-in page opened for a leader's visit to this village (到村调研). */
  location?: { lat: number; lng: number; source: 'page' | 'message' | 'auto'; label?: string; visit?: string };
  /** Remember the number (Q…, B…) the reply names, for a later step's `{name}`. */
  capture?: string;
  /**
   * Send what the bot sends for this step instead of dropping it: work still waiting for someone today, such as
   * the rating cards of the open assessment round, belongs in their chat.
   */
  deliver?: boolean;
}
