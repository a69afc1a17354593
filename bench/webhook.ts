/**
 * The webhook benchmark's parts: a `zhucun serve` child process on a generated roster (embedded Redis, fsync
 * always, a fake WeCom API), a bare Koa child process, and autocannon runs of signed, encrypted callbacks
 * prepared beforehand (each with a new MsgId), so the load generator spends no crypto per request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { parseDocument, Scalar, type YAMLMap } from 'yaml';
import { exportRoster } from '../src/roster/load.js';
import type { RosterData } from '../src/roster/schema.js';
import { WecomCrypto } from '../src/wecom/crypto.js';
import { buildAppCallback, toQueryString } from '../src/wecom/simulate.js';

export const BENCH_APP = {
  corpId: 'wwbench000000001',
  agentId: '1000002',
  token: 'benchToken',
  aesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  secret: 'benchsecret',
};

export interface Child {
  url: string;
  pid: number;
  /** CPU time used so far by the process and its children's processes that are still running (ms). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** utime + stime of a process from /proc (ms), 0 when it is gone. */
function procCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** CPU of `pid` and of its direct children (the embedded redis-server). */
function treeCpuMs(pid: number): { own: number; children: number } {
  return { own: procCpuMs(pid), children: childPids(pid).reduce((sum, c) => sum + procCpuMs(c), 0) };
}
export { treeCpuMs };

/** Start a node child running `args` and wait for `ready` on its stderr; its stdout (the log) is discarded. */
async function startChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ proc: ChildProcess; line: string }> {
  const proc = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const line = await new Promise<string>((resolve, reject) => {
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = ready.exec(err);
      if (m) resolve(m[0]);
    });
    proc.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${err}`)));
  });
  proc.removeAllListeners('exit');
  return { proc, line };
}

async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  // Its own children (the embedded redis-server): a bot killed after the grace period cannot stop them itself.
  const children = childPids(proc.pid!);
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone, as after a clean stop
    }
  }
  // Until they have exited (a Redis writes its append-only file out as it stops): what is measured next must not
  // share the machine with a server still shutting down.
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const until = Date.now() + 15_000; children.some(alive) && Date.now() < until;)
    await new Promise((r) => setTimeout(r, 100));
}

/**
 * `zhucun serve` with `roster` imported at start-up, its own data directory and embedded Redis, and `workers`
 * worker processes (ZHUCUN_WORKERS: a number, or `auto` for one per core).
 */
export async function startServe(
  dir: string,
  roster: RosterData,
  port: number,
  apiBase: string,
  workers = '1',
): Promise<Child> {
  const rosterFile = join(dir, 'roster.yaml');
  writeFileSync(rosterFile, exportRoster(roster));
  // The county's policy with no job made up at start: a new installation would otherwise catch up on the day's
  // jobs (digests, the warning ladder, the notice triggers over the whole county) while the callbacks are
  // measured. Jobs are measured on their own (the digest and the sheet below); here only the callbacks.
  const policy = parseDocument(readFileSync('config/policy.yaml', 'utf8'));
  const catchUp = policy.get('catchUpUntil') as YAMLMap<Scalar<string>, Scalar<string>>;
  for (const pair of catchUp.items) pair.value = new Scalar('00:00');
  const policyFile = join(dir, 'policy.yaml');
  writeFileSync(policyFile, policy.toString());
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TZ: 'Asia/Shanghai',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ZHUCUN_DATA_DIR: join(dir, 'var'),
    ZHUCUN_ROSTER: rosterFile,
    ZHUCUN_POLICY: policyFile,
    ZHUCUN_NAMESPACE: 'bench',
    ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef',
    WECOM_CORP_ID: BENCH_APP.corpId,
    WECOM_AGENT_ID: BENCH_APP.agentId,
    WECOM_APP_SECRET: BENCH_APP.secret,
    WECOM_APP_TOKEN: BENCH_APP.token,
    WECOM_APP_AES_KEY: BENCH_APP.aesKey,
    WECOM_API_BASE: apiBase,
    LOG_LEVEL: 'info',
    ZHUCUN_WORKERS: workers,
  };
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const { proc, line } = await startChild([...extra, 'bin/zhucun.js', 'serve'], env, /listening on (\S+)/);
  return {
    url: line.replace('listening on ', ''),
    cpuMs: () => procCpuMs(proc.pid!),
    stop: () => stopChild(proc),
    pid: proc.pid!,
  } as Child;
}

/** A bare Koa endpoint that reads the body and answers a fixed string, in its own process like the bot. */
export async function startBareKoa(port: number): Promise<Child> {
  const { proc } = await startChild(
    ['--import', 'tsx', 'bench/bare-koa.ts'],
    { ...process.env, PORT: String(port) },
    /listening/,
  );
  return {
    url: `http://127.0.0.1:${port}`,
    cpuMs: () => procCpuMs(proc.pid!),
    stop: () => stopChild(proc),
    pid: proc.pid!,
  } as Child;
}

export type CallbackKind = 'location' | 'text';

/**
 * `count` signed callbacks from the roster's cadres, each with its own MsgId, ready to post to `/wecom/app`.
 * With `active`, only that many cadres send, spread evenly over the roster.
 */
export function prepareCallbacks(
  roster: RosterData,
  count: number,
  kind: CallbackKind,
  seed: number,
  active = roster.cadres.length,
): { path: string; body: string }[] {
  const crypto = new WecomCrypto({
    token: BENCH_APP.token,
    encodingAESKey: BENCH_APP.aesKey,
    receiveId: BENCH_APP.corpId,
  });
  const villages = new Map(roster.villages.map((v) => [v.id, v]));
  const timestamp = Math.floor(Date.now() / 1000);
  const out: { path: string; body: string }[] = [];
  for (let i = 0; i < count; i++) {
    const n = Math.min(active, roster.cadres.length);
    const cadre = roster.cadres[((i * 7919) % n) * Math.floor(roster.cadres.length / n)]!;
    const village = villages.get(cadre.village)!;
    const common = {
      ToUserName: BENCH_APP.corpId,
      FromUserName: cadre.userid,
      CreateTime: timestamp,
      MsgId: String(seed * 100_000_000 + i),
      AgentID: 1000002,
    };
    const fields =
      kind === 'location'
        ? {
            ...common,
            MsgType: 'location',
            Location_X: village.lat,
            Location_Y: village.lng,
            Scale: 15,
            Label: '村委会',
          }
        : { ...common, MsgType: 'text', Content: '我的考勤' };
    const cb = buildAppCallback(crypto, fields, { timestamp, nonce: randomBytes(6).toString('hex') });
    out.push({ path: `/wecom/app?${toQueryString(cb.query)}`, body: cb.body });
  }
  return out;
}

export interface LoadFigures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** One autocannon run posting `bodies` in turn (each once), flat out. */
export async function load(
  url: string,
  bodies: { path: string; body: string }[],
  opts: { connections: number; seconds?: number; amount?: number },
): Promise<LoadFigures> {
  let next = 0;
  const result = await autocannon({
    url,
    connections: opts.connections,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.seconds ?? 5 }),
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const b = bodies[next++ % bodies.length]!;
          return { ...req, path: b.path, body: b.body, headers: { 'content-type': 'text/xml' } };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
