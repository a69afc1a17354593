/**
 * The lease holder: a service runs only on the instance holding the lease, is stopped as soon as the lease is
 * lost (even while it is still starting), and an instance that cannot start it gives the lease to another.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { silentLogger } from '../../src/log.js';
import type { RedisClient } from '../../src/redis/client.js';
import { LeaseHolder, type HolderState, type LeasedService } from '../../src/redis/lease-holder.js';
import { useTestRedis } from '../helpers/redis.js';
import { until } from '../helpers/wait.js';

const t = useTestRedis();
const FAST = { ttlMs: 3_000, renewEveryMs: 500, retryEveryMs: 100, callTimeoutMs: 500, safetyMs: 500 };

/** Every service start and stop of the test, in order, and how many services ran at most at once. */
const log: string[] = [];
let running = 0;
let maxRunning = 0;
const holders: LeaseHolder[] = [];
afterEach(async () => {
  await Promise.all(holders.splice(0).map((h) => h.stop()));
  log.length = 0;
  running = maxRunning = 0;
});

class Service implements LeasedService {
  on = false;
  /** When set, start() waits on it (a connection still being set up). */
  gate?: Promise<void>;
  failStart = false;
  constructor(readonly name: string) {}
  async start(): Promise<void> {
    log.push(`${this.name} start`);
    if (this.gate) await this.gate;
    if (this.failStart) throw new Error('cannot connect');
    if (this.on) return;
    this.on = true;
    running++;
    maxRunning = Math.max(maxRunning, running);
    log.push(`${this.name} started`);
  }
  async stop(): Promise<void> {
    if (!this.on) return;
    this.on = false;
    running--;
    log.push(`${this.name} stopped`);
  }
}

let n = 0;
function holder(name: string, redis: RedisClient = t.redis): { h: LeaseHolder; s: Service; states: HolderState[] } {
  const s = new Service(name);
  const states: HolderState[] = [];
  const h = new LeaseHolder({
    redis,
    key: t.keys.lease(`svc${n}`),
    fenceKey: t.keys.leaseFence(`svc${n}`),
    owner: name,
    ...FAST,
    service: s,
    log: silentLogger,
    name: 'test service',
    onState: (st) => states.push(st),
  });
  holders.push(h);
  return { h, s, states };
}

describe('LeaseHolder', () => {
  it('runs the service on one instance and moves it on stop, never on two at once', async () => {
    n++;
    const a = holder('A');
    const b = holder('B');
    a.h.start();
    await until(() => a.h.state === 'held', 'A to hold');
    b.h.start();
    expect(b.h.state).toBe('standby');
    await a.h.stop();
    await until(() => b.h.state === 'held', 'B to hold');
    expect(log).toEqual(['A start', 'A started', 'A stopped', 'B start', 'B started']);
    expect(maxRunning).toBe(1);
    expect(a.states).toEqual(['standby', 'held', 'stopped']);
    expect(b.states).toEqual(['standby', 'held']);
  });

  it('stops the service at once when the lease is lost, and competes again', async () => {
    n++;
    const a = holder('A');
    a.h.start();
    await until(() => a.h.state === 'held', 'A to hold');
    await t.redis.set(t.keys.lease(`svc${n}`), 'other:1:0', 'PX', 1_500);
    await until(() => !a.s.on, 'A to stop its service');
    expect(a.h.state).toBe('standby');
    // The other holder's key lapses and A takes over again.
    await until(() => a.h.state === 'held', 'A to hold again');
    expect(log).toEqual(['A start', 'A started', 'A stopped', 'A start', 'A started']);
  });

  it('does not wait for a start still in progress to stop the service on loss', async () => {
    n++;
    const a = holder('A');
    let open!: () => void;
    a.s.gate = new Promise((r) => (open = r));
    a.h.start();
    await until(() => log.includes('A start'), 'A to begin starting');
    await t.redis.set(t.keys.lease(`svc${n}`), 'other:1:0', 'PX', 60_000);
    await until(() => a.states.length === 1 && a.h.info.held === false, 'A to lose the lease');
    // The start completes after the loss: the service is stopped again and A is on standby.
    open();
    await until(() => log.includes('A stopped'), 'A to stop the late-started service');
    expect(a.s.on).toBe(false);
    expect(a.h.state).toBe('standby');
    expect(a.states).toEqual(['standby']);
  });

  it('gives the lease back when the service cannot start, so another instance runs it', async () => {
    n++;
    const a = holder('A');
    a.s.failStart = true;
    a.h.start();
    await until(() => log.includes('A start'), 'A to try');
    const b = holder('B');
    b.h.start();
    await until(() => b.h.state === 'held', 'B to hold after A failed');
    expect(a.h.state).toBe('standby');
    expect(maxRunning).toBe(1);
  });

  it('stops the service while Redis cannot be reached, and runs it again once Redis is back', async () => {
    n++;
    const own = new Redis(t.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    await own.connect();
    const a = holder('A', own);
    a.h.start();
    await until(() => a.h.state === 'held', 'A to hold');
    // The outage: every renewal fails; A stops the service before the lease could lapse in Redis.
    own.disconnect(false);
    await until(() => !a.s.on, 'A to stop its service');
    expect(a.h.state).toBe('standby');
    await own.connect();
    await until(() => a.h.state === 'held', 'A to hold again once Redis answers');
    expect(log).toEqual(['A start', 'A started', 'A stopped', 'A start', 'A started']);
    await a.h.stop();
    own.disconnect();
  });
});
