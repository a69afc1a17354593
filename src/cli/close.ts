/**
 * `zhucun close MONTH [--now ISO] [--json]`: close a month by hand (关账), as the `month-close` job does from the
 * policy's `monthly.closeDay`: every cadre's figures are stored with the policy version of the month's last
 * day and stay as they are. A month not over yet is refused; a month closed already is left as it was.
 */
import { closeMonth, CloseRefused } from '../close/close.js';
import { parseMonth } from '../kit/dates.js';
import { printJson, UsageError, type CliIO, type OpenCliStore } from './io.js';
import { loadRules, parseCli, parseNow } from './options.js';
import { cliActor } from '../audit/actor.js';

const USAGE = 'usage: zhucun close MONTH [--now ISO] [--json]   (MONTH written YYYY-MM)';

export type OpenCloseStore = OpenCliStore;

function parseCommandLine(argv: string[]) {
  return parseCli(
    {
      args: argv,
      options: { now: { type: 'string' }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
    },
    USAGE,
  );
}

/** Run the subcommand: exit 0 closed (or closed already), 1 refused with the reason, UsageError for a bad line. */
export async function run(argv: string[], io: CliIO, open: OpenCloseStore): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const [month, ...extra] = positionals;
  if (!month || extra.length) throw new UsageError(USAGE);
  try {
    parseMonth(month);
  } catch {
    throw new UsageError(`not a month written YYYY-MM: ${month}\n${USAGE}`);
  }
  const now = parseNow(values.now);
  // Closing is for good: a --now in the future would close a month whose last days have not happened yet.
  if (now.getTime() > Date.now()) throw new UsageError(`--now may not be later than the present time\n${USAGE}`);
  const { policy, calendar } = await loadRules(io.env);
  const conn = await open();
  try {
    const src = { redis: conn.redis, keys: conn.keys, policy, calendar };
    const r = await closeMonth(src, await conn.roster.get(), month, { now, actor: cliActor() });
    const m = r.meta;
    const closedAt = new Date(m.closedAt).toISOString();
    const from = m.version?.effectiveFrom ?? null;
    if (values.json)
      printJson(io, { month, status: r.status, closedAt, actor: m.actor, cadres: m.cadres, policyFrom: from });
    else if (r.status === 'closed')
      io.out(`closed ${month}: ${m.cadres} cadre(s), policy in force from ${from ?? '(policy file)'}\n`);
    else io.out(`${month} was closed already at ${closedAt} by ${m.actor} (${m.cadres} cadre(s)); nothing changed\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof CloseRefused)) throw err;
    io.err(`zhucun close: ${err.message}\n`);
    return 1;
  } finally {
    await conn.close();
  }
}
