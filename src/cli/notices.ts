/**
 * `zhucun notices [--month YYYY-MM] [--now ISO] [--json]`: the numbered notices issued in a month with their state;
 * `zhucun notices docx NUMBER [--out FILE.docx] [--json]`: one notice as a printable Word document.
 */
import { writeFile } from 'node:fs/promises';
import { monthDates } from '../kit/dates.js';
import { noticeDocx } from '../notices/docx.js';
import { readNo } from '../notices/notice.js';
import { NoticeRepo } from '../notices/repo.js';
import { printJson, UsageError, type CliIO, type OpenCliStore } from './io.js';
import { parseCli, parseMonthOption, parseNow } from './options.js';

const USAGE =
  'usage: zhucun notices [--month YYYY-MM] [--now ISO] [--json]\n       zhucun notices docx NUMBER [--out FILE.docx] [--json]';

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
      allowPositionals: true,
    },
    USAGE,
  );
}

export async function run(argv: string[], io: CliIO, open: OpenCliStore): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const [sub, number, ...extra] = positionals;
  if (sub !== undefined && sub !== 'docx') throw new UsageError(`unknown subcommand "${sub}"\n${USAGE}`);
  if (sub === 'docx') {
    const no = number === undefined ? undefined : readNo(number);
    if (!no || extra.length) throw new UsageError(`docx needs one notice number, e.g. Z2026-014\n${USAGE}`);
    if (values.month) throw new UsageError(`--month is for the list\n${USAGE}`);
    return docx(io, open, no, values.out ?? `${no}.docx`, values.json);
  }
  if (values.out) throw new UsageError(`--out is for docx\n${USAGE}`);
  const month = parseMonthOption(values.month, parseNow(values.now));
  const dates = monthDates(month);
  const conn = await open();
  try {
    const list = await new NoticeRepo(conn.redis, conn.keys).issuedBetween(dates[0]!, dates.at(-1)!);
    const rows = list.map((n) => ({
      number: n.no,
      kind: n.kind,
      state: n.state,
      userId: n.userId,
      name: n.name,
      village: n.village,
      township: n.township.name,
      trigger: n.trigger,
      issuedOn: n.issuedOn,
      ...(n.deadline ? { deadline: n.deadline } : {}),
      ...(n.answer ? { answeredAt: n.answer.at } : {}),
      ...(n.decision ? { decidedBy: n.decision.by, decidedAt: n.decision.at } : {}),
      ...(n.decision?.to ? { escalatedTo: n.decision.to } : {}),
    }));
    if (values.json) printJson(io, { month, notices: rows });
    else {
      io.out(`notices issued in ${month}: ${rows.length}\n`);
      for (const r of rows)
        io.out(
          `${r.number}  ${r.kind.padEnd(7)}  ${r.state.padEnd(9)}  ${r.name} (${r.village})  issued ${r.issuedOn}${r.deadline ? `, answer by ${r.deadline}` : ''}${r.escalatedTo ? `, escalated to ${r.escalatedTo}` : ''}\n`,
        );
    }
    return 0;
  } finally {
    await conn.close();
  }
}

async function docx(io: CliIO, open: OpenCliStore, no: string, out: string, json: boolean): Promise<number> {
  const conn = await open();
  try {
    const notice = await new NoticeRepo(conn.redis, conn.keys).get(no);
    if (!notice) {
      io.err(`no notice ${no}\n`);
      return 1;
    }
    const bytes = await noticeDocx(notice, await conn.roster.get());
    await writeFile(out, bytes);
    if (json) printJson(io, { file: out, number: no, bytes: bytes.length });
    else io.out(`wrote ${out}: ${no}\n`);
    return 0;
  } finally {
    await conn.close();
  }
}
