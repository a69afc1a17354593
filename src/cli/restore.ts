/**
 * `zhucun restore FILE [--replace] [--json]`: load a snapshot into an empty namespace (ZHUCUN_NAMESPACE), or,
 * with `--replace`, into one emptied first. The file is checked completely before Redis is reached. A sandbox
 * snapshot goes only into a sandbox run (ZHUCUN_SANDBOX=1), a production one never into it. Stop the bot first.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { KNOWN_SCHEMA_VERSION, parseSnapshot } from '../backup/format.js';
import { restoreSnapshot } from '../backup/restore.js';
import { cliActor } from '../audit/actor.js';
import type { CliRedis } from './open.js';
import { printJson, UsageError, type CliIO } from './io.js';
import { cliJobContext } from './job-context.js';

const USAGE = 'usage: zhucun restore FILE [--replace] [--json]';

/** Run the subcommand; `open` connects to Redis (wired by `src/cli/main.ts`). */
export async function run(argv: string[], io: CliIO, open: () => Promise<CliRedis>): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { replace: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const [path, ...extra] = positionals;
  if (!path || extra.length) throw new UsageError(USAGE);
  // The whole file is read and checked before anything connects to Redis.
  const snapshot = parseSnapshot(await readFile(path), KNOWN_SCHEMA_VERSION);
  const conn = await open();
  try {
    const { keys } = conn;
    // The retention step after loading sends nothing.
    const ctx = await cliJobContext(conn, io, {
      enqueue: () => Promise.reject(new Error('a restore sends no messages')),
    });
    const result = await restoreSnapshot(snapshot, ctx, {
      replace: values.replace ?? false,
      target: io.env.ZHUCUN_SANDBOX?.trim() === '1' ? 'sandbox' : 'production',
      name: basename(path),
      actor: cliActor(),
      channel: 'cli',
    });
    const h = result.header;
    const r = result.reduced;
    if (values.json)
      printJson(io, {
        ok: true,
        namespace: keys.ns,
        written: result.written,
        wiped: result.wiped,
        reduced: r,
        snapshot: h,
      });
    else
      io.out(
        `restored ${result.written} keys of the ${h.storeKind} store "${h.namespace}" taken ${h.takenAt} into "${keys.ns}"` +
          `${result.wiped ? ` (${result.wiped} keys deleted first)` : ''}; ` +
          (r.checkins
            ? `the retention step reduced ${r.checkins} check-ins on ${r.days} days from ${r.from} to ${r.to}\n`
            : 'no check-in was due to be reduced\n'),
      );
    return 0;
  } finally {
    await conn.close();
  }
}
