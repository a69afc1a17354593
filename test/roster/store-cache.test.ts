/**
 * The roster cache: an update reads only the version, the document is read again only when the version changed,
 * a store without a version (the release before versions) is read whole, and a document changed without its
 * version (that release importing during a rolling upgrade) is noticed by the periodic whole comparison.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rosterVersionStep } from '../../src/migrate/steps/v3-roster-version.js';
import { silentLogger } from '../../src/log.js';
import { RosterStore } from '../../src/roster/store.js';
import { rosterVersion } from '../../src/roster/version.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();

/** The commands a store sends, by name. */
function counting(): { redis: typeof t.redis; sent: string[] } {
  const sent: string[] = [];
  const redis = new Proxy(t.redis, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        sent.push(String(prop));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { redis, sent };
}

afterEach(() => vi.useRealTimers());

describe('RosterStore cache', () => {
  it('reads the whole document once per version, and only the version otherwise', async () => {
    const writer = new RosterStore(t.redis, t.keys);
    await writer.replace(sampleRosterData());
    const json = (await t.redis.get(t.keys.roster()))!;
    expect(await t.redis.get(t.keys.rosterVersion())).toBe(rosterVersion(json));

    const { redis, sent } = counting();
    const reader = new RosterStore(redis, t.keys);
    const first = await reader.get();
    expect(first.person('WangJianGuo')?.name).toBe('王建国');
    expect(sent).toEqual(['mget']); // nothing cached yet: the version and the document at once
    sent.length = 0;
    expect(await reader.get()).toBe(first);
    expect(await Promise.all([reader.get(), reader.get()])).toEqual([first, first]);
    expect(sent).toEqual(['get', 'get']); // concurrent callers share one check

    const renamed = structuredClone(sampleRosterData());
    renamed.cadres[0]!.name = '王建军';
    await writer.replace(renamed);
    sent.length = 0;
    expect((await reader.get()).person('WangJianGuo')?.name).toBe('王建军');
    expect(sent).toEqual(['get', 'mget']);
  });

  it('reads a store without a version whole every time, and the migration step gives it one', async () => {
    const data = structuredClone(sampleRosterData());
    await t.redis.set(t.keys.roster(), JSON.stringify(data));
    await t.redis.del(t.keys.rosterVersion());
    const { redis, sent } = counting();
    const reader = new RosterStore(redis, t.keys);
    await reader.get();
    sent.length = 0;
    await reader.get();
    expect(sent).toEqual(['mget']);
    await rosterVersionStep.run(t.redis, t.keys, silentLogger, new Date());
    expect(await t.redis.get(t.keys.rosterVersion())).toBe(rosterVersion(JSON.stringify(data)));
    await reader.get();
    sent.length = 0;
    await reader.get();
    expect(sent).toEqual(['get']);
  });

  it('notices a document changed without its version within the whole-comparison interval', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const writer = new RosterStore(t.redis, t.keys);
    await writer.replace(sampleRosterData());
    const reader = new RosterStore(t.redis, t.keys);
    await reader.get();
    const changed = structuredClone(sampleRosterData());
    changed.cadres[0]!.name = '王建业';
    await t.redis.set(t.keys.roster(), JSON.stringify(changed)); // as the release before versions imports
    expect((await reader.get()).person('WangJianGuo')?.name).toBe('王建国');
    vi.advanceTimersByTime(31_000);
    expect((await reader.get()).person('WangJianGuo')?.name).toBe('王建业');
  });
});
