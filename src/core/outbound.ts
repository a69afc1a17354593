/**
 * An outbound message: anything the bot says other than a passive reply. Handlers and jobs create these; the
 * outbox sends them once, within WeCom's limits. `key` is the caller's idempotency key: the same key is sent
 * once however often it is queued.
 */
import type { Card } from './reply.js';

export type OutboundTarget =
  /** App message (`message/send`) to members by userid. */
  | { kind: 'user'; userIds: string[] }
  /** Group robot webhook; `keyEnv` names the environment variable that holds the webhook key. */
  | { kind: 'webhook'; keyEnv: string }
  /** Smart robot one-time `response_url`. */
  | { kind: 'response_url'; url: string }
  /** `message/update_template_card` for a clicked card. */
  | { kind: 'card_update'; userIds: string[]; responseCode: string }
  /** `message/recall` of the app messages the outbox sent under these idempotency keys (within 24 hours). */
  | { kind: 'recall'; keys: string[] };

export type OutboundBody =
  | { type: 'text'; content: string }
  | { type: 'markdown'; content: string }
  | { type: 'card'; card: Card }
  | { type: 'image'; pngBase64: string }
  /**
   * A file (an exported sheet or document) with its bytes: uploaded (`media/upload`, or the robot's
   * `upload_media`) when it is sent, since a media id lasts three days and a queued message may wait longer.
   */
  | { type: 'file'; filename: string; contentBase64: string }
  | { type: 'button_replace'; replaceName: string }
  | { type: 'recall' };

export interface Outbound {
  key: string;
  to: OutboundTarget;
  body: OutboundBody;
  /** Why it was sent, for the log and the burden figures: 'approval', 'announcement', 'reminder', 'digest', … */
  purpose: string;
  /** Send no earlier than this (ms since epoch); quiet hours are applied by the caller. */
  notBefore?: number;
}
