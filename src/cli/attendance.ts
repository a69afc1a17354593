/**
 * `zhucun attendance USERID [--month YYYY-MM] [--now ISO] [--json]`: one cadre's month and year figures, as
 * the chat command shows them, or as one JSON document. Reads `ZHUCUN_POLICY` (default `config/policy.yaml`)
 * and `ZHUCUN_HOLIDAYS` like the server.
 */
import { readHistories } from '../roster/history.js';
import { attendanceReport, unknownCadre } from '../../templates/attendance.js';
import type { CadreFigures } from '../attendance/figures.js';
import { monthFiguresFor } from '../close/read.js';
import { printJson, UsageError, type CliIO, type OpenCliStore } from './io.js';
import { loadRules, parseCli, parseMonthOption, parseNow } from './options.js';

const USAGE = 'usage: zhucun attendance USERID [--month YYYY-MM] [--now ISO] [--json]';

export type OpenAttendanceStore = OpenCliStore;

/** The JSON document: month figures at the top, the annual period under `year`; null targets while pending. */
export function figuresJson(f: CadreFigures) {
  const m = f.month;
  return {
    userid: f.userid,
    month: m.month,
    present: m.present,
    selfReported: m.selfReported,
    target: m.target.status === 'set' ? m.target.target : null,
    remaining: m.remaining,
    needed: m.needed,
    status: m.status,
    year: { present: f.year.present, target: f.year.target.target, pace: f.year.pace, status: f.year.status },
  };
}

function parseCommandLine(argv: string[]) {
  return parseCli(
    {
      args: argv,
      options: { month: { type: 'string' }, now: { type: 'string' }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
    },
    USAGE,
  );
}

/**
 * Run the subcommand. Exit 0 with the figures; 1 when the userid is not a cadre on the roster; a wrong
 * command line throws `UsageError` (exit 2 from `main`).
 */
export async function run(argv: string[], io: CliIO, open: OpenAttendanceStore): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const [userid, ...extra] = positionals;
  if (!userid || extra.length) throw new UsageError(USAGE);
  const now = parseNow(values.now);
  const month = parseMonthOption(values.month, now);
  const { policy, calendar } = await loadRules(io.env);
  const conn = await open();
  try {
    const roster = await conn.roster.get();
    const listed = roster.cadres.get(userid);
    // A cadre who has left the roster keeps their figures: their last period in post says where they served.
    const last = listed ? undefined : (await readHistories(conn.redis, conn.keys, [userid])).get(userid)?.at(-1);
    const cadre = listed ?? last;
    if (!cadre) {
      io.err(`${unknownCadre(userid)}\n`);
      return 1;
    }
    // The policy file is only the fallback: registered versions and closed months decide, as in the bot.
    const src = { redis: conn.redis, keys: conn.keys, policy, calendar };
    const figures = (await monthFiguresFor(src, [cadre], { now, months: [month], onlyListed: true })).figures.get(
      userid,
    )!;
    if (values.json) printJson(io, figuresJson(figures));
    else {
      const view = {
        self: false,
        name: cadre.name,
        village: listed ? roster.villageOf(listed).name : last!.villageName,
        sendingUnit: cadre.sendingUnit,
      };
      io.out(
        `${attendanceReport({ ...view, month: figures.month, year: figures.year, neededShare: policy.warnings.remind.neededShare })}\n`,
      );
    }
    return 0;
  } finally {
    await conn.close();
  }
}
