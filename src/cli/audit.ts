/**
 * `zhucun audit [--since DATE|DURATION] [--until DATE] [--user USERID] [--kind KIND[,KIND]] [--json]`: the audit
 * trail — who approved, rejected, confirmed, sent, recalled, imported, changed or exported what, when, and
 * through which channel or from which address — oldest first, newest last. One line per action, or with
 * `--json` one JSON array. Reads only the window asked for.
 */
import { readAudit } from '../audit/read.js';
import type { AuditEntry } from '../audit/trail.js';
import { dayjs, TZ } from '../kit/dates.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { auditQuery } from './audit-options.js';
import { printJson, type CliIO } from './io.js';
import { parseCli } from './options.js';

const USAGE =
  'usage: zhucun audit [--since DATE|TIME|DURATION] [--until DATE|TIME] [--user USERID] [--kind KIND[,KIND]] [--json]\n' +
  '  DATE 2026-11-01 (Asia/Shanghai), TIME 2026-11-01T08:00, DURATION 7d or 24h (back from now);\n' +
  '  --user matches who acted or whom it concerned; --kind takes kinds (leave.approve) or families (leave)';

/** What the subcommand needs: a Redis connection with the deployment's namespace (`openCliRedis` fits). */
export interface AuditCliConnection {
  redis: RedisClient;
  keys: Keys;
  close(): Promise<void>;
}

function parseCommandLine(argv: string[]) {
  return parseCli(
    {
      args: argv,
      options: {
        since: { type: 'string' },
        until: { type: 'string' },
        user: { type: 'string', multiple: true },
        kind: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    },
    USAGE,
  );
}

/** `2026-11-18 09:30:05` in Asia/Shanghai. */
export function auditTime(at: number): string {
  return dayjs(at).tz(TZ).format('YYYY-MM-DD HH:mm:ss');
}

/** The columns of one entry: time, kind, actor, channel (with the address), ref, subject, summary. */
function columns(e: AuditEntry): string[] {
  const where = e.ip ? `${e.channel}/${e.ip}` : e.channel;
  return [auditTime(e.at), e.kind, e.actor, where, e.ref ?? '-', e.subject ?? '-', e.summary ?? ''];
}

/** The entries as aligned lines (every column but the last padded to its widest). */
export function auditLines(entries: readonly AuditEntry[]): string[] {
  const rows = entries.map(columns);
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  return rows.map((r) =>
    r
      .map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c))
      .join('  ')
      .trimEnd(),
  );
}

/** Run the subcommand; `open` connects to Redis, `clock` is now (durations count back from it). */
export async function run(
  argv: string[],
  io: CliIO,
  open: () => Promise<AuditCliConnection>,
  clock: () => Date = () => new Date(),
): Promise<number> {
  const { values } = parseCommandLine(argv);
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const query = auditQuery(values, clock());
  const conn = await open();
  try {
    const { entries, unreadable } = await readAudit(conn.redis, conn.keys, query);
    if (unreadable === 1) io.err('1 stream entry is not an audit entry; skipped\n');
    else if (unreadable) io.err(`${unreadable} stream entries are not audit entries; skipped\n`);
    if (values.json) {
      printJson(
        io,
        entries.map((e) => ({ ...e, time: dayjs(e.at).tz(TZ).format() })),
      );
    } else if (!entries.length) {
      io.out('no audit entries match\n');
    } else {
      io.out(`${auditLines(entries).join('\n')}\n`);
    }
    return 0;
  } finally {
    await conn.close();
  }
}
