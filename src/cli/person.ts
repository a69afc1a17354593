/**
 * `zhucun person export USERID [--out FILE]`: everything the bot keeps about one person (roster entry,
 * check-ins, presence days, leave, back-fills, reports, announcement receipts, warnings, pushes, …) as one JSON
 * document, on stdout or in FILE (created readable by its owner only). For answering a person's request to see
 * their own data; it changes nothing but the audit trail, which records the export.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { cliActor, oneOffId } from '../audit/actor.js';
import { appendAudit } from '../audit/trail.js';
import { personExport } from '../../templates/audit.js';
import { printJson, UsageError, type CliIO, type OpenCliStore } from './io.js';
import { parseCli } from './options.js';
import { isEmpty, personData, USERID } from './person-data.js';

const USAGE = 'usage: zhucun person export USERID [--out FILE]';

export type OpenPersonStore = OpenCliStore;

function parseCommandLine(argv: string[]) {
  return parseCli(
    {
      args: argv,
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    },
    USAGE,
  );
}

/**
 * Run the subcommand. Exit 0 with the document; 1 when nothing at all is kept about the userid; a wrong command
 * line throws `UsageError` (exit 2 from `main`).
 */
export async function run(
  argv: string[],
  io: CliIO,
  open: OpenPersonStore,
  now: () => Date = () => new Date(),
): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const [action, userid, ...extra] = positionals;
  if (action !== 'export' || !userid || extra.length) throw new UsageError(USAGE);
  if (!USERID.test(userid)) throw new UsageError(`not a WeCom userid: ${userid}\n${USAGE}`);
  if (values.out === '') throw new UsageError(`--out needs a file name\n${USAGE}`);
  const conn = await open();
  try {
    const at = now();
    const doc = await personData(conn.redis, conn.keys, await conn.roster.get(), userid, at);
    if (isEmpty(doc)) {
      io.err(`nothing is kept about ${userid} (not on the roster, no records)\n`);
      return 1;
    }
    // Recorded before the data leaves: an export the trail cannot record is not made.
    await appendAudit(conn.redis, conn.keys, {
      kind: 'export.person',
      actor: cliActor(),
      channel: 'cli',
      at: at.getTime(),
      id: oneOffId('export.person', userid),
      subject: userid,
      summary: personExport(values.out),
    });
    if (values.out === undefined) {
      printJson(io, doc);
    } else {
      // Personal data: readable by whoever runs the export only.
      writeFileSync(values.out, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
      chmodSync(values.out, 0o600); // an existing file keeps its mode on write
      io.err(`wrote the data of ${userid} to ${values.out}\n`);
    }
    return 0;
  } finally {
    await conn.close();
  }
}
