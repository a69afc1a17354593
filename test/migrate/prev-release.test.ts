/**
 * A migration from the previous release's data: the store its sandbox left (roster, a term of check-ins, a
 * month of leave, reports, back-fills and an announcement), loaded from the RDB file it saved. The migrations run
 * once even when two instances start together, only add to what the previous release reads, and the bot then
 * answers 我的考勤 with exactly the figures the previous release gave.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { loadEnv } from '../../src/config/env.js';
import { fixedClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log.js';
import { MigrationFailed, migrate } from '../../src/migrate/run.js';
import type { MigrationStep } from '../../src/migrate/step.js';
import { STEPS } from '../../src/migrate/steps.js';
import { readSchemaVersion, SCHEMA_VERSION } from '../../src/migrate/version.js';
import type { Keys } from '../../src/redis/keys.js';
import { freePort } from '../global-setup.js';
import { previousReplies, startFixtureStore, type FixtureStore } from './fixture.js';

const clock = fixedClock('2026-12-05T08:00:00+08:00');

/** The real steps, each counting its runs (and slow enough that two runners overlap). */
function counted(steps: readonly MigrationStep[], delayMs = 0) {
  const runs = new Map<number, number>();
  const wrapped = steps.map((s): MigrationStep => ({
    ...s,
    run: async (...args) => {
      runs.set(s.version, (runs.get(s.version) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, delayMs));
      await s.run(...args);
    },
  }));
  return { runs, steps: wrapped };
}

/** Every key without an expiry, with its serialised value: what the previous release reads. */
async function persistentState(redis: Redis, keys: Keys): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const batch of redis.scanStream({ match: `${keys.ns}:*`, count: 1000 })) {
    for (const key of batch as string[]) {
      if ((await redis.pttl(key)) !== -1) continue;
      const dump = await redis.dumpBuffer(key);
      if (dump) out.set(key, dump.toString('base64'));
    }
  }
  return out;
}

async function auditKinds(redis: Redis, keys: Keys): Promise<string[]> {
  const entries = await redis.xrange(keys.audit(), '-', '+');
  return entries.map(([, f]) => JSON.parse(f[1]!) as { kind: string; ref?: string }).map((e) => `${e.kind} ${e.ref}`);
}

describe('migrating the previous release’s sample data', () => {
  let store: FixtureStore;
  let before: Map<string, string>;
  beforeAll(async () => {
    store = await startFixtureStore();
    before = await persistentState(store.redis, store.keys);
  });
  afterAll(() => store?.stop());

  it('holds that release’s data and no schema version', async () => {
    expect(await readSchemaVersion(store.redis, store.keys)).toEqual({ version: 0, minReader: 0, stamped: false });
    const roster = JSON.parse((await store.redis.get(store.keys.roster()))!) as { cadres: unknown[] };
    expect(roster.cadres).toHaveLength(31);
    expect(await store.redis.hlen(store.keys.leaves('YangHaiTao'))).toBeGreaterThan(0);
    expect(before.size).toBeGreaterThan(500);
  });

  it('two instances starting together migrate it once, and the version is stamped', async () => {
    const { runs, steps } = counted(STEPS, 300);
    const second = new Redis(store.url);
    try {
      const results = await Promise.all([
        migrate(store.redis, store.keys, { log: silentLogger, clock, steps, by: 'cli:ops@a' }),
        migrate(second, store.keys, { log: silentLogger, clock, steps, by: 'cli:ops@b' }),
      ]);
      const all = STEPS.map((s) => ({ version: s.version, name: s.name }));
      expect(results.map((r) => r.ran).sort((a, b) => b.length - a.length)).toEqual([all, []]);
      expect(results.find((r) => r.ran.length)).toMatchObject({ from: 0, to: SCHEMA_VERSION, fresh: false });
    } finally {
      second.disconnect();
    }
    expect([...runs.values()]).toEqual(STEPS.map(() => 1));
    const stamp = await readSchemaVersion(store.redis, store.keys);
    expect(stamp).toMatchObject({ version: SCHEMA_VERSION, stamped: true, migratedAt: clock.now().toISOString() });
    expect(stamp.minReader).toBe(Math.max(...STEPS.map((s) => s.minReader)));
    expect(['cli:ops@a', 'cli:ops@b']).toContain(stamp.by);
    expect(await auditKinds(store.redis, store.keys)).toEqual(STEPS.map((s) => `schema.migrate v${s.version}`));
    expect(await store.redis.exists(store.keys.migrateLock())).toBe(0);
  });

  it('a second run does nothing', async () => {
    const stamp = await store.redis.get(store.keys.schemaVersion());
    const { runs, steps } = counted(STEPS);
    const later = fixedClock('2026-12-06T08:00:00+08:00');
    expect(await migrate(store.redis, store.keys, { log: silentLogger, clock: later, steps })).toEqual({
      from: SCHEMA_VERSION,
      to: SCHEMA_VERSION,
      ran: [],
      fresh: false,
      newer: false,
    });
    expect(runs.size).toBe(0);
    expect(await store.redis.get(store.keys.schemaVersion())).toBe(stamp);
  });

  it('only adds: every key the previous release wrote is still there, unchanged', async () => {
    const after = await persistentState(store.redis, store.keys);
    const changed = [...before].filter(([k, v]) => after.get(k) !== v).map(([k]) => k);
    expect(changed).toEqual([]);
    expect(after.get(store.keys.schemaVersion())).toBeDefined();
  });
});

