/**
 * The Redis memory alert, against a redis-server of this file's own (its maxmemory is changed, which the shared
 * test server must not see).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Alerts } from '../../src/alerts/alerts.js';
import { memoryUse, parseInfo, readMemory } from '../../src/alerts/memory.js';
import { opsWatch } from '../../src/jobs/ops-watch.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { Keys } from '../../src/redis/keys.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import type { JobContext } from '../../src/schedule/job.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { freePort } from '../global-setup.js';
import { testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { OPERATOR, startAlertRig } from './support.js';

const t = useTestRedis();
const a = await startAlertRig(t);
let server: ChildProcess;
let own: Redis;
let port: number;

beforeAll(async () => {
  port = await freePort();
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    server.once('error', reject);
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
  });
  own = new Redis(`redis://127.0.0.1:${port}`);
});

afterAll(async () => {
  own.disconnect();
  server.kill('SIGTERM');
  await once(server, 'exit');
  await a.rig.close();
});

/** ops-watch on the own server with `percent` as the policy's threshold; the alerts' texts queued. */
async function watch(percent: number, keys: Keys) {
  const policy = defaultPolicy();
  policy.alerts.redisMemoryPercent = percent;
  const out = a.tee();
  const base = testDeps({ redis: own, keys, url: '' }, { clock: a.clock, outbox: out, policy });
  const alerts = new Alerts({ ...base, log: a.log, outbox: out, target: { userIds: [OPERATOR] } });
  const ctx: JobContext = { ...base, alerts, jobTable: [] };
  const result = await new JobRunner(ctx, new RedisRunCoordinator(own, keys, a.clock, () => 1000)).runManual(opsWatch);
  return { notes: result.notes, texts: out.queued.map((m) => (m.body.type === 'text' ? m.body.content : '')) };
}

describe('the Redis memory alert', () => {
  it('alerts above the policy’s share of maxmemory, saying what to do', async () => {
    await own.config('SET', 'maxmemory', String(16 * 1024 * 1024));
    const [reading] = await readMemory(own);
    expect(reading).toMatchObject({ node: `127.0.0.1:${port}`, limit: 16 * 1024 * 1024, basis: 'maxmemory' });
    expect(reading!.percent).toBeGreaterThanOrEqual(1);

    const quiet = await watch(80, new Keys('m1'));
    expect(quiet.texts).toEqual([]);
    expect(quiet.notes).toEqual([`redis 127.0.0.1:${port}: ${reading!.percent}% of maxmemory (alert above 80%)`]);

    const loud = await watch(1, new Keys('m2'));
    const used = (await readMemory(own))[0]!;
    expect(loud.notes[0]).toMatch(/ — ALERT$/);
    expect(loud.texts).toHaveLength(1);
    const lines = loud.texts[0]!.split('\n');
    expect(lines[0]).toBe('【驻村助手运维告警】Redis 内存占用过高');
    expect(lines[1]).toMatch(
      new RegExp(
        `^原因：Redis（127\\.0\\.0\\.1:${port}）已用内存 [0-9.]+ MB，占内存上限 maxmemory 16 MB 的 \\d+%，超过告警线 1%。$`,
      ),
    );
    expect(used.percent).toBeGreaterThan(1);
    expect(lines[2]).toContain('处理：用满后 Redis 会拒绝写入');
    expect(lines[2]).toContain('调大 Redis 的 maxmemory');
  });

  it('without maxmemory, measures against the machine’s memory', async () => {
    await own.config('SET', 'maxmemory', '0');
    const [reading] = await readMemory(own);
    const info = parseInfo(await own.info('memory'));
    expect(reading).toMatchObject({ basis: 'system', limit: Number(info.total_system_memory) });
    expect(memoryUse('x', { used_memory: '50', maxmemory: '0', total_system_memory: '100' })).toEqual({
      node: 'x',
      used: 50,
      limit: 100,
      basis: 'system',
      percent: 50,
    });
    // Nothing to compare with: no reading, so no alert.
    expect(memoryUse('x', { used_memory: '50', maxmemory: '0' })).toBeNull();
  });
});
