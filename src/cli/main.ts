/**
 * `zhucun` command line. `serve` runs the bot; the other subcommands work on the same Redis (the running
 * server's embedded one when there is one) and log to stderr so their stdout stays clean.
 */
import { createLogger } from '../log.js';
import { printJson, UsageError, type CliIO, type Subcommand } from './io.js';

const subcommands: Record<string, { describe: string; load: () => Promise<Subcommand> }> = {
  serve: { describe: 'run the bot (webhook, schedule, sandbox)', load: async () => (await import('./serve.js')).run },
  attendance: {
    describe: "one cadre's month and year attendance",
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./attendance.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, () => openCliRedis(io));
    },
  },
  calendar: {
    describe: 'official holidays and monthly targets of a year',
    load: async () => (await import('./calendar.js')).run,
  },
  jobs: {
    describe: 'list scheduled jobs, run one now, burden figures',
    load: async () => {
      const { run, openJobsCli } = await import('./jobs.js');
      return (argv, io) => run(argv, io, () => openJobsCli(io));
    },
  },
  outbox: {
    describe: 'list queued and failed outbound messages; retry failed ones',
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./outbox.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, () => openCliRedis(io));
    },
  },
  parse: {
    describe: 'show how a message would be understood, changing nothing',
    load: async () => {
      const [{ run }, { openCliRedis }, { LeaveRepo }] = await Promise.all([
        import('./parse.js'),
        import('./open.js'),
        import('../leave/repo.js'),
      ]);
      return (argv, io) =>
        run(argv, io, async () => {
          const c = await openCliRedis(io);
          return { roster: c.roster, leave: new LeaveRepo(c.redis, c.keys), close: c.close };
        });
    },
  },
  assess: {
    describe: "assessment round (考评): 评议 codes to print, a cadre's registration form (.docx), the summary (.xlsx)",
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./assess.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, () => openCliRedis(io));
    },
  },
  sheet: {
    describe: 'monthly attendance sheet (考勤表) as an Excel file',
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./sheet.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, () => openCliRedis(io));
    },
  },
  'report-draft': {
    describe: 'monthly 通报 draft (.docx): county and township figures, notices issued and closed',
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./report-draft.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, () => openCliRedis(io));
    },
  },
  points: {
    describe: 'half-yearly points table (积分表), by village and name; --order score only when asked',
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./points.js'), import('./open.js')]);
      const { NoticeRepo } = await import('../notices/repo.js');
      return (argv, io) =>
        run(
          argv,
          io,
          () => openCliRedis(io),
          undefined,
          (redis, keys) => new NoticeRepo(redis, keys),
        );
    },
  },
  notices: {
    describe: 'numbered notices (提醒单/整改单/警示单) of a month, or one as a .docx',
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./notices.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, () => openCliRedis(io));
    },
  },
  store: {
    describe: 'show, mark (sandbox or production) or wipe the Redis namespace',
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./store.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, () => openCliRedis(io));
    },
  },
  person: {
    describe: "one person's own data as JSON (PIPL access request)",
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./person.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, () => openCliRedis(io));
    },
  },
  migrate: {
    describe: 'bring the stored data to this version (--status: where it stands)',
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./migrate.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, { open: () => openCliRedis(io, { schema: false }) });
    },
  },
  audit: {
    describe: 'the audit trail: who approved, sent, imported or exported what, and when',
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./audit.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, () => openCliRedis(io));
    },
  },
  policy: {
    describe: 'the dated policy history: show, history, check FILE, register FILE',
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./policy.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, () => openCliRedis(io));
    },
  },
  close: {
    describe: 'close a month (关账): keep its figures as they stand',
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./close.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, () => openCliRedis(io));
    },
  },
  backup: {
    describe: "write a snapshot of the namespace's data to a file",
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./backup.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, () => openCliRedis(io));
    },
  },
  restore: {
    describe: 'load a snapshot into an empty namespace (--replace: empty it first)',
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./restore.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, () => openCliRedis(io));
    },
  },
  roster: {
    describe: 'import, export, check or verify the roster file',
    load: async () => {
      const [{ run }, { openCliRedis, readCliDirectory }] = await Promise.all([
        import('./roster.js'),
        import('./open.js'),
      ]);
      return (argv, io) =>
        run(
          argv,
          io,
          async () => {
            const c = await openCliRedis(io);
            return { store: c.roster, close: c.close };
          },
          () => readCliDirectory(io),
        );
    },
  },
};

function usage(): string {
  const rows = Object.entries(subcommands).map(([name, s]) => `  ${name.padEnd(12)} ${s.describe}`);
  return `usage: zhucun <command> [options]\n\ncommands:\n${rows.join('\n')}\n`;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const sub = subcommands[name];
  if (!sub) {
    process.stderr.write(`zhucun: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const io: CliIO = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    log: createLogger({
      level: env.LOG_LEVEL ?? (name === 'serve' ? 'info' : 'warn'),
      stream: name === 'serve' ? 'stdout' : 'stderr',
    }),
    env,
  };
  // With --json, stdout carries exactly one document, an error included.
  let printed = false;
  const out = io.out;
  io.out = (t) => {
    printed = true;
    out(t);
  };
  try {
    const code = await (await sub.load())(rest, io);
    // A subcommand that failed after explaining on stderr still owes --json its one document.
    if (code !== 0 && rest.includes('--json') && !printed) printJson(io, { ok: false, exitCode: code });
    return code;
  } catch (err) {
    const usage = err instanceof UsageError || isParseArgsError(err);
    const message = err instanceof Error ? err.message : String(err);
    io.err(`zhucun ${name}: ${message}\n`);
    if (rest.includes('--json') && !printed) printJson(io, { ok: false, error: message });
    return usage ? 2 : 1;
  }
}

/** node:util parseArgs refuses unknown or malformed options with these codes: a usage error, exit 2. */
function isParseArgsError(err: unknown): boolean {
  return (
    typeof (err as { code?: unknown })?.code === 'string' && (err as { code: string }).code.startsWith('ERR_PARSE_ARGS')
  );
}
