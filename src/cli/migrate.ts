/**
 * `zhucun migrate` brings the stored data to this code's schema version (what the server's start does, under
 * the same lock); `zhucun migrate --status` only says where the data and the code stand and which steps are
 * pending. A failing step exits 1 with its name; the data stays at the last step that completed.
 */
import { parseArgs } from 'node:util';
import { systemClock, type Clock } from '../core/clock.js';
import { migrate } from '../migrate/run.js';
import type { MigrationStep } from '../migrate/step.js';
import { STEPS } from '../migrate/steps.js';
import { codeVersion, readSchemaVersion, type SchemaStamp } from '../migrate/version.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { printJson, UsageError, type CliIO } from './io.js';

export interface MigrateCliConnection {
  redis: RedisClient;
  keys: Keys;
  close(): Promise<void>;
}

/** What the caller wires: the connection, and (for tests) the clock and the steps. */
export interface MigrateCliDeps {
  open: () => Promise<MigrateCliConnection>;
  clock?: Clock;
  steps?: readonly MigrationStep[];
}

const USAGE = 'usage: zhucun migrate [--status] [--json]';

function stampLine(ns: string, s: SchemaStamp): string {
  if (!s.stamped) return `namespace "${ns}": no schema version stored (data of the release before versions, or empty)`;
  const when = s.migratedAt ? `, migrated ${s.migratedAt}${s.by ? ` by ${s.by}` : ''}` : '';
  return `namespace "${ns}": data at schema version ${s.version} (readable by code of version ${s.minReader} and newer${when})`;
}

function verdict(s: SchemaStamp, code: number, pending: readonly MigrationStep[]): string {
  if (s.minReader > code) return `the data needs code of schema version ${s.minReader} or newer: this code refuses it`;
  if (s.version > code) return 'the data is newer than this code, which can still read it: nothing to migrate';
  if (!pending.length) return 'up to date';
  return `${pending.length} step(s) pending:\n${pending.map((p) => `  ${p.version}  ${p.name}`).join('\n')}`;
}

/** Run the subcommand; `deps.open` connects to Redis (wired by `src/cli/main.ts`). */
export async function run(argv: string[], io: CliIO, deps: MigrateCliDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { status: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length) throw new UsageError(USAGE);
  const steps = deps.steps ?? STEPS;
  const code = codeVersion(steps);
  const conn = await deps.open();
  const { redis, keys } = conn;
  try {
    if (values.status) {
      const stamp = await readSchemaVersion(redis, keys);
      const pending = stamp.minReader > code ? [] : steps.filter((s) => s.version > stamp.version);
      if (values.json) {
        const { stamped, ...data } = stamp;
        printJson(io, {
          namespace: keys.ns,
          data: { ...data, stamped },
          code,
          readable: stamp.minReader <= code,
          pending: pending.map((p) => ({ version: p.version, name: p.name })),
        });
      } else
        io.out(`${stampLine(keys.ns, stamp)}\nthis code: schema version ${code}\n${verdict(stamp, code, pending)}\n`);
      return 0;
    }
    const result = await migrate(redis, keys, { log: io.log, clock: deps.clock ?? systemClock, steps });
    if (values.json) printJson(io, { namespace: keys.ns, code, ...result });
    else if (result.fresh) io.out(`namespace "${keys.ns}" was empty: stamped with schema version ${result.to}\n`);
    else if (result.ran.length)
      io.out(
        `namespace "${keys.ns}" migrated from schema version ${result.from} to ${result.to}:\n` +
          result.ran.map((r) => `  ${r.version}  ${r.name}\n`).join(''),
      );
    else
      io.out(
        `namespace "${keys.ns}" is at schema version ${result.to}${result.newer ? `, newer than this code (${code})` : ''}: nothing to do\n`,
      );
    return 0;
  } finally {
    await conn.close();
  }
}
