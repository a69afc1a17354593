/**
 * `zhucun policy show [--date YYYY-MM-DD] [--json]`: the policy version in force on a date (default today).
 * `zhucun policy history [--json]`: every registered version and the closed months.
 * `zhucun policy check FILE [--now ISO] [--json]`: validate a policy file and say what registering it would do.
 * `zhucun policy register FILE [--now ISO] [--json]`: register it (the server does so with `ZHUCUN_POLICY` at
 * start); running servers re-read the history every minute and follow it.
 */
import { cliActor } from '../audit/actor.js';
import { stringify } from 'yaml';
import { ClosedMonthStore } from '../close/store.js';
import { isDateString, localDate } from '../kit/dates.js';
import { PolicyHistory, PolicyHistoryError, versionAt, type PolicyVersion } from '../policy/history.js';
import { loadPolicyFile, PolicyError } from '../policy/policy.js';
import { policyDiff, registerPolicy } from '../policy/register.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { printJson, UsageError, type CliIO } from './io.js';
import { parseCli, parseNow } from './options.js';

const USAGE = [
  'usage: zhucun policy show [--date YYYY-MM-DD] [--json]',
  '       zhucun policy history [--json]',
  '       zhucun policy check FILE [--now ISO] [--json]',
  '       zhucun policy register FILE [--now ISO] [--json]',
].join('\n');

/** Opens the deployment's Redis on demand (`openCliRedis` fits; tests give their own). */
export type OpenPolicyStore = () => Promise<{ redis: RedisClient; keys: Keys; close(): Promise<void> }>;

/** A version without its settings, for lists. */
const brief = (v: PolicyVersion) => ({
  id: v.id,
  effectiveFrom: v.effectiveFrom,
  dated: v.dated,
  registeredAt: new Date(v.registeredAt).toISOString(),
  actor: v.actor,
});

function parseCommandLine(argv: string[]) {
  return parseCli(
    {
      args: argv,
      options: { date: { type: 'string' }, now: { type: 'string' }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
    },
    USAGE,
  );
}

/** Run the subcommand: exit 0 done, 1 refused or invalid (the reason on stderr), UsageError for a bad line. */
export async function run(argv: string[], io: CliIO, open: OpenPolicyStore): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const [action, file, ...extra] = positionals;
  const takesFile = action === 'check' || action === 'register';
  if (action !== 'show' && action !== 'history' && !takesFile) throw new UsageError(USAGE);
  if (takesFile ? !file || extra.length : file !== undefined) throw new UsageError(USAGE);
  if (values.date !== undefined && (action !== 'show' || !isDateString(values.date))) {
    throw new UsageError(`--date goes with show and is written YYYY-MM-DD\n${USAGE}`);
  }
  const now = parseNow(values.now);
  let read;
  if (takesFile) {
    try {
      read = loadPolicyFile(file!, (line) => io.err(`${line}\n`));
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      io.err(`${err.message}\n`);
      return 1;
    }
  }
  const conn = await open();
  try {
    const history = new PolicyHistory(conn.redis, conn.keys);
    if (action === 'show') return await show(io, history, values.date ?? localDate(now), values.json);
    if (action === 'history')
      return await list(io, history, new ClosedMonthStore(conn.redis, conn.keys), now, values.json);
    if (action === 'check') {
      const p = await history.preview(read!.policy, read!.effectiveFrom, now);
      const before = versionAt(
        (await history.versions()).filter((v) => v.effectiveFrom <= p.effectiveFrom),
        p.effectiveFrom,
      );
      const changes = policyDiff(before?.policy, read!.policy);
      const doc = {
        file,
        valid: true,
        id: p.id,
        effectiveFrom: p.effectiveFrom,
        registered: Boolean(p.known),
        refused: p.refused ?? null,
        changes,
      };
      if (values.json) printJson(io, doc);
      else if (p.refused) io.err(`${file}: ${p.refused}\n`);
      else
        io.out(
          `${file}: valid; ${p.known ? `registered already as ${p.id}` : `would register ${p.id}`}, in force from ${p.effectiveFrom}\n${changes.map((c) => `  ${c}\n`).join('')}`,
        );
      return p.refused ? 1 : 0;
    }
    try {
      const r = await registerPolicy(conn.redis, conn.keys, read!, { now, actor: cliActor() });
      if (values.json) printJson(io, { file, status: r.status, ...brief(r.version), changes: r.changes });
      else
        io.out(
          `${file}: ${r.status === 'registered' ? 'registered' : 'registered already as'} ${r.version.id}, in force from ${r.version.effectiveFrom}\n`,
        );
      return 0;
    } catch (err) {
      if (!(err instanceof PolicyHistoryError)) throw err;
      io.err(`${file}: ${err.message}\n`);
      return 1;
    }
  } finally {
    await conn.close();
  }
}

async function show(io: CliIO, history: PolicyHistory, date: string, json: boolean): Promise<number> {
  const v = versionAt(await history.versions(), date);
  if (!v) {
    io.err(
      'no policy version is registered yet: zhucun serve registers ZHUCUN_POLICY at start, or run zhucun policy register FILE\n',
    );
    return 1;
  }
  if (json) printJson(io, { date, ...brief(v), policy: v.policy });
  else
    io.out(
      `# version ${v.id}, in force on ${date} (from ${v.effectiveFrom})\neffectiveFrom: ${v.effectiveFrom}\n${stringify(v.policy)}`,
    );
  return 0;
}

async function list(
  io: CliIO,
  history: PolicyHistory,
  closed: ClosedMonthStore,
  now: Date,
  json: boolean,
): Promise<number> {
  const [versions, months] = await Promise.all([history.versions(), closed.all()]);
  const current = versionAt(versions, localDate(now));
  if (json) {
    printJson(io, {
      versions: versions.map((v) => ({ ...brief(v), inForce: v.id === current?.id })),
      closed: months.map((m) => ({ ...m, closedAt: new Date(m.closedAt).toISOString() })),
    });
    return 0;
  }
  const lines = versions.map(
    (v) =>
      `${v.effectiveFrom}  ${v.id}  registered ${brief(v).registeredAt} by ${v.actor}${v.id === current?.id ? '  (in force)' : ''}`,
  );
  if (!lines.length) lines.push('no policy version registered yet');
  for (const m of months) {
    lines.push(
      `closed ${m.month}  ${m.cadres} cadre(s), ${new Date(m.closedAt).toISOString()} by ${m.actor}, policy from ${m.version?.effectiveFrom ?? '(file)'}`,
    );
  }
  io.out(`${lines.join('\n')}\n`);
  return 0;
}
