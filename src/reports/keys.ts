/**
 * Report keys that `src/redis/keys.ts` does not have yet. Built from the same namespace and per-cadre hash tag,
 * so they share a slot with the cadre's `reports` hash (multi-key commits stay valid on a cluster).
 */
import type { Keys } from '../redis/keys.js';

/**
 * Photos attached to one cadre's reports: hash `<reportNo>:<updateId>` → JSON image. A hash of its own because
 * WeCom delivers each photo as a separate callback, often several at the same moment; appending to the report's
 * JSON would be a read-modify-write in which one of two concurrent photos is lost. HSET of distinct fields is not.
 */
export function reportImagesKey(keys: Keys, userId: string): string {
  return `${keys.ns}:{${keys.userTag(userId)}}:reportimages`;
}
