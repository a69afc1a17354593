/**
 * `zhucun store` shows what the Redis namespace holds (the store marker: sandbox or production);
 * `zhucun store mark sandbox|production` sets the marker (changing an existing one needs `--force`), for a store
 * from a release before the marker; `zhucun store wipe --confirm NAMESPACE` deletes every key of the namespace,
 * marker included, so the next start begins on an empty store. Stop the server before wiping.
 */
import { parseArgs } from 'node:util';
import { markStore, STORE_KINDS, storeState, type StoreKind, type StoreState } from '../config/store-kind.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { wipeNamespace } from '../redis/wipe.js';
import { printJson, UsageError, type CliIO } from './io.js';

export interface StoreCliConnection {
  redis: RedisClient;
  keys: Keys;
  close(): Promise<void>;
}

const USAGE =
  'usage: zhucun store [--json]\n       zhucun store mark (sandbox | production) [--force]\n       zhucun store wipe --confirm NAMESPACE';

function describe(ns: string, s: StoreState): string {
  if ('marked' in s) return `namespace "${ns}" is marked as a ${s.marked} store`;
  if ('empty' in s) return `namespace "${ns}" is empty; the first start marks it`;
  return `namespace "${ns}" has data but no marker; it is taken for a ${s.unmarked} store (\`zhucun store mark\` to say otherwise)`;
}

/** Run the subcommand; `open` connects to Redis (wired by `src/cli/main.ts`). */
export async function run(argv: string[], io: CliIO, open: () => Promise<StoreCliConnection>): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      force: { type: 'boolean' },
      confirm: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const [action, kind, ...extra] = positionals;
  if (extra.length || (action !== undefined && action !== 'mark' && action !== 'wipe')) throw new UsageError(USAGE);
  if (action === 'mark' && !STORE_KINDS.includes(kind as StoreKind))
    throw new UsageError(`mark needs sandbox or production\n${USAGE}`);
  if (action === 'wipe' && (kind !== undefined || !values.confirm))
    throw new UsageError(`wipe needs --confirm NAMESPACE\n${USAGE}`);

  const conn = await open();
  const { redis, keys } = conn;
  try {
    const before = await storeState(redis, keys);
    if (action === 'mark') {
      if ('marked' in before && before.marked !== kind && !values.force) {
        io.err(`${describe(keys.ns, before)}; changing it to ${kind} needs --force\n`);
        return 1;
      }
      await markStore(redis, keys, kind as StoreKind);
    } else if (action === 'wipe') {
      if (values.confirm !== keys.ns) {
        io.err(
          `--confirm ${values.confirm} does not name this namespace ("${keys.ns}", from ZHUCUN_NAMESPACE): nothing wiped\n`,
        );
        return 1;
      }
      const n = await wipeNamespace(redis, keys.ns);
      io.err(`namespace "${keys.ns}": ${n} key(s) deleted\n`);
    }
    const after = await storeState(redis, keys);
    if (values.json) printJson(io, { namespace: keys.ns, ...after });
    else io.out(`${describe(keys.ns, after)}\n`);
    return 0;
  } finally {
    await conn.close();
  }
}
