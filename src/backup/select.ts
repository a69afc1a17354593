/**
 * Which keys a snapshot holds. Everything of the namespace is the bot's data except what only matters for a
 * few seconds or minutes and would be wrong, or dangerous, to bring back: locks (busy updates, token refresh,
 * the sandbox seed, migrations, leases, a BullMQ worker's hold on a job), cached access tokens and JS-SDK tickets, rate
 * buckets and limiter counters, and the check-in page's OAuth states, sessions and codes.
 *
 * Kept on purpose: the de-duplication records (`seen`), so a WeCom retry after a restore has no second effect;
 * the outbox queue and its sent and cancelled markers, so a restore sends nothing twice and loses nothing
 * pending; the store marker and the schema version.
 */
import type { Keys } from '../redis/keys.js';

/** The hash tag and the rest of a key name inside the namespace (`{u:LiXiaoYan}:seen:u1` → `u:LiXiaoYan`, `seen:u1`). */
export function splitKey(rel: string): { tag: string; rest: string } {
  const m = /^\{([^}]*)\}:?(.*)$/.exec(rel);
  return m ? { tag: m[1]!, rest: m[2]! } : { tag: '', rest: rel };
}

/** The store tag's data keys; any other key under it (a migration lock) is transient. */
const STORE_DATA = new Set(['kind', 'schema']);

/** True for a key that is left out of a snapshot; `rel` is the name without the `<namespace>:` prefix. */
export function isTransient(rel: string): boolean {
  const { tag, rest } = splitKey(rel);
  if (tag === 'wecom') return true; // access tokens, JS-SDK tickets and their refresh locks
  if (tag.startsWith('rl:')) return true; // rate buckets and the check-in page's request counters
  if (tag.startsWith('page:') || tag.startsWith('code:')) return true; // OAuth states, page sessions, codes
  if (tag.startsWith('u:') && rest.startsWith('busy:')) return true;
  if (tag === 'store') return !STORE_DATA.has(rest);
  if (tag === 'sandbox' && rest === 'seedlock') return true;
  if (tag.startsWith('lease:')) return true; // who holds a lease now (src/redis/lease.ts), and its fencing count
  // BullMQ: a worker's lock on an active job, the stalled-jobs check and the queue's rate limiter.
  if (tag === 'outbox' && (rest.endsWith(':lock') || rest.endsWith(':stalled-check') || rest.endsWith(':limiter')))
    return true;
  return rest === 'lock' || rest.endsWith(':lock');
}

/**
 * The order keys are read in (see read.ts): de-duplication records, then outbox markers, then the policy
 * history with the closed months (a month is marked closed only after its figures are written, so reading the
 * marks before the figures never gives a closed month without them), then the rest.
 */
export type Phase = 'seen' | 'markers' | 'closings' | 'data';

/** SCAN patterns of each phase. */
export function phasePattern(keys: Keys, phase: Phase): string {
  if (phase === 'seen') return `${keys.ns}:{u:*}:seen:*`;
  if (phase === 'markers') return `${keys.ns}:{ob:*}:*`;
  if (phase === 'closings') return `${keys.ns}:{policy}:*`;
  return `${keys.ns}:{*`;
}

/** The phase a key belongs to. */
export function phaseOf(rel: string): Phase {
  const { tag, rest } = splitKey(rel);
  if (tag.startsWith('u:') && rest.startsWith('seen:')) return 'seen';
  if (tag.startsWith('ob:') && (rest === 'sent' || rest === 'cancelled')) return 'markers';
  if (tag === 'policy') return 'closings';
  return 'data';
}
