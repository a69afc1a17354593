/**
 * `zhucun migrate` and the schema check as an operator runs them (bin/zhucun.js): exit 0 with one JSON document,
 * and exit 1 with the reason on stderr when another subcommand meets data this code cannot read.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/migrate/version.js';
import { Keys } from '../../src/redis/keys.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();

function zhucun(keys: Keys, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['bin/zhucun.js', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', REDIS_URL: t.url, ZHUCUN_NAMESPACE: keys.ns },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

describe('zhucun migrate (bin)', () => {
  it('migrates the data of the release before versioning and prints one JSON document', async () => {
    const keys = new Keys(`${t.keys.ns}a`);
    await t.redis.set(keys.roster(), JSON.stringify({ cadres: [] }));
    const r = await zhucun(keys, 'migrate', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ namespace: keys.ns, from: 0, to: SCHEMA_VERSION });
  });

  it('another subcommand exits 1 on data this code cannot read, saying why', async () => {
    const keys = new Keys(`${t.keys.ns}b`);
    const v = SCHEMA_VERSION + 1;
    await t.redis.set(keys.schemaVersion(), JSON.stringify({ version: v, minReader: v }));
    const r = await zhucun(keys, 'store', '--json');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `zhucun store: the data in namespace "${keys.ns}" is at schema version ${v} and needs code`,
    );
    expect(JSON.parse(r.out)).toMatchObject({ ok: false });
  });
});
