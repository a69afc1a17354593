/**
 * The store marker: a key recording whether a Redis namespace holds sandbox or production data, written at
 * first start. The sandbox never starts on (or wipes, or seeds) a production store, and production never starts
 * on a sandbox store full of invented people.
 *
 * A namespace with data but no marker comes from a release before the marker. It counts as production, unless
 * its roster is the sample roster (`sample: true`, which only the sandbox imports by itself) and the sandbox's
 * seed ran on it: that is an earlier sandbox. `zhucun store mark` settles any other case by hand.
 */
import { isCluster, type RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { ConfigError } from './env.js';

export type StoreKind = 'sandbox' | 'production';
export const STORE_KINDS: readonly StoreKind[] = ['sandbox', 'production'];

/** The marker, or what an unmarked store looks like: `empty`, or the kind its data suggests. */
/** The marker while `zhucun restore` loads a snapshot: nothing starts on a half-loaded store. */
export const RESTORING = 'restoring';

export type StoreState = { marked: StoreKind } | { empty: true } | { unmarked: StoreKind };

/** True when any key of the namespace exists (on any master of a cluster). */
async function hasData(redis: RedisClient, ns: string): Promise<boolean> {
  const nodes = isCluster(redis) ? redis.nodes('master') : [redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', `${ns}:{*`, 'COUNT', 1000);
      if (batch.length) return true;
      cursor = next;
    } while (cursor !== '0');
  }
  return false;
}

/** True when the stored roster says `sample: true`; read raw, so that a damaged roster counts as not. */
async function isSampleRoster(redis: RedisClient, keys: Keys): Promise<boolean> {
  try {
    return (JSON.parse((await redis.get(keys.roster())) ?? '{}') as { sample?: unknown }).sample === true;
  } catch {
    return false;
  }
}

/** Read the marker, or judge an unmarked store by its data. */
export async function storeState(redis: RedisClient, keys: Keys): Promise<StoreState> {
  const marker = await redis.get(keys.storeKind());
  if (marker === 'sandbox' || marker === 'production') return { marked: marker };
  if (marker === RESTORING)
    throw new ConfigError(
      `a restore into the namespace "${keys.ns}" did not finish (${keys.storeKind()} is "${RESTORING}"): ` +
        `run \`zhucun restore FILE --replace\` again before starting the bot on it`,
    );
  if (marker !== null)
    throw new ConfigError(
      `the store marker ${keys.storeKind()} holds "${marker}", neither sandbox nor production: fix it with \`zhucun store mark\``,
    );
  if (!(await hasData(redis, keys.ns))) return { empty: true };
  const oldSandbox = (await isSampleRoster(redis, keys)) && (await redis.exists(keys.sandboxSeeded())) === 1;
  return { unmarked: oldSandbox ? 'sandbox' : 'production' };
}

/** Write the marker (replacing any); for `zhucun store mark` and a first start. */
export async function markStore(redis: RedisClient, keys: Keys, kind: StoreKind): Promise<void> {
  await redis.set(keys.storeKind(), kind);
}

const HOW = (keys: Keys) =>
  `use another ZHUCUN_NAMESPACE (now "${keys.ns}"), REDIS_URL or ZHUCUN_DATA_DIR, or, if this data may really go, ` +
  '`npx zhucun store wipe` it deliberately first';

/**
 * Make sure the store is of this kind before anything is written: mark an empty (or an unmarked, matching)
 * store, refuse one of the other kind with what to do instead.
 */
export async function claimStore(redis: RedisClient, keys: Keys, want: StoreKind): Promise<void> {
  const state = await storeState(redis, keys);
  const have = 'marked' in state ? state.marked : 'unmarked' in state ? state.unmarked : undefined;
  if (have && have !== want) {
    const what =
      'marked' in state
        ? `is marked as a ${have} store`
        : `holds data from an earlier release that looks like a ${have} store`;
    const mark = 'unmarked' in state ? `; if it is in fact a ${want} store, \`npx zhucun store mark ${want}\`` : '';
    throw new ConfigError(
      `refusing to start the ${want === 'sandbox' ? 'sandbox' : 'bot'}: the Redis namespace "${keys.ns}" ${what}: ${HOW(keys)}${mark}`,
    );
  }
  if ('marked' in state) return;
  // Two instances starting together on an empty store: the first marker wins and the other is compared to it.
  if ((await redis.set(keys.storeKind(), want, 'NX')) === null) return claimStore(redis, keys, want);
}

/** True when the store is marked as a sandbox store: reset and seeding refuse any other. */
export async function isSandboxStore(redis: RedisClient, keys: Keys): Promise<boolean> {
  return (await redis.get(keys.storeKind())) === 'sandbox';
}
