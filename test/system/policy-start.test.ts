/**
 * The dated policy at start, through the composition root: two instances starting at once register the file
 * once; a file dated in the future leaves today's version in force until its day, read through `deps.policy`;
 * a file dated inside a closed month stops start-up with the file and the reason. WeCom is the fake WeCom.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { closeMonth } from '../../src/close/close.js';
import { loadEnv } from '../../src/config/env.js';
import { startFakeWecom, type FakeWecom } from '../../src/fakewecom/server.js';
import { silentLogger } from '../../src/log.js';
import { PolicyHistory } from '../../src/policy/history.js';
import { Keys } from '../../src/redis/keys.js';
import { freePort } from '../global-setup.js';
import { TestClock } from '../helpers/clock.js';

const NS = `polstart${randomBytes(3).toString('hex')}`;
const WECOM = { corpId: 'wwpolicy00000001', agentId: '1000010', secret: 'policy-app-secret' };
const dir = await mkdtemp(join(tmpdir(), 'zhucun-policy-start-'));
let redis: Redis;
let wecomApi: FakeWecom;

const env = async (policy: string) =>
  loadEnv({
    REDIS_URL: inject('redisUrl'),
    ZHUCUN_NAMESPACE: NS,
    PORT: String(await freePort()),
    WECOM_API_BASE: wecomApi.url,
    WECOM_CORP_ID: WECOM.corpId,
    WECOM_AGENT_ID: WECOM.agentId,
    WECOM_APP_SECRET: WECOM.secret,
    ZHUCUN_ROSTER: 'config/roster.sample.yaml',
    ZHUCUN_POLICY: policy,
  });

async function policyFile(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'));
  wecomApi = await startFakeWecom(WECOM);
});

afterAll(async () => {
  await wecomApi?.stop();
  for await (const batch of redis.scanStream({ match: `${NS}:*`, count: 1000 }))
    if ((batch as string[]).length) await redis.unlink(...(batch as string[]));
  redis?.disconnect();
  await rm(dir, { recursive: true, force: true });
});

describe('the policy file at start', () => {
  it('is registered once by instances starting together, and a dated change takes over on its day', async () => {
    const clock = new TestClock('2026-11-05T08:00:00+08:00');
    const base = await policyFile('base.yaml', 'monthly:\n  minimum: 22\n');
    const both = await Promise.all([
      startApp(await env(base), silentLogger, { clock }),
      startApp(await env(base), silentLogger, { clock }),
    ]);
    await Promise.all(both.map((a) => a.close()));
    const keys = new Keys(NS);
    expect(await new PolicyHistory(redis, keys).versions()).toHaveLength(1);
    const audit = await redis.xrange(keys.audit(), '-', '+');
    expect(audit.filter(([, f]) => f[1]!.includes('"policy.change"'))).toHaveLength(1);

    const dated = await policyFile('dated.yaml', 'effectiveFrom: 2026-12-01\nmonthly:\n  minimum: 20\n');
    clock.set('2026-11-30T23:00:00+08:00');
    const app = await startApp(await env(dated), silentLogger, { clock });
    try {
      expect(app.deps.policy.monthly.minimum).toBe(22);
      clock.set('2026-12-01T00:00:00+08:00');
      expect(app.deps.policy.monthly.minimum).toBe(20);
    } finally {
      await app.close();
    }
  }, 90_000);

  it('stops start-up for a date inside a closed month, naming the file', async () => {
    const clock = new TestClock('2026-12-06T08:00:00+08:00');
    const app = await startApp(await env(await policyFile('ok.yaml', 'monthly:\n  minimum: 22\n')), silentLogger, {
      clock,
    });
    try {
      await closeMonth(app.deps, await app.deps.roster.get(), '2026-11', { now: clock.now(), actor: 'cli:ops@host' });
    } finally {
      await app.close();
    }
    const late = await policyFile('late.yaml', 'effectiveFrom: 2026-11-20\nmonthly:\n  minimum: 18\n');
    await expect(startApp(await env(late), silentLogger, { clock })).rejects.toThrow(
      `${late}: effectiveFrom 2026-11-20 is not after 2026-11, which is closed`,
    );
  }, 90_000);
});
