/**
 * `zhucun backup --out FILE [--json]`: a snapshot of the namespace's data into FILE (gzip-compressed JSON
 * lines, mode 0600), recorded in the audit trail. It can be taken while the bot runs.
 */
import { cliActor } from '../audit/actor.js';
import { parseArgs } from 'node:util';
import { takeBackup } from '../backup/take.js';
import type { CliRedis } from './open.js';
import { printJson, UsageError, type CliIO } from './io.js';

const USAGE = 'usage: zhucun backup --out FILE [--json]';

/** Run the subcommand; `open` connects to Redis (wired by `src/cli/main.ts`). */
export async function run(argv: string[], io: CliIO, open: () => Promise<CliRedis>): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length || !values.out) throw new UsageError(USAGE);
  const conn = await open();
  try {
    const taken = await takeBackup(conn.redis, conn.keys, {
      file: values.out,
      now: new Date(),
      actor: cliActor(),
      channel: 'cli',
    });
    const h = taken.header;
    if (values.json) printJson(io, { ok: true, file: taken.file, bytes: taken.bytes, snapshot: h });
    else
      io.out(
        `wrote ${taken.file}: ${h.keys} keys of the ${h.storeKind} store "${h.namespace}" (schema ${h.schemaVersion}, ` +
          `bot ${h.appVersion}), ${taken.bytes} bytes\n`,
      );
    return 0;
  } finally {
    await conn.close();
  }
}
