/**
 * Three instances as three processes, each running a lease holder around a service that records its starts and
 * stops in Redis. The holder is killed with SIGKILL (no release): another instance starts the service within
 * 20 s. The next holder is frozen with SIGSTOP: another takes over, and the frozen one, once resumed, stops its
 * service at its next renewal. At no time do two live instances run the service.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestRedis } from '../helpers/redis.js';
import { until } from '../helpers/wait.js';

const t = useTestRedis();
const src = (p: string) => JSON.stringify(fileURLToPath(new URL(`../../src/${p}`, import.meta.url)));
const TIMINGS = { ttlMs: 2_000, renewEveryMs: 400, retryEveryMs: 200, callTimeoutMs: 400, safetyMs: 400 };

const script = `
const { Redis } = await import('ioredis');
const { Keys } = await import(${src('redis/keys.ts')});
const { LeaseHolder } = await import(${src('redis/lease-holder.ts')});
const { silentLogger } = await import(${src('log.ts')});
const [url, ns, name, timings] = process.argv.slice(1);
const redis = new Redis(url);
const keys = new Keys(ns);
const record = (what, extra = {}) =>
  redis.rpush(ns + ':{leasetest}:log', JSON.stringify({ name, what, at: Date.now(), ...extra }));
let on = false;
const service = {
  async start() {
    if (on) return;
    on = true;
    await record('started');
    console.log('started');
  },
  async stop() {
    if (!on) return;
    on = false;
    await record('stopped');
    console.log('stopped');
  },
};
const holder = new LeaseHolder({
  redis,
  key: keys.lease('longconn'),
  fenceKey: keys.leaseFence('longconn'),
  owner: name,
  ...JSON.parse(timings),
  service,
  log: silentLogger,
  name: 'probe',
  onState: (state, detail) => console.log('state ' + state + ' ' + (detail.reason ?? '')),
});
process.on('SIGTERM', async () => {
  await holder.stop();
  await redis.quit();
  process.exit(0);
});
holder.start();
console.log('ready');
`;

interface Instance {
  name: string;
  child: ChildProcess;
  lines: string[];
}
interface Record {
  name: string;
  what: 'started' | 'stopped';
  at: number;
}
const instances: Instance[] = [];
afterAll(async () => {
  for (const { child } of instances) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }
});

function start(name: string): Instance {
  const args = [
    '--import',
    'tsx',
    '--input-type=module',
    '-e',
    script,
    t.url,
    t.keys.ns,
    name,
    JSON.stringify(TIMINGS),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const inst: Instance = { name, child, lines: [] };
  createInterface({ input: child.stdout! }).on('line', (line) => inst.lines.push(line));
  instances.push(inst);
  return inst;
}

async function records(): Promise<Record[]> {
  const raw = await t.redis.lrange(`${t.keys.ns}:{leasetest}:log`, 0, -1);
  return raw.map((r) => JSON.parse(r) as Record);
}
/** The instance running the service now, by the records: the last `started` not followed by its `stopped`. */
async function runningNow(): Promise<string[]> {
  const on = new Set<string>();
  for (const r of await records()) {
    if (r.what === 'started') on.add(r.name);
    else on.delete(r.name);
  }
  return [...on];
}

describe('one service, three instances', () => {
  it('moves to another instance within 20 s when the holder is killed, never running on two', async () => {
    for (const name of ['A', 'B', 'C']) start(name);
    await until(async () => (await runningNow()).length === 1, 'one instance to start the service');
    await until(() => instances.every((i) => i.lines.includes('ready')), 'every instance to be up');
    const byName = (n: string) => instances.find((i) => i.name === n)!;

    // 1. SIGKILL the holder: nothing releases the lease; it lapses and another instance takes over.
    const [first] = await runningNow();
    const killed = byName(first!);
    killed.child.kill('SIGKILL');
    await once(killed.child, 'exit');
    const killedAt = Date.now();
    await until(async () => (await runningNow()).some((n) => n !== first), 'another instance to take over');
    const second = (await runningNow()).find((n) => n !== first)!;
    const takeover = (await records()).find((r) => r.name === second && r.what === 'started')!;
    expect(takeover.at - killedAt).toBeLessThan(20_000);

    // 2. SIGSTOP the new holder (a frozen process): the lease lapses, the third instance takes over, and the
    // frozen one stops its service as soon as it runs again.
    const frozen = byName(second);
    frozen.child.kill('SIGSTOP');
    const frozenAt = Date.now();
    const third = ['A', 'B', 'C'].find((n) => n !== first && n !== second)!;
    await until(
      async () => (await records()).some((r) => r.name === third && r.what === 'started'),
      'the third instance to take over from the frozen one',
    );
    frozen.child.kill('SIGCONT');
    await until(() => frozen.lines.includes('stopped'), 'the resumed instance to stop its service');
    // Its renewal finds the third instance's token, or its deadline passed while it was frozen. Frozen between
    // its service's start and saying it held the lease, it never said so: it stays in standby, reason unsaid.
    if (frozen.lines.some((l) => l.startsWith('state held')))
      expect(frozen.lines.filter((l) => l.startsWith('state standby ')).at(-1)).toMatch(
        /^state standby (taken|unreachable)$/,
      );

    // 3. SIGTERM everyone: the holder releases; the log is complete.
    for (const i of instances) if (i !== killed) i.child.kill('SIGTERM');
    await Promise.all(
      instances.filter((i) => i !== killed && i.child.exitCode === null).map((i) => once(i.child, 'exit')),
    );

    // Intervals of running the service, per live process: from `started` to `stopped`, to its death (SIGKILL),
    // or to the moment it was frozen (a frozen process does nothing until it is resumed and stops).
    const spans: { name: string; from: number; to: number }[] = [];
    const open = new Map<string, number>();
    for (const r of await records()) {
      if (r.what === 'started') open.set(r.name, r.at);
      else {
        const to = r.name === second && r.at > frozenAt && open.get(r.name)! < frozenAt ? frozenAt : r.at;
        spans.push({ name: r.name, from: open.get(r.name)!, to });
        open.delete(r.name);
      }
    }
    for (const [name, from] of open) spans.push({ name, from, to: name === first ? killedAt : Infinity });
    spans.sort((x, y) => x.from - y.from);
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.from).toBeGreaterThanOrEqual(spans[i - 1]!.to);
    expect(spans.map((s) => s.name).slice(0, 3)).toEqual([first, second, third]);
  });
});
