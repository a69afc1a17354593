/**
 * `zhucun store`: what a namespace holds, marking a store from before the marker, and a deliberate wipe that
 * needs the namespace spelt out.
 */
import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/store.js';
import { useTestRedis } from '../helpers/redis.js';

const { redis, keys } = useTestRedis();
let out = '';
let err = '';
const io: CliIO = { out: (t) => (out += t), err: (t) => (err += t), log: pino({ enabled: false }), env: {} };
const cli = (...argv: string[]) => run(argv, io, async () => ({ redis, keys, close: async () => {} }));

beforeEach(() => {
  out = '';
  err = '';
});

describe('zhucun store', () => {
  it('shows an empty store, marks an unmarked one, and changes a marker only with --force', async () => {
    expect(await cli()).toBe(0);
    expect(out).toContain('is empty');
    out = '';
    await redis.set(keys.roster(), '{}');
    expect(await cli('--json')).toBe(0);
    expect(JSON.parse(out)).toEqual({ namespace: keys.ns, unmarked: 'production' });
    out = '';
    expect(await cli('mark', 'sandbox')).toBe(0);
    expect(out).toContain('is marked as a sandbox store');
    expect(await cli('mark', 'production')).toBe(1);
    expect(err).toContain('needs --force');
    expect(await redis.get(keys.storeKind())).toBe('sandbox');
    expect(await cli('mark', 'production', '--force')).toBe(0);
    expect(await redis.get(keys.storeKind())).toBe('production');
    await expect(cli('mark', 'other')).rejects.toThrow(UsageError);
  });

  it('wipes only when --confirm names the namespace', async () => {
    await redis.set(keys.storeKind(), 'production');
    await redis.set(keys.roster(), '{}');
    await expect(cli('wipe')).rejects.toThrow(UsageError);
    expect(await cli('wipe', '--confirm', 'zc')).toBe(1);
    expect(await redis.exists(keys.roster())).toBe(1);
    expect(await cli('wipe', '--confirm', keys.ns)).toBe(0);
    expect(err).toContain('2 key(s) deleted');
    expect(await redis.exists(keys.roster(), keys.storeKind())).toBe(0);
    expect(out).toContain('is empty');
  });
});
