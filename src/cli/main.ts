/**
 * `zhucun` command line. `serve` runs the bot; the other subcommands work on the same Redis (the running
 * server's embedded one when there is one) and log to stderr so their stdout stays clean.
 */
import { createLogger } from '../log.js';
import { UsageError, type CliIO, type Subcommand } from './io.js';

const subcommands: Record<string, { describe: string; load: () => Promise<Subcommand> }> = {
  serve: { describe: 'run the bot (webhook, schedule, sandbox)', load: async () => (await import('./serve.js')).run },
  attendance: {
    describe: "one cadre's month and year attendance",
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./attendance.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, () => openCliRedis(io));
    },
  },
  calendar: { describe: 'official holidays and monthly targets of a year', load: async () => (await import('./calendar.js')).run },
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
  sheet: {
    describe: 'monthly attendance sheet (考勤表) as an Excel file',
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./sheet.js'), import('./open.js')]);
      return (argv, io) => run(argv, io, () => openCliRedis(io));
    },
  },
  roster: {
    describe: 'import, export or check the roster file',
    load: async () => {
      const [{ run }, { openCliRedis }] = await Promise.all([import('./roster.js'), import('./open.js')]);
      return (argv, io) =>
        run(argv, io, async () => {
          const c = await openCliRedis(io);
          return { store: c.roster, close: c.close };
        });
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
    log: createLogger({ level: env.LOG_LEVEL ?? (name === 'serve' ? 'info' : 'warn'), stream: name === 'serve' ? 'stdout' : 'stderr' }),
    env,
  };
  try {
    return await (await sub.load())(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`zhucun ${name}: ${err.message}\n`);
      return 2;
    }
    io.err(`zhucun ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
