/**
 * `zhucun sheet [--month YYYY-MM] [--now ISO] --out FILE.xlsx [--json]`: the monthly attendance sheet (考勤表)
 * of every cadre in post that month, as an Excel file. Reads `ZHUCUN_POLICY` (default `config/policy.yaml`)
 * and `ZHUCUN_HOLIDAYS` like the server, so the file matches what the bot tells people.
 */
import { writeFile } from 'node:fs/promises';
import { cliActor, oneOffId } from '../audit/actor.js';
import { appendAudit } from '../audit/trail.js';
import { exportSheet } from '../sheet/build.js';
import { sheetExport } from '../../templates/audit.js';
import { printJson, UsageError, type CliIO, type OpenCliStore } from './io.js';
import { loadRules, parseCli, parseMonthOption, parseNow } from './options.js';

const USAGE = 'usage: zhucun sheet [--month YYYY-MM] [--now ISO] --out FILE.xlsx [--json]';

export type OpenSheetStore = OpenCliStore;

function parseCommandLine(argv: string[]) {
  return parseCli(
    {
      args: argv,
      options: {
        month: { type: 'string' },
        now: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      allowPositionals: false,
    },
    USAGE,
  );
}

/**
 * Run the subcommand: write the workbook to `--out` and say what was written (one JSON document with
 * `--json`). The month defaults to that of `--now` (default: the clock). A wrong command line throws
 * `UsageError` (exit 2 from `main`). The export is recorded in the audit trail at `clock()`, the time it is
 * made (`--now` only says which figures), before the file is written: one the trail cannot record is not made.
 */
export async function run(
  argv: string[],
  io: CliIO,
  open: OpenSheetStore,
  clock: () => Date = () => new Date(),
): Promise<number> {
  const { values } = parseCommandLine(argv);
  if (!values.out) throw new UsageError(`--out FILE.xlsx is required\n${USAGE}`);
  const now = parseNow(values.now);
  const month = parseMonthOption(values.month, now);
  const { policy, calendar } = await loadRules(io.env);
  const conn = await open();
  try {
    const roster = await conn.roster.get();
    const sheet = await exportSheet({ redis: conn.redis, keys: conn.keys, policy, calendar }, roster, month, now);
    await appendAudit(conn.redis, conn.keys, {
      kind: 'export.sheet',
      actor: cliActor(),
      channel: 'cli',
      at: clock().getTime(),
      id: oneOffId('export.sheet', month),
      ref: month,
      summary: sheetExport(month, sheet.cadres, values.out),
    });
    await writeFile(values.out, sheet.bytes);
    const summary = { file: values.out, month, cadres: sheet.cadres, bytes: sheet.bytes.length };
    if (values.json) printJson(io, summary);
    else io.out(`wrote ${summary.file}: attendance sheet of ${month}, ${summary.cadres} cadre(s)\n`);
    return 0;
  } finally {
    await conn.close();
  }
}
