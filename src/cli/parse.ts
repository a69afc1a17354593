/**
 * `zhucun parse "TEXT" [--now ISO] [--user USERID] [--json]`: how the bot would understand a message, without
 * doing anything — the command it goes to and its arguments, and for a leave request the sentence the cadre
 * would get if it were refused. It only reads: the roster, and the user's leave for the overlap check.
 * Reads `ZHUCUN_POLICY` (default `config/policy.yaml`) like the server.
 */
import { createRegistry } from '../../handlers/index.js';
import { notAllowed, unknownUser } from '../../templates/common.js';
import { HolidayCalendar } from '../calendar/calendar.js';
import { allowed, type Registry } from '../core/registry.js';
import { checkLeave } from '../leave/check.js';
import type { LeaveRepo } from '../leave/repo.js';
import type { LeaveRequest } from '../leave/workflow.js';
import { loadPolicy, type Policy } from '../policy/policy.js';
import type { Roster } from '../roster/roster.js';
import type { RosterStore } from '../roster/store.js';
import { printJson, UsageError, type CliIO } from './io.js';
import { parseCli } from './options.js';

const USAGE = 'usage: zhucun parse "TEXT" [--now ISO] [--user USERID] [--json]';

/** What the subcommand reads; `leave` is optional (without it the overlap check is left out). */
export type OpenParseSources = () => Promise<{ roster: RosterStore; leave?: LeaveRepo; close(): Promise<void> }>;

/** The flat description printed: `command` (a spec id, or null), the arguments, and `error` when refused. */
export type Description = { command: string | null } & Record<string, string | number | null>;

export interface DescribeOptions {
  policy: Policy;
  now: Date;
  /** The holiday calendar (default: the package's data alone), for counting leave days. */
  calendar?: HolidayCalendar;
  /** With a user: the roster and that user's leave, for the checks that depend on who writes. */
  roster?: Roster;
  userId?: string;
  existing?: LeaveRequest[];
}

/** The refusal the core would give before running the command: someone not on the roster, or not allowed. */
function whoRefusal(registry: Registry, commandId: string, opts: DescribeOptions): string | undefined {
  if (!opts.roster || !opts.userId) return undefined;
  const person = opts.roster.person(opts.userId);
  if (!person) return unknownUser(opts.roster.orgDepartment().map((s) => s.name));
  const spec = registry.get(commandId)!;
  if (!allowed(spec, person.roles)) return notAllowed(spec.aliases[0]!, spec.roles === 'any' ? [] : [...spec.roles]);
  return undefined;
}

/**
 * Describe `text` as the bot would route it through `registry`. A leave request is read with the same check as
 * the `请假` handler (parser, policy rules, and — given a roster and user — overlap and approvers), so `error`
 * is the sentence the cadre would read; other commands give the text after their word.
 */
export function describeMessage(registry: Registry, text: string, opts: DescribeOptions): Description {
  const match = registry.matchText(text, { deps: { policy: opts.policy } });
  if (!match) return { command: null };
  const refusal = whoRefusal(registry, match.spec.id, opts);
  if (match.spec.id !== 'leave')
    return { command: match.spec.id, text: match.rest, ...(refusal ? { error: refusal } : {}) };
  const cadre = opts.userId ? opts.roster?.cadres.get(opts.userId) : undefined;
  const check = checkLeave(match.rest, {
    policy: opts.policy,
    now: opts.now,
    existing: opts.existing,
    roster: opts.roster,
    cadre,
    calendar: opts.calendar ?? new HolidayCalendar(),
  });
  const { type, start, end, days, reason } = check.parsed;
  const fields = Object.entries({ type, start, end, days, reason }).filter(([, v]) => v !== undefined) as [
    string,
    string | number,
  ][];
  const error = refusal ?? check.problem?.message;
  return { command: 'leave', ...Object.fromEntries(fields), ...(error ? { error } : {}) };
}

function parseCommandLine(argv: string[]) {
  return parseCli(
    {
      args: argv,
      options: { now: { type: 'string' }, user: { type: 'string' }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
    },
    USAGE,
  );
}

/**
 * Run the subcommand; exit 0 with the description (a refusal is part of it, not a failure). `open` is called
 * only with `--user`; `registry` defaults to the bot's commands.
 */
export async function run(
  argv: string[],
  io: CliIO,
  open: OpenParseSources,
  registry: Registry = createRegistry(),
): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const text = positionals.join(' ').trim();
  if (!text) throw new UsageError(USAGE);
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now: not an ISO time: ${values.now}\n${USAGE}`);
  const policy = loadPolicy(io.env.ZHUCUN_POLICY?.trim() || 'config/policy.yaml');

  const calendar = await HolidayCalendar.load({ overrides: io.env.ZHUCUN_HOLIDAYS });
  const opts: DescribeOptions = { policy, now, calendar };
  if (values.user) {
    const sources = await open();
    try {
      opts.roster = await sources.roster.get();
      opts.userId = values.user;
      opts.existing = sources.leave ? await sources.leave.ofUser(values.user) : undefined;
    } finally {
      await sources.close();
    }
  }
  const description = describeMessage(registry, text, opts);
  if (values.json) printJson(io, description);
  else
    io.out(
      `${Object.entries(description)
        .map(([k, v]) => `${k}: ${v ?? '(none)'}`)
        .join('\n')}\n`,
    );
  return 0;
}
