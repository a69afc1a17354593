/**
 * /healthz through the whole composition root (`startApp`), not only the health router: with the embedded
 * redis-server killed it turns 503 (the Redis connection is down, so the process cannot serve), and it is 200
 * again once the supervisor has restarted the server and the client has reconnected — without restarting the bot.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger } from '../../src/log.js';
import { SANDBOX_ROBOT } from '../../src/sandbox/config.js';
import { freePort } from '../global-setup.js';

let dataDir: string;
let app: RunningApp;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'zhucun-health-app-'));
  const env = loadEnv({
    WECOM_BOT_TOKEN: SANDBOX_ROBOT.token,
    WECOM_BOT_AES_KEY: SANDBOX_ROBOT.aesKey,
    ZHUCUN_ROSTER: 'config/roster.sample.yaml',
    ZHUCUN_DATA_DIR: dataDir,
    PORT: String(await freePort()),
  });
  app = await startApp(env, silentLogger);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Poll /healthz until it answers `status`; the bound only keeps a broken build from hanging the suite. */
async function healthBecomes(status: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  let last = 0;
  while (Date.now() < deadline) {
    last = (await fetch(`${app.url}/healthz`)).status;
    if (last === status) return last;
    await delay(50);
  }
  return last;
}

it(
  'is 503 while the embedded Redis is down and 200 again after the supervisor restarted it',
  { timeout: 90_000 },
  async () => {
    expect(await healthBecomes(200)).toBe(200);
    const { pid } = JSON.parse(await readFile(join(dataDir, 'redis.json'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');
    expect(await healthBecomes(503)).toBe(503);
    expect(await healthBecomes(200)).toBe(200);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  },
);
