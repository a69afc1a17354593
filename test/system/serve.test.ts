/**
 * The real CLI as a user runs it: `zhucun serve` as a child process. With the official vector's credentials
 * and the sample roster it answers WeCom's URL check with the expected plaintext; with nothing configured it
 * starts its own Redis (sandbox mode, with a loud warning) and answers /healthz; half a configuration, or a
 * misspelt variable, stops it with what is wrong.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
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

/** What `zhucun serve` wrote to stderr so far. */
let stderr = '';

/**
 * Start `zhucun serve` (in `cwd`) and resolve with its URL once it says it is listening: waiting on its log line,
 * not on time. Start-up takes 20 s and more on a loaded machine (tsx, an embedded Redis), so the bound is generous
 * and, when it is reached, the failure shows what the process printed.
 */
async function serve(env: Record<string, string>, cwd = process.cwd(), boundMs = 120_000): Promise<string> {
  // A free port can be taken by a parallel test between the probe and the child's listen: try another one then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await serveOnce(env, cwd, boundMs);
    } catch (e) {
      if (attempt >= 3 || !/EADDRINUSE/.test((e as Error).message)) throw e;
    }
  }
}

async function serveOnce(env: Record<string, string>, cwd: string, boundMs: number): Promise<string> {
  const port = await freePort();
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  for (const k of Object.keys(base)) if (/^(WECOM_|ZHUCUN_|REDIS_)|^(ADMIN_TOKEN|PUBLIC_URL)$/.test(k)) delete base[k];
  const bin = join(process.cwd(), 'bin/zhucun.js');
  child = spawn(process.execPath, [bin, 'serve'], {
    cwd,
    env: { ...base, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stderr = '';
  return new Promise((resolve, reject) => {
    const bound = setTimeout(
      () => reject(new Error(`serve did not say it is listening within ${boundMs} ms: ${stderr}`)),
      boundMs,
    );
    child!.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(bound);
        resolve(m[1]!);
      }
    });
    child!.once('exit', (code) => {
      clearTimeout(bound);
      reject(new Error(`serve exited with ${code}: ${stderr}`));
    });
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
  }, 180_000);

  it('with nothing configured, starts its own Redis in sandbox mode, says so loudly and serves /healthz', async () => {
    // Nothing configured at all means the defaults, ./var and ./config included: a folder of its own.
    const dir = mkdtempSync(join(tmpdir(), 'zhucun-serve-'));
    symlinkSync(join(process.cwd(), 'config'), join(dir, 'config'));
    try {
      const url = await serve({}, dir);
      expect(stderr).toContain('SANDBOX MODE: nothing is configured');
      expect(stderr).toContain('set ZHUCUN_SANDBOX=1 to choose the sandbox explicitly');
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
      expect((await (await fetch(`${url}/readyz`)).json()) as object).toMatchObject({ ok: true, redis: 'ok' });
      const record = JSON.parse(readFileSync(join(dir, 'var', 'redis.json'), 'utf8')) as { pid: number };
      expect(() => process.kill(record.pid, 0)).not.toThrow();
      child!.kill('SIGTERM');
      const [code] = await once(child!, 'exit');
      expect(code).toBe(0);
      expect(() => process.kill(record.pid, 0)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('refuses storage without credentials instead of running the sandbox on it, and says how to get the sandbox', async () => {
    const err = await serve({ REDIS_URL: inject('redisUrl'), ZHUCUN_NAMESPACE: 'serve-refuse' }).catch(
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /serve exited with 1[\s\S]*no WeCom channel is configured[\s\S]*set ZHUCUN_SANDBOX=1/,
    );
  }, 60_000);

  it('refuses a misspelt variable, naming the one meant', async () => {
    const err = await serve({ ZHUCUN_SANDBOX: '1', WECOM_CORPID: 'ww1', ZHUCUN_DATA_DIR: tmpdir() }).catch(
      (e: unknown) => e as Error,
    );
    expect((err as Error).message).toContain('WECOM_CORPID is not a known variable: did you mean WECOM_CORP_ID?');
  }, 60_000);
});
