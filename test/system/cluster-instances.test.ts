/**
 * Past one machine: three `zhucun serve` processes (production mode, the fake WeCom as their API) on one 3-master
 * Redis Cluster, started at the same time as three machines would be. The test plays the load balancer and sends
 * signed callbacks to the three in turn, each retried on another instance; a policy fires the daily digest and
 * the 打卡 pull every few seconds so that all three schedulers contend for the same slots. Then it checks, at the
 * fake WeCom and in the instances' logs, that every slot ran once, one `gettoken` served all three, and each
 * message reached its people once within WeCom's limits; and that `zhucun` subcommands against
 * REDIS_CLUSTER_NODES give the same sheet and digest as one instance on a plain Redis holding the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { parse, parseDocument, Scalar, type YAMLMap } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { loadEnv } from '../../src/config/env.js';
import { localDate, localMonth } from '../../src/kit/dates.js';
import { silentLogger } from '../../src/log.js';
import { parsePolicy } from '../../src/policy/policy.js';
import { connectRedis } from '../../src/redis/connect.js';
import { Keys } from '../../src/redis/keys.js';
import { wipeNamespace } from '../../src/redis/wipe.js';
import { RosterStore } from '../../src/roster/store.js';
import { loadRollup } from '../../src/rollup/service.js';
import { startFakeWecom, type FakeWecom } from '../../src/fakewecom/server.js';
import { WecomCrypto } from '../../src/wecom/crypto.js';
import { buildAppCallback, openAppReply, toQueryString } from '../../src/wecom/simulate.js';
import type { RedisClient } from '../../src/redis/client.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { freePort } from '../global-setup.js';

const APP = {
  corpId: 'wwcluster0000001',
  agentId: '1000002',
  secret: 'cluster-app-secret',
  token: 'clusterToken',
  aesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};
const NS = 'inst3';
const crypto = new WecomCrypto({ token: APP.token, encodingAESKey: APP.aesKey, receiveId: APP.corpId });

interface Roster {
  villages: { id: string; lat: number; lng: number }[];
  cadres: { userid: string; village: string }[];
}
const roster = parse(readFileSync('config/roster.sample.yaml', 'utf8')) as Roster;

interface Instance {
  url: string;
  child: ChildProcess;
  log: string;
}

let cluster: TestCluster;
let fake: FakeWecom;
let dir: string;
const instances: Instance[] = [];

/** The environment a `zhucun` process gets: the project's variables of this test only. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, TZ: 'Asia/Shanghai', LOG_LEVEL: 'info' };
  for (const k of Object.keys(base)) if (/^(WECOM_|ZHUCUN_|REDIS_)|^(ADMIN_TOKEN|PUBLIC_URL)$/.test(k)) delete base[k];
  return {
    ...base,
    ZHUCUN_NAMESPACE: NS,
    ZHUCUN_POLICY: join(dir, 'policy.yaml'),
    ZHUCUN_DATA_DIR: join(dir, 'var'),
    ...extra,
  };
}
const clusterEnv = () => ({ REDIS_CLUSTER_NODES: cluster.nodes.join(',') });

async function serve(name: string): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/zhucun.js', 'serve'], {
    env: baseEnv({
      ...clusterEnv(),
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ZHUCUN_ROSTER: 'config/roster.sample.yaml',
      WECOM_API_BASE: fake.url,
      WECOM_CORP_ID: APP.corpId,
      WECOM_AGENT_ID: APP.agentId,
      WECOM_APP_SECRET: APP.secret,
      WECOM_APP_TOKEN: APP.token,
      WECOM_APP_AES_KEY: APP.aesKey,
      WECOM_TIMESTAMP_TOLERANCE_S: '0',
      WEBHOOK_XINTIAN: 'key-xintian',
      WEBHOOK_FENGCHENG: 'key-fengcheng',
      WEBHOOK_GAOCUN: 'key-gaocun',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const inst: Instance = { url: '', child, log: '' };
  instances.push(inst);
  child.stdout!.on('data', (d: Buffer) => (inst.log += d.toString()));
  let err = '';
  inst.url = await new Promise<string>((resolve, reject) => {
    const bound = setTimeout(() => reject(new Error(`${name} did not start: ${err}`)), 120_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(bound);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${err}\n${inst.log.slice(-3000)}`)));
  });
  return inst;
}

/** Run a `zhucun` subcommand to its end: exit code, stdout, stderr. */
async function zhucun(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['bin/zhucun.js', ...args], {
    env: baseEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  return { code, out, err };
}
async function zhucunJson(args: string[], env: Record<string, string>): Promise<unknown> {
  const r = await zhucun([...args, '--json'], env);
  if (r.code !== 0) throw new Error(`zhucun ${args.join(' ')} exited ${r.code}: ${r.err}`);
  return JSON.parse(r.out);
}

let msgId = 7_000_000;
/** Post one signed app message to `inst`; returns the raw request so it can be retried elsewhere. */
function appMessage(from: string, fields: Record<string, string | number>) {
  const timestamp = Math.floor(Date.now() / 1000);
  const cb = buildAppCallback(
    crypto,
    {
      ToUserName: APP.corpId,
      FromUserName: from,
      CreateTime: timestamp,
      MsgId: String(msgId++),
      AgentID: 1000002,
      ...fields,
    },
    { timestamp, nonce: String(msgId) },
  );
  return { path: `/wecom/app?${toQueryString(cb.query)}`, body: cb.body };
}
async function post(inst: Instance, req: { path: string; body: string }): Promise<string> {
  const send = () =>
    fetch(`${inst.url}${req.path}`, {
      method: 'POST',
      body: req.body,
      headers: { 'content-type': 'text/xml' },
      signal: AbortSignal.timeout(20_000),
    });
  let res = await send();
  // A 503 is storage answering late (a Redis command past its 2 s on a machine loaded by the whole suite), and
  // WeCom posts such a callback again, up to three times: so does this test. The counts below still hold each
  // update to exactly one effect.
  for (let retry = 0; res.status === 503 && retry < 3; retry++) {
    await delay(500);
    res = await send();
  }
  if (res.status !== 200) {
    const problems = inst.log.split('\n').filter((l) => /"level":(40|50|60)/.test(l));
    throw new Error(`${inst.url} answered ${res.status}: ${problems.slice(-5).join('\n')}`);
  }
  const text = await res.text();
  return text ? String(openAppReply(crypto, text).fields.Content ?? '') : '';
}

/** The `job ran` lines of every instance: job, slot and which instance. */
function runs(): { job: string; slot: string; instance: number }[] {
  return instances.flatMap((inst, instance) =>
    inst.log
      .split('\n')
      .filter((l) => l.includes('"msg":"job ran"'))
      .map((l) => JSON.parse(l) as { job: string; slot: string })
      .map(({ job, slot }) => ({ job, slot, instance })),
  );
}

/** The cells of a workbook's sheets as plain values, to compare two exports. */
async function cells(file: string): Promise<unknown[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const out: unknown[][] = [];
  book.eachSheet((sheet) => sheet.eachRow((row) => out.push([sheet.name, JSON.stringify(row.values)])));
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhucun-instances-'));
  // The county's policy with no job made up at start (the test must not depend on the time of day), and the
  // daily digest and the 打卡 pull every few seconds, so that the three schedulers contend for many slots.
  const policy = parseDocument(readFileSync('config/policy.yaml', 'utf8'));
  const catchUp = policy.get('catchUpUntil') as YAMLMap<Scalar<string>, Scalar<string>>;
  for (const pair of catchUp.items) pair.value = new Scalar('00:00');
  policy.setIn(['jobs', 'dailyDigest'], '*/4 * * * * *');
  policy.setIn(['jobs', 'checkinSync'], '*/3 * * * * *');
  writeFileSync(join(dir, 'policy.yaml'), policy.toString());
  [cluster, fake] = await Promise.all([startCluster(), startFakeWecom(APP)]);
  await Promise.all(['A', 'B', 'C'].map((name) => serve(name)));
}, 150_000);

