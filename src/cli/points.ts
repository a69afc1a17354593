/**
 * `zhucun points --half 2026H2 [--now ISO] [--out FILE.xlsx] [--json] [--order village|score]`: the half-yearly
 * 积分表 of every cadre whose term falls in the half year. Sorted by township, village and name; `--order score`
 * is the organisation department's own private export, only when asked for. Without `--out` the table is
 * printed. Reads `ZHUCUN_POLICY` and `ZHUCUN_HOLIDAYS` like the server.
 */
import { writeFile } from 'node:fs/promises';
import { cliActor, oneOffId } from '../audit/actor.js';
import { appendAudit } from '../audit/trail.js';
import { LeaveRepo } from '../leave/repo.js';
import { CheckinRepo } from '../attendance/ledger.js';
import { halfNameLabel, parseHalfName } from '../points/half.js';
import { loadPoints } from '../points/load.js';
import type { NoticeSource } from '../points/notices.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { buildPointsSheet, pointsRows, type PointsOrder } from '../points/sheet.js';
import { ProblemRepo } from '../problems/repo.js';
import { ReportRepo } from '../reports/repo.js';
import { VisitRepo } from '../visits/repo.js';
import { pointsExport } from '../../templates/points.js';
import { printJson, UsageError, type CliIO, type OpenCliStore } from './io.js';
import { loadRules, parseCli, parseNow } from './options.js';

const USAGE =
  'usage: zhucun points --half YYYYH1|YYYYH2 [--now ISO] [--out FILE.xlsx] [--json] [--order village|score]';

function parseCommandLine(argv: string[]) {
  return parseCli(
    {
      args: argv,
      options: {
        half: { type: 'string' },
        now: { type: 'string' },
        out: { type: 'string' },
        order: { type: 'string', default: 'village' },
        json: { type: 'boolean', default: false },
      },
      allowPositionals: false,
    },
    USAGE,
  );
}

/**
 * Run the subcommand. `notices` opens the numbered notices' store on the connection (absent: notices count for
 * nothing and the table says so). The export is recorded in the audit trail before anything is written.
 */
export async function run(
  argv: string[],
  io: CliIO,
  open: OpenCliStore,
  clock: () => Date = () => new Date(),
  notices?: (redis: RedisClient, keys: Keys) => NoticeSource,
): Promise<number> {
  const { values } = parseCommandLine(argv);
  if (!values.half) throw new UsageError(`--half is required, e.g. --half 2026H2\n${USAGE}`);
  const half = parseHalfName(values.half);
  if (!half) throw new UsageError(`--half must be YYYYH1 or YYYYH2, e.g. 2026H2 (got ${values.half})\n${USAGE}`);
  if (values.order !== 'village' && values.order !== 'score')
    throw new UsageError(`--order must be village or score (got ${values.order})\n${USAGE}`);
  const order: PointsOrder = values.order;
  const now = parseNow(values.now);
  const { policy, calendar } = await loadRules(io.env);
  const conn = await open();
  try {
    const roster = await conn.roster.get();
    const { redis, keys } = conn;
    const repos = {
      reports: new ReportRepo(redis, keys),
      problems: new ProblemRepo(redis, keys),
      visits: new VisitRepo(redis, keys),
      leave: new LeaveRepo(redis, keys),
      checkins: new CheckinRepo(redis, keys),
    };
    const src = { redis, keys, policy, calendar, repos, ...(notices ? { notices: notices(redis, keys) } : {}) };
    const list = await loadPoints(src, roster, roster.data.cadres, half, now);
    const label = halfNameLabel(half);
    await appendAudit(redis, keys, {
      kind: 'export.points',
      actor: cliActor(),
      channel: 'cli',
      at: clock().getTime(),
      id: oneOffId('export.points', `${label}:${order}`),
      ref: label,
      summary: pointsExport(label, list.length, order, values.out),
    });
    const rows = pointsRows(roster, list, order);
    if (values.out) {
      const bytes = Buffer.from(await buildPointsSheet(roster, list, label, policy, order).xlsx.writeBuffer());
      await writeFile(values.out, bytes);
    }
    if (values.json) printJson(io, { half: label, order, file: values.out ?? null, cadres: rows });
    else if (values.out)
      io.out(`wrote ${values.out}: points of ${label}, ${rows.length} cadre(s), ordered by ${order}\n`);
    else {
      io.out(
        `points of ${label}, ordered by ${order === 'village' ? 'township, village and name' : 'score (private)'}\n`,
      );
      for (const r of rows)
        io.out(`${r.township}\t${r.village}\t${r.name}\t${r.period.start}..${r.period.end}\t${r.total}\n`);
      if (rows.some((r) => !r.noticesKnown)) io.out('notices are not connected: no notice points counted\n');
    }
    return 0;
  } finally {
    await conn.close();
  }
}
