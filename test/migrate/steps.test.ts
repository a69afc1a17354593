/**
 * The real steps and the stamp: the list is numbered without gaps and additive (no step raises `minReader`
 * above the release before versioning without saying so here), the code's version follows it, a stored stamp
 * is read strictly, and step 1 accepts the previous release's roster and refuses a damaged one with its name.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { checkSteps, migrate } from '../../src/migrate/run.js';
import { STEPS } from '../../src/migrate/steps.js';
import { fixedClock } from '../../src/core/clock.js';
import { assertReadable, parseStamp, SCHEMA_VERSION, SchemaError } from '../../src/migrate/version.js';
import { Keys } from '../../src/redis/keys.js';
import { loadRosterFile } from '../../src/roster/load.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const KEY = 'zc:{store}:schema';

describe('the steps', () => {
  it('are numbered 1, 2, 3 … and the code is at the last one', () => {
    expect(() => checkSteps(STEPS)).not.toThrow();
    expect(SCHEMA_VERSION).toBe(STEPS.length);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
  });

  it('keep the data readable by the release before versioning (a rolling upgrade runs both)', () => {
    expect(STEPS.map((s) => s.minReader)).toEqual(STEPS.map(() => 0));
  });
});

describe('parseStamp and assertReadable', () => {
  it('reads an absent stamp as version 0', () => {
    expect(parseStamp(null, KEY)).toEqual({ version: 0, minReader: 0, stamped: false });
  });

  it('reads a stored stamp', () => {
    const raw = JSON.stringify({ version: 3, minReader: 1, migratedAt: '2026-12-05T00:00:00.000Z', by: 'cli:a@b' });
    expect(parseStamp(raw, KEY)).toEqual({
      version: 3,
      minReader: 1,
      migratedAt: '2026-12-05T00:00:00.000Z',
      by: 'cli:a@b',
      stamped: true,
    });
  });

  it.each([
    '3',
    'null',
    '{}',
    '{"version":-1,"minReader":0}',
    '{"version":1.5,"minReader":0}',
    '{"version":1,"minReader":2}',
  ])('refuses %s, naming the key', (raw) => {
    expect(() => parseStamp(raw, KEY)).toThrow(
      new SchemaError(`${KEY} holds ${JSON.stringify(raw)}, not a schema version stamp: fix it by hand or restore`),
    );
  });

  it('lets code at or above minReader read the data, and refuses older code with what to run', () => {
    const stamp = { version: 4, minReader: 2, migratedAt: '2026-12-05T00:00:00.000Z', by: 'cli:a@b', stamped: true };
    expect(() => assertReadable(stamp, 2, 'zc')).not.toThrow();
    expect(() => assertReadable(stamp, 1, 'zc')).toThrow(
      'the data in namespace "zc" is at schema version 4 and needs code of schema version 2 or newer to read it; ' +
        'this code is at version 1: run the newer release (it was migrated by cli:a@b at 2026-12-05T00:00:00.000Z)',
    );
  });
});

describe('step 1: data of the previous release', () => {
  let n = 0;
  const keys = () => new Keys(`${t.keys.ns}s${++n}`);
  const run = (k: Keys) => migrate(t.redis, k, { log: silentLogger, clock: fixedClock('2026-12-05T08:00:00+08:00') });

  it('stamps data whose roster this code reads', async () => {
    const k = keys();
    const sample = await loadRosterFile('config/roster.sample.yaml');
    await t.redis.set(k.roster(), JSON.stringify(sample));
    const ran = (await run(k)).ran;
    expect(ran).toContainEqual({ version: 1, name: 'stamp data of the previous release' });
    // Step 2 then gives every cadre of that roster an assignment history.
    expect(ran).toContainEqual({ version: 2, name: 'assignment histories from the roster' });
    expect(await t.redis.hlen(k.assignments())).toBe(sample.cadres.length);
  });

  it('stamps data without a roster (a store holding only other keys)', async () => {
    const k = keys();
    await t.redis.set(k.sequence('leave'), '1003');
    expect((await run(k)).to).toBe(SCHEMA_VERSION);
  });

  it.each(['{not json', '{"townships":[]}'])(
    'stops on a damaged roster %s, naming the step and the key',
    async (raw) => {
      const k = keys();
      await t.redis.set(k.roster(), raw);
      await expect(run(k)).rejects.toThrow(
        new RegExp(`migration step 1 "stamp data of the previous release" failed: .*${k.ns}:\\{roster\\}:doc`),
      );
    },
  );
});
