/**
 * The real CLI as a user runs it: `zhucun serve` as a child process. With the official vector's credentials
 * and the sample roster it answers WeCom's URL check with the expected plaintext; with nothing configured it
 * starts its own Redis (sandbox mode) and answers /healthz.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freePort } from '../global-setup.js';

const [V1] = JSON.parse(readFileSync('test/fixtures/wecom-official.json', 'utf8')).vectors;

let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  child = undefined;
});

/** Start `zhucun serve` and resolve with its URL once it says it is listening. */
async function serve(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  for (const k of Object.keys(base)) if (k.startsWith('WECOM_') || k.startsWith('ZHUCUN_') || k.startsWith('REDIS_')) delete base[k];
  child = spawn(process.execPath, ['bin/zhucun.js', 'serve'], { env: { ...base, PORT: String(port), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    child!.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child!.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

describe('zhucun serve', () => {
  it('answers the official URL verification with the expected plaintext', async () => {
    const url = await serve({
      REDIS_URL: inject('redisUrl'),
      ZHUCUN_NAMESPACE: 'serve-test',
      ZHUCUN_ROSTER: 'config/roster.sample.yaml',
      WECOM_CORP_ID: V1.receiveId,
      WECOM_APP_TOKEN: V1.token,
      WECOM_APP_AES_KEY: V1.encodingAESKey,
      WECOM_TIMESTAMP_TOLERANCE_S: '0',
    });
    const q = V1.verifyUrl;
    const qs = `msg_signature=${q.msg_signature}&timestamp=${q.timestamp}&nonce=${q.nonce}&echostr=${encodeURIComponent(q.echostr)}`;
    const res = await fetch(`${url}/wecom/app?${qs}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(V1.verifyUrl.expect);
    const ready = (await (await fetch(`${url}/readyz`)).json()) as { ok: boolean; warnings?: string[] };
    expect(ready.ok).toBe(true);
    expect(ready.warnings?.[0]).toContain('WECOM_APP_SECRET');
  });

  it('starts its own Redis in sandbox mode and serves /healthz', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhucun-serve-'));
    try {
      const url = await serve({ ZHUCUN_DATA_DIR: dir });
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
      expect((await (await fetch(`${url}/readyz`)).json()) as object).toMatchObject({ ok: true, redis: 'ok' });
      const record = JSON.parse(readFileSync(join(dir, 'redis.json'), 'utf8')) as { pid: number };
      expect(() => process.kill(record.pid, 0)).not.toThrow();
      child!.kill('SIGTERM');
      const [code] = await once(child!, 'exit');
      expect(code).toBe(0);
      expect(() => process.kill(record.pid, 0)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