afterAll(async () => {
  await Promise.all(
    instances.map(async ({ child }) => {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    }),
  );
  await fake?.stop();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('three instances on a Redis Cluster', () => {
  it('share the callbacks, the schedule, the token and the outbox, and count as one instance', async () => {
    const villages = new Map(roster.villages.map((v) => [v.id, v]));
    const cadres = roster.cadres.filter((c) => villages.has(c.village));

    // Callbacks in turn across the instances, each retried (as WeCom does) at the next instance.
    const replies = await Promise.all(
      cadres.map(async (c, i) => {
        const v = villages.get(c.village)!;
        const req = appMessage(c.userid, {
          MsgType: 'location',
          Location_X: v.lat,
          Location_Y: v.lng,
          Scale: 15,
          Label: '村委会',
        });
        const first = await post(instances[i % 3]!, req);
        const retry = await post(instances[(i + 1) % 3]!, req);
        return { first, retry };
      }),
    );
    for (const { first, retry } of replies) {
      expect(first).toContain('签到');
      expect(retry).toBe(first);
    }
    // A question at a third instance sees the check-in the first one recorded.
    const asked = await Promise.all(
      cadres.map((c, i) =>
        post(instances[(i + 2) % 3]!, appMessage(c.userid, { MsgType: 'text', Content: '我的考勤' })),
      ),
    );
    for (const answer of asked) expect(answer).toContain('待确认 1 天');

    // An announcement previewed at one instance and confirmed at another.
    const preview = await post(
      instances[0]!,
      appMessage('WuJianZhong', { MsgType: 'text', Content: '通知 新田乡 明天上午九点到乡政府开会' }),
    );
    expect(preview).toContain('确认发送');
    const confirmed = await post(instances[1]!, appMessage('WuJianZhong', { MsgType: 'text', Content: '确认发送' }));
    expect(confirmed).toMatch(/N\d+/);

    // Let the schedulers contend for a few slots of the digest, then wait until the outbox is empty.
    for (
      let i = 0;
      i < 200 &&
      new Set(
        runs()
          .filter((r) => r.job === 'daily-digest')
          .map((r) => r.slot),
      ).size < 3;
      i++
    )
      await new Promise((r) => setTimeout(r, 250));
    // Wait until nothing has reached the fake WeCom for 3 s: the outbox is drained.
    for (let last = -1, i = 0; last !== fake.sent().length && i < 20; i++) {
      last = fake.sent().length;
      await new Promise((r) => setTimeout(r, 3_000));
    }
    const queued = (await zhucunJson(['outbox'], clusterEnv())) as { messages: unknown[] };
    expect(queued.messages).toEqual([]);

    // Every slot ran on exactly one instance.
    const all = runs();
    const slots = all.map((r) => `${r.job} ${r.slot}`);
    expect(new Set(slots).size).toBe(slots.length);
    expect(all.filter((r) => r.job === 'daily-digest').length).toBeGreaterThanOrEqual(3);

    // One token for all three instances.
    expect(fake.count('/cgi-bin/gettoken')).toBe(1);

    // Each message reached each person once, none over WeCom's per-member limit.
    const delivered = fake.sent();
    expect(delivered.flatMap((d) => d.dropped)).toEqual([]);
    const perPerson = delivered.flatMap((d) => d.to.map((to) => `${d.channel} ${to} ${JSON.stringify(d.payload)}`));
    expect(perPerson.length).toBe(new Set(perPerson).size);
    expect(fake.requests.filter((r) => r.response?.errcode === 45009)).toEqual([]);
    const announced = delivered.filter((d) => JSON.stringify(d.payload).includes('明天上午九点到乡政府开会'));
    const recipients = announced.flatMap((d) => d.to);
    expect(recipients.length).toBeGreaterThan(0);
    expect(new Set(recipients).size).toBe(recipients.length);
    // The day's digest reached each township's group once, however many slots ran.
    const groups = delivered.filter((d) => d.channel === 'webhook').flatMap((d) => d.to);
    expect(groups.sort()).toEqual(['key-fengcheng', 'key-gaocun', 'key-xintian']);
  }, 120_000);

  it('answers `zhucun` subcommands on the cluster with the figures of one instance on a plain Redis', async () => {
    const plain = { REDIS_URL: inject('redisUrl') };
    // The same data on one plain Redis, in the same namespace: a backup of the cluster restored there.
    const snapshot = join(dir, 'cluster.backup');
    await zhucunJson(['backup', '--out', snapshot], clusterEnv());
    // The monthly sheet and the next day's digest (not sent yet anywhere) from either store.
    const now = new Date();
    const tomorrowEvening = `${localDate(new Date(now.getTime() + 86_400_000))}T18:00:00+08:00`;
    const figures = async (env: Record<string, string>, name: string) => {
      const sheet = join(dir, `${name}.xlsx`);
      const [, digest] = await Promise.all([
        zhucunJson(['sheet', '--now', now.toISOString(), '--out', sheet], env),
        zhucunJson(['jobs', 'run', 'daily-digest', '--dry-run', '--now', tomorrowEvening], env),
      ]);
      return { sheet: await cells(sheet), digest };
    };
    const [onCluster, restored] = await Promise.all([
      figures(clusterEnv(), 'cluster'),
      zhucunJson(['restore', snapshot, '--replace'], plain) as Promise<{ ok: boolean }>,
    ]);
    expect(restored.ok).toBe(true);
    const onOne = await figures(plain, 'plain');
    expect(onCluster.sheet.length).toBeGreaterThan(roster.cadres.length / 2);
    expect((onCluster.digest as { messages: unknown[] }).messages.length).toBeGreaterThan(0);
    expect(onCluster).toEqual(onOne);

    // The county roll-up (全县考勤's figures), read from the cluster and from the plain Redis.
    const policy = parsePolicy(readFileSync(join(dir, 'policy.yaml'), 'utf8'));
    const keys = new Keys(NS);
    const clusterConn = await connectRedis(loadEnv(clusterEnv()), silentLogger);
    const plainConn = await connectRedis(loadEnv(plain), silentLogger);
    try {
      const rollup = async (redis: RedisClient) => {
        const county = await new RosterStore(redis, keys).get();
        const src = { redis, keys, policy, calendar: new HolidayCalendar() };
        const scope = { county: true, townships: [...county.townships.keys()] };
        return loadRollup(src, county, scope, localMonth(now), now);
      };
      const [a, b] = await Promise.all([rollup(clusterConn.redis), rollup(plainConn.redis)]);
      expect(a.total.cadres).toBeGreaterThan(0);
      expect(a).toEqual(b);
    } finally {
      await wipeNamespace(plainConn.redis, NS);
      await Promise.all([clusterConn.close(), plainConn.close()]);
    }
  }, 120_000);
});
