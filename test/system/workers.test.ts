/**
 * `zhucun serve` with ZHUCUN_WORKERS=2, as a child process: one port, two worker processes that both answer,
 * a worker that dies is replaced, SIGTERM stops them all; the sandbox and a bad value are refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freePort } from '../global-setup.js';

const [V1] = JSON.parse(readFileSync('test/fixtures/wecom-official.json', 'utf8')).vectors;

let child: ChildProcess | undefined;
let stdout = '';
let stderr = '';
afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  child = undefined;
});

/** Start `zhucun serve`; resolves with its URL once it says it is listening, or rejects with what it printed. */
async function serve(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'debug' };
  for (const k of Object.keys(base)) if (/^(WECOM_|ZHUCUN_|REDIS_)|^(ADMIN_TOKEN|PUBLIC_URL)$/.test(k)) delete base[k];
  child = spawn(process.execPath, [join(process.cwd(), 'bin/zhucun.js'), 'serve'], {
    env: { ...base, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stdout = '';
  stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve, reject) => {
    // Start-up takes 20 s and more on a loaded machine (tsx, two workers): a generous bound that shows the output.
    const bound = setTimeout(
      () => reject(new Error(`serve did not start: ${stderr}\n${stdout.slice(-2000)}`)),
      150_000,
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

/** The worker processes: the primary's children that are node processes. */
function workerPids(primary: number): number[] {
  const children = readFileSync(`/proc/${primary}/task/${primary}/children`, 'utf8').split(' ').filter(Boolean);
  return children.map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('zhucun.js');
    } catch {
      return false;
    }
  });
}

/** Pids that logged an answered request to `/wecom/app`. */
function answeringPids(): Set<number> {
  const pids = new Set<number>();
  for (const line of stdout.split('\n')) {
    if (!line.includes('"msg":"http"')) continue;
    const rec = JSON.parse(line) as { pid: number; path: string; status: number };
    if (rec.path === '/wecom/app' && rec.status === 200) pids.add(rec.pid);
  }
  return pids;
}

const verifyQuery = () => {
  const q = V1.verifyUrl;
  return `msg_signature=${q.msg_signature}&timestamp=${q.timestamp}&nonce=${q.nonce}&echostr=${encodeURIComponent(q.echostr)}`;
};

describe('zhucun serve with ZHUCUN_WORKERS', () => {
  it('answers from two workers on one port, replaces a worker that dies, and stops them all on SIGTERM', async () => {
    const url = await serve({
      ZHUCUN_WORKERS: '2',
      REDIS_URL: inject('redisUrl'),
      ZHUCUN_NAMESPACE: 'workers-test',
      ZHUCUN_ROSTER: 'config/roster.sample.yaml',
      WECOM_CORP_ID: V1.receiveId,
      WECOM_APP_TOKEN: V1.token,
      WECOM_APP_AES_KEY: V1.encodingAESKey,
      WECOM_TIMESTAMP_TOLERANCE_S: '0',
    });
    expect(stderr).toContain('(2 workers)');
    const primary = child!.pid!;
    const first = workerPids(primary);
    expect(first).toHaveLength(2);

    // Each request on a connection of its own: the primary hands connections out in turn.
    const ask = async () => {
      const res = await fetch(`${url}/wecom/app?${verifyQuery()}`, {
        headers: { connection: 'close' },
        signal: AbortSignal.timeout(20_000),
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(V1.verifyUrl.expect);
    };
    for (let i = 0; i < 12; i++) await ask();
    await delay(200);
    expect([...answeringPids()].sort()).toEqual([...first].sort());

    // A worker killed outright is replaced, and once the primary has noticed, the port answers meanwhile (a
    // connection handed to the worker in the instant it died is lost, as on any crash: WeCom retries it).
    process.kill(first[0]!, 'SIGKILL');
    for (let i = 0; i < 200 && !stdout.includes('a worker stopped; starting another'); i++) await delay(50);
    await ask();
    let now = workerPids(primary);
    for (let i = 0; i < 240 && (now.length < 2 || now.includes(first[0]!)); i++) {
      await delay(250);
      now = workerPids(primary);
    }
    expect(now).toHaveLength(2);
    expect(now).not.toContain(first[0]);
    expect(now).toContain(first[1]);

    child!.kill('SIGTERM');
    const [code] = await once(child!, 'exit');
    expect(code).toBe(0);
    for (const pid of now) expect(() => process.kill(pid, 0)).toThrow();
  }, 240_000);

  it('refuses more than one worker for the sandbox, before starting anything', async () => {
    const err = await serve({ ZHUCUN_SANDBOX: '1', ZHUCUN_WORKERS: '2', ZHUCUN_DATA_DIR: tmpdir() }).catch(
      (e: unknown) => e as Error,
    );
    expect((err as Error).message).toMatch(
      /serve exited with 1[\s\S]*ZHUCUN_WORKERS=2: the sandbox runs in one process/,
    );
  }, 60_000);

  it('refuses a value that is not a number of processes or auto', async () => {
    const err = await serve({ ZHUCUN_SANDBOX: '1', ZHUCUN_WORKERS: 'many', ZHUCUN_DATA_DIR: tmpdir() }).catch(
      (e: unknown) => e as Error,
    );
    expect((err as Error).message).toContain('ZHUCUN_WORKERS: must be a number of processes from 1 to 64, or auto');
  }, 60_000);
});
