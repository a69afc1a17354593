import type { Outbound } from './outbound.js';

/** Where the core hands outbound messages after its commit; the BullMQ outbox implements it. */
export interface OutboxPort {
  /** Queue messages; a key queued before is not sent again. */
  enqueue(messages: Outbound[]): Promise<void>;
}
