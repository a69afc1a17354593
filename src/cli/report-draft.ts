/**
 * `zhucun report-draft [--month YYYY-MM] [--now ISO] --out FILE.docx [--json]`: the monthly 通报 draft (.docx)
 * the organisation department edits before issuing it: the county's figures, the townships' (roster order, no
 * ranking), and the notices issued and closed in the month. Reads `ZHUCUN_POLICY` and `ZHUCUN_HOLIDAYS` like the
 * server, so the figures match what the bot tells people.
 */
import { writeFile } from 'node:fs/promises';
import { cliActor, oneOffId } from '../audit/actor.js';
import { appendAudit } from '../audit/trail.js';
import { reportDraftExport } from '../../templates/audit.js';
import { exportBulletin } from '../sheet/bulletin.js';
import { printJson, UsageError, type CliIO, type OpenCliStore } from './io.js';
import { loadRules, parseCli, parseMonthOption, parseNow } from './options.js';

const USAGE = 'usage: zhucun report-draft [--month YYYY-MM] [--now ISO] --out FILE.docx [--json]';

/**
 * Write the draft to `--out` and say what was written (one JSON document with `--json`). The export is recorded
 * in the audit trail at `clock()` before the file is written, as `zhucun sheet` does.
 */
export async function run(
  argv: string[],
  io: CliIO,
  open: OpenCliStore,
  clock: () => Date = () => new Date(),
): Promise<number> {
  const { values } = parseCli(
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
  if (!values.out) throw new UsageError(`--out FILE.docx is required\n${USAGE}`);
  const now = parseNow(values.now);
  const month = parseMonthOption(values.month, now);
  const { policy, calendar } = await loadRules(io.env);
  const conn = await open();
  try {
    const roster = await conn.roster.get();
    const draft = await exportBulletin({ redis: conn.redis, keys: conn.keys, policy, calendar }, roster, month, now);
    await appendAudit(conn.redis, conn.keys, {
      kind: 'export.report-draft',
      actor: cliActor(),
      channel: 'cli',
      at: clock().getTime(),
      id: oneOffId('export.report-draft', month),
      ref: month,
      summary: reportDraftExport(month, draft.cadres, values.out),
    });
    await writeFile(values.out, draft.bytes);
    const summary = {
      file: values.out,
      month,
      cadres: draft.cadres,
      noticesIssued: draft.issued,
      noticesClosed: draft.closed,
      bytes: draft.bytes.length,
    };
    if (values.json) printJson(io, summary);
    else
      io.out(
        `wrote ${summary.file}: 通报 draft of ${month}, ${summary.cadres} cadre(s), ` +
          `${summary.noticesIssued} notice(s) issued, ${summary.noticesClosed} closed\n`,
      );
    return 0;
  } finally {
    await conn.close();
  }
}
