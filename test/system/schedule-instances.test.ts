/**
 * Two bot instances as two processes, each with its own node-cron scheduler in distributed mode on the same
 * Redis, firing a job every second: every slot runs on exactly one of them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const src = (p: string) => JSON.stringify(fileURLToPath(new URL(`../../src/${p}`, import.meta.url)));

const script = `
const { Redis } = await import('ioredis');
const { Keys } = await import(${src('redis/keys.ts')});
const { Scheduler } = await import(${src('schedule/scheduler.ts')});
const { parsePolicy } = await import(${src('policy/policy.ts')});
const { RosterStore } = await import(${src('roster/store.ts')});
const { createRepos } = await import(${src('repos.ts')});
const { HolidayCalendar } = await import(${src('calendar/calendar.ts')});
const { silentLogger } = await import(${src('log.ts')});
const { systemClock } = await import(${src('core/clock.ts')});
const [url, ns, name] = process.argv.slice(1);
const redis = new Redis(url);
const keys = new Keys(ns);
// The policy puts the probe on a schedule of every second, so the test sees many fires quickly.
const policy = parsePolicy('jobs:\\n  checkinSync: "* * * * * *"\\n');
const ctx = { redis, keys, repos: createRepos(redis, keys), clock: systemClock, log: silentLogger, roster: new RosterStore(redis, keys), outbox: { enqueue: async () => {} }, policy, calendar: new HolidayCalendar() };
const probe = { id: 'probe', policyJob: 'checkinSync', summary: 'probe', catchUpUntil: (s) => new Date(s.getTime() + 500), load: async () => null, plan: () => [] };
const scheduler = new Scheduler(ctx, [probe], {
  onEvent: (e) => {
    if (e.type === 'ran') redis.rpush(ns + ':{probe}:runs', e.result.slot + ' ' + name).then(() => console.log('ran ' + e.result.slot));
    else if (e.type === 'skipped') console.log('skipped ' + e.slot + ' ' + e.reason);
    else console.log('failed ' + e.slot + ' ' + e.error.message);
  },
});
process.on('SIGTERM', async () => {
  await scheduler.stop();
  await redis.quit();
  process.exit(0);
});
await scheduler.start();
console.log('started');
`;

interface Instance {
  child: ChildProcess;
  lines: string[];
}
const instances: Instance[] = [];
afterAll(async () => {
  for (const { child } of instances) if (child.exitCode === null) child.kill('SIGKILL');
});

function start(name: string, onLine: () => void): Instance {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script, t.url, t.keys.ns, name],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const inst: Instance = { child, lines: [] };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    inst.lines.push(line);
    onLine();
  });
  instances.push(inst);
  return inst;
}

/** Slot → what each instance said about it. */
function outcomes(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const { lines } of instances) {
    for (const line of lines) {
      const [kind, slot, reason] = line.split(' ');
      // A slot found too old to catch up on start was never attempted.
      if ((kind !== 'ran' && kind !== 'skipped') || reason === 'too-late') continue;
      map.set(slot!, [...(map.get(slot!) ?? []), reason ? `${kind}:${reason}` : kind]);
    }
  }
  return map;
}
const contested = () => [...outcomes().values()].filter((o) => o.length === 2);
const elections = () => contested().filter((o) => o.includes('skipped:not-elected')).length;

describe('two instances', () => {
  it('run each slot exactly once through node-cron distributed mode', async () => {
    // Wait (on the instances' own reports) until node-cron has elected one of the two for three slots.
    await new Promise<void>((resolve) => {
      const check = () => elections() >= 3 && resolve();
      start('A', check);
      start('B', check);
    });
    for (const { child } of instances) child.kill('SIGTERM');
    await Promise.all(instances.map(({ child }) => (child.exitCode === null ? once(child, 'exit') : undefined)));

    // Where both fired, one ran and the other was not elected (or, on start, found the slot claimed).
    for (const o of contested()) {
      expect(o.filter((x) => x === 'ran')).toHaveLength(1);
      expect(o.filter((x) => x.startsWith('skipped:'))).toHaveLength(1);
    }
    expect(instances.flatMap((i) => i.lines).filter((l) => l.startsWith('failed'))).toEqual([]);
    // No slot ran twice, by Redis's own record of the runs.
    const runs = await t.redis.lrange(`${t.keys.ns}:{probe}:runs`, 0, -1);
    const slots = runs.map((r) => r.split(' ')[0]);
    expect(new Set(slots).size).toBe(slots.length);
    expect(slots.length).toBeGreaterThanOrEqual(3);
    // Every run left its once-only claim in Redis.
    for (const slot of slots) expect(await t.redis.exists(t.keys.jobRun('probe', slot!))).toBe(1);
  });
});