describe('the bot on the previous release’s data', () => {
  let store: FixtureStore;
  beforeAll(async () => {
    store = await startFixtureStore();
  });
  afterAll(() => store?.stop());

  it('migrates at start, then answers 我的考勤 with the previous release’s figures', async () => {
    const { at, answers } = await previousReplies();
    const env = loadEnv({
      ZHUCUN_SANDBOX: '1',
      REDIS_URL: store.url,
      ZHUCUN_NAMESPACE: store.keys.ns,
      PORT: String(await freePort()),
    });
    const app = await startApp(env, silentLogger, { clock: fixedClock(at) });
    try {
      expect(await readSchemaVersion(store.redis, store.keys)).toMatchObject({
        version: SCHEMA_VERSION,
        migratedAt: new Date(at).toISOString(),
      });
      expect(answers.length).toBeGreaterThanOrEqual(16);
      const tag = randomBytes(3).toString('hex');
      for (const [i, a] of answers.entries()) {
        const update = { id: `after-${tag}-${i}`, channel: 'app', chatType: 'single', kind: 'text' } as const;
        const { reply } = await app.bot.handle({ ...update, userId: a.userid, text: a.text, time: new Date(at) });
        expect({ who: a.userid, asked: a.text, reply: reply?.text }).toEqual({
          who: a.userid,
          asked: a.text,
          reply: a.reply,
        });
      }
    } finally {
      await app.close();
    }
  });
});

describe('a failing step on the previous release’s data', () => {
  let store: FixtureStore;
  beforeAll(async () => {
    store = await startFixtureStore();
  });
  afterAll(() => store?.stop());

  const next = SCHEMA_VERSION + 1;
  const failing: MigrationStep = {
    version: next,
    name: 'a step that breaks',
    minReader: 0,
    run: async () => {
      throw new Error('disk full');
    },
  };

  it('stops with the step’s name and leaves the version at the last completed step', async () => {
    const { runs, steps } = counted([...STEPS, failing]);
    const run = migrate(store.redis, store.keys, { log: silentLogger, clock, steps });
    await expect(run).rejects.toThrow(MigrationFailed);
    await expect(run).rejects.toThrow(
      `migration step ${next} "a step that breaks" failed: disk full; the data stays at schema version ${SCHEMA_VERSION}`,
    );
    expect(runs.get(next)).toBe(1);
    expect(await readSchemaVersion(store.redis, store.keys)).toMatchObject({ version: SCHEMA_VERSION });
    expect(await store.redis.exists(store.keys.migrateLock())).toBe(0);
  });

  it('the next start resumes at the failed step, without running the completed ones again', async () => {
    const mended = { ...failing, run: async () => {} };
    const { runs, steps } = counted([...STEPS, mended]);
    const result = await migrate(store.redis, store.keys, { log: silentLogger, clock, steps });
    expect(result).toMatchObject({ from: SCHEMA_VERSION, to: next, ran: [{ version: next, name: mended.name }] });
    expect([...runs.keys()]).toEqual([next]);
    expect(await readSchemaVersion(store.redis, store.keys)).toMatchObject({ version: next });
  });
});
