/**
 * Redis keys of the outbox that `src/redis/keys.ts` does not have yet (to be moved there): the record that a
 * message was accepted by WeCom. Its hash tag is the idempotency key, so markers spread over a cluster.
 */
import type { Keys } from '../redis/keys.js';

/** Set right after WeCom accepted the message with this idempotency key; checked before every send. */
export function sentMarkerKey(keys: Keys, key: string): string {
  return `${keys.ns}:{ob:${key}}:sent`;
}
