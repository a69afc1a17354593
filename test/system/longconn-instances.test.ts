/**
 * Two whole bot processes in long-connection mode against the fake WeCom's long-connection server, on one
 * Redis: only the instance holding the lease subscribes (the other stands by, as /readyz says); when the holder
 * is killed with SIGKILL, the other subscribes within 20 s and answers the next message. The fake never sees
 * two live connections of the robot (a second subscription would replace the first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FAKE_ROBOT, startFakeWecom, type FakeWecom } from '../../src/fakewecom/server.js';
import { policyWithoutCatchUp } from '../helpers/no-catch-up.js';
import { until } from '../helpers/wait.js';

const NS = `lcinst${randomBytes(3).toString('hex')}`;
const WECOM = { corpId: 'wwlease000000001', agentId: '1000011', secret: 'lease-app-secret' };
const LEASE = { ttlMs: 3_000, renewEveryMs: 500, retryEveryMs: 200, callTimeoutMs: 500, safetyMs: 500 };
const script = fileURLToPath(new URL('./fixtures/longconn-bot-server.ts', import.meta.url));
let fake: FakeWecom;
let redis: Redis;
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'));
  fake = await startFakeWecom(WECOM);
});
afterAll(async () => {
  for (const c of children) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    c.kill('SIGKILL');
    await once(c, 'exit');
  }
  await fake?.stop();
  for await (const batch of redis.scanStream({ match: `${NS}:*`, count: 1000 }))
    if ((batch as string[]).length) await redis.unlink(...(batch as string[]));
  redis?.disconnect();
});

interface Bot {
  child: ChildProcess;
  url: string;
}
async function startBot(policy: string): Promise<Bot> {
  const env = {
    REDIS_URL: inject('redisUrl'),
    ZHUCUN_NAMESPACE: NS,
    ZHUCUN_ROSTER: 'config/roster.sample.yaml',
    ZHUCUN_POLICY: policy,
    PORT: '0',
    WECOM_API_BASE: fake.url,
    WECOM_CORP_ID: WECOM.corpId,
    WECOM_AGENT_ID: WECOM.agentId,
    WECOM_APP_SECRET: WECOM.secret,
    WECOM_APP_TOKEN: 'leaseAppToken',
    WECOM_APP_AES_KEY: 'a'.repeat(43),
    WECOM_BOT_MODE: 'long-connection',
    WECOM_BOT_ID: FAKE_ROBOT.botId,
    WECOM_BOT_SECRET: FAKE_ROBOT.secret,
    WECOM_BOT_WS_URL: fake.wsUrl,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ZC_ENV: JSON.stringify(env), ZC_LEASE: JSON.stringify(LEASE) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bot exited early (${code})`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
  });
  return { child, url };
}

/** What /readyz (asked from loopback) says about the long connection. */
async function leaseState(bot: Bot): Promise<unknown> {
  const res = await fetch(`${bot.url}/readyz`);
  return ((await res.json()) as { longConnection?: unknown }).longConnection;
}

let msgNo = 0;
async function ask(text: string): Promise<string> {
  const frame = await fake.longConnection.callback(
    FAKE_ROBOT.botId,
    {
      msgid: `lease-${++msgNo}`,
      chattype: 'single',
      from: { userid: 'LiXiaoYan' },
      msgtype: 'text',
      text: { content: text },
    },
    10_000,
  );
  expect(frame).toMatchObject({ cmd: 'aibot_respond_msg', body: { msgtype: 'stream' } });
  return String((frame!.body!.stream as { content: string }).content);
}

const subscriptions = () => fake.longConnection.events.filter((e) => e.kind === 'subscribed').length;

describe('long connection on two instances', () => {
  it('is held by one instance and taken over within 20 s when it is killed', { timeout: 120_000 }, async () => {
    const policy = policyWithoutCatchUp();
    const [a, b] = await Promise.all([startBot(policy), startBot(policy)]);
    await fake.longConnection.subscribed(FAKE_ROBOT.botId, 1, 30_000);
    await until(async () => {
      const states = [await leaseState(a), await leaseState(b)].sort();
      return states[0] === 'held' && states[1] === 'standby';
    }, 'one instance holding the connection and the other standing by');
    const holder = (await leaseState(a)) === 'held' ? a : b;
    const standby = holder === a ? b : a;
    const answer = await ask('帮助');
    expect(answer.length).toBeGreaterThan(0);
    expect(subscriptions()).toBe(1);

    holder.child.kill('SIGKILL');
    await once(holder.child, 'exit');
    const killedAt = Date.now();
    await fake.longConnection.subscribed(FAKE_ROBOT.botId, 2, 20_000);
    expect(Date.now() - killedAt).toBeLessThan(20_000);
    expect(await leaseState(standby)).toBe('held');
    expect(await ask('帮助')).toBe(answer);

    // Never two connections at once: a second live subscription would have replaced the first.
    expect(fake.longConnection.events.filter((e) => e.kind === 'replaced')).toEqual([]);
    expect(subscriptions()).toBe(2);
  });
});
