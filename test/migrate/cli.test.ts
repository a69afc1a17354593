/**
 * `zhucun migrate [--status] [--json]`, and the schema check of the other subcommands and of start-up: they
 * never migrate, refuse data this code cannot read with a clear message, and warn about data not migrated yet.
 */
import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/migrate.js';
import { openCliRedis } from '../../src/cli/open.js';
import { loadEnv } from '../../src/config/env.js';
import { fixedClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log.js';
import { MigrationFailed } from '../../src/migrate/run.js';
import type { MigrationStep } from '../../src/migrate/step.js';
import { STEPS } from '../../src/migrate/steps.js';
import { readSchemaVersion, SCHEMA_VERSION, SchemaError } from '../../src/migrate/version.js';
import { Keys } from '../../src/redis/keys.js';
import { freePort } from '../global-setup.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
let out = '';
let logs: string[] = [];
const log = pino({ level: 'warn' }, { write: (l: string) => void logs.push(JSON.parse(l).msg as string) });
let n = 0;
let keys = new Keys('');
const io = (): CliIO => ({
  out: (s) => (out += s),
  err: () => {},
  log,
  env: { REDIS_URL: t.url, ZHUCUN_NAMESPACE: keys.ns },
});
const open = async () => ({ redis: t.redis, keys, close: async () => {} });
const clock = fixedClock('2026-12-05T08:00:00+08:00');
const cli = (argv: string[], steps?: readonly MigrationStep[]) =>
  run(argv, io(), { open, clock, ...(steps ? { steps } : {}) });
const stamp = (version: number, minReader: number) =>
  t.redis.set(keys.schemaVersion(), JSON.stringify({ version, minReader, migratedAt: 'x', by: 'cli:new@host' }));

beforeEach(() => {
  out = '';
  logs = [];
  keys = new Keys(`${t.keys.ns}c${++n}`);
});

const oldData = () => t.redis.set(keys.roster(), JSON.stringify({ cadres: [] }));

describe('zhucun migrate', () => {
  it('--status says the data is not versioned and lists the pending steps, changing nothing', async () => {
    await oldData();
    expect(await cli(['--status'])).toBe(0);
    expect(out).toBe(
      `namespace "${keys.ns}": no schema version stored (data of the release before versions, or empty)\n` +
        `this code: schema version ${SCHEMA_VERSION}\n${STEPS.length} step(s) pending:\n` +
        STEPS.map((s) => `  ${s.version}  ${s.name}`).join('\n') +
        '\n',
    );
    expect(await t.redis.exists(keys.schemaVersion())).toBe(0);
  });

  it('migrates, then has nothing to do', async () => {
    await oldData();
    expect(await cli([])).toBe(0);
    expect(out).toBe(
      `namespace "${keys.ns}" migrated from schema version 0 to ${SCHEMA_VERSION}:\n` +
        STEPS.map((s) => `  ${s.version}  ${s.name}\n`).join(''),
    );
    out = '';
    expect(await cli([])).toBe(0);
    expect(out).toBe(`namespace "${keys.ns}" is at schema version ${SCHEMA_VERSION}: nothing to do\n`);
    out = '';
    expect(await cli(['--status'])).toBe(0);
    expect(out).toMatch(
      new RegExp(
        `data at schema version ${SCHEMA_VERSION} \\(readable by code of version 0 and newer, migrated .+\\)\n`,
      ),
    );
    expect(out).toMatch(/\nup to date\n$/);
  });

  it('stamps an empty store', async () => {
    expect(await cli([])).toBe(0);
    expect(out).toBe(`namespace "${keys.ns}" was empty: stamped with schema version ${SCHEMA_VERSION}\n`);
  });

  it('--json prints one document, for the status and for a run', async () => {
    await oldData();
    expect(await cli(['--status', '--json'])).toBe(0);
    expect(JSON.parse(out)).toEqual({
      namespace: keys.ns,
      data: { version: 0, minReader: 0, stamped: false },
      code: SCHEMA_VERSION,
      readable: true,
      pending: STEPS.map((s) => ({ version: s.version, name: s.name })),
    });
    out = '';
    expect(await cli(['--json'])).toBe(0);
    expect(JSON.parse(out)).toEqual({
      namespace: keys.ns,
      code: SCHEMA_VERSION,
      from: 0,
      to: SCHEMA_VERSION,
      ran: STEPS.map((s) => ({ version: s.version, name: s.name })),
      fresh: false,
      newer: false,
    });
  });

  it('--status on data this code cannot read says so; a run refuses it', async () => {
    await stamp(SCHEMA_VERSION + 2, SCHEMA_VERSION + 1);
    expect(await cli(['--status'])).toBe(0);
    expect(out).toContain(`the data needs code of schema version ${SCHEMA_VERSION + 1} or newer: this code refuses it`);
    await expect(cli([])).rejects.toThrow(SchemaError);
  });

  it('a failing step fails the run with its name, the version at the last step', async () => {
    await oldData();
    const broken: MigrationStep = {
      version: SCHEMA_VERSION + 1,
      name: 'broken',
      minReader: 0,
      run: async () => {
        throw new Error('no');
      },
    };
    const failed = cli([], [...STEPS, broken]);
    await expect(failed).rejects.toThrow(MigrationFailed);
    await expect(failed).rejects.toThrow(`migration step ${SCHEMA_VERSION + 1} "broken" failed: no`);
    expect((await readSchemaVersion(t.redis, keys)).version).toBe(SCHEMA_VERSION);
  });

  it('refuses arguments it does not take', async () => {
    await expect(cli(['now'])).rejects.toThrow(UsageError);
    await expect(cli(['--force'])).rejects.toThrow(/Unknown option/);
  });
});

describe('the other subcommands and start-up', () => {
  it('a subcommand refuses data this code cannot read, and never migrates', async () => {
    await stamp(SCHEMA_VERSION + 1, SCHEMA_VERSION + 1);
    await expect(openCliRedis(io())).rejects.toThrow(
      new RegExp(`needs code of schema version ${SCHEMA_VERSION + 1} or newer to read it`),
    );
    // `zhucun migrate` opens it anyway, to report.
    const c = await openCliRedis(io(), { schema: false });
    await c.close();
  });

  it('a subcommand works on newer data it can read, and warns about data not migrated yet', async () => {
    await stamp(SCHEMA_VERSION + 1, SCHEMA_VERSION);
    await (await openCliRedis(io())).close();
    expect(logs).toEqual([]);
    keys = new Keys(`${t.keys.ns}c${++n}`);
    await oldData();
    const c = await openCliRedis(io());
    await c.close();
    expect(logs).toEqual([
      'the data is not migrated to this version yet: start the new server or run `zhucun migrate`',
    ]);
    expect(await t.redis.exists(keys.schemaVersion())).toBe(0);
  });

  it('a new store is not warned about', async () => {
    await (await openCliRedis(io())).close();
    expect(logs).toEqual([]);
  });

  it('start-up refuses data this code cannot read, before anything reads it', async () => {
    await t.redis.set(keys.storeKind(), 'sandbox');
    await stamp(SCHEMA_VERSION + 3, SCHEMA_VERSION + 1);
    const env = loadEnv({ ...io().env, ZHUCUN_SANDBOX: '1', PORT: String(await freePort()) });
    await expect(startApp(env, silentLogger, { clock })).rejects.toThrow(
      `the data in namespace "${keys.ns}" is at schema version ${SCHEMA_VERSION + 3} and needs code of schema version ${SCHEMA_VERSION + 1} or newer`,
    );
    // The sandbox did not fill it: no roster, no history.
    expect(await t.redis.exists(keys.roster(), keys.sandboxSeeded())).toBe(0);
  });
});
