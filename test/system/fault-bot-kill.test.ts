/**
 * Fault: the bot process is killed with SIGKILL while callbacks are coming in, and a new one starts on the same
 * Redis. WeCom retries every callback it got no 200 for (same MsgId), and sometimes one it did get a 200 for
 * (the answer was lost). Each update has exactly one effect, and a retry of a committed one gets its reply.
 * (test/system/outbox-crash.test.ts covers the sending process killed mid-send.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { counts, deliver, loadRoster, updateId, type Delivery } from '../helpers/count-bot.js';
import { useTestRedis } from '../helpers/redis.js';
import { until } from '../helpers/wait.js';

const t = useTestRedis();
await loadRoster(t.redis, t.keys);
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    c.kill('SIGKILL');
    await once(c, 'exit');
  }
});

const script = fileURLToPath(new URL('./fixtures/count-bot-server.ts', import.meta.url));

async function startBot(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, REDIS_URL: t.url, ZC_NS: t.keys.ns },
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

it(
  "each update has exactly one effect after a kill -9 and WeCom's retries to a new process",
  { timeout: 90_000 },
  async () => {
    const first = await startBot();
    const deliveries: Delivery[] = [];
    let next = 5000;
    let running = true;
    const senders = Array.from({ length: 8 }, async () => {
      while (running) deliveries.push(await deliver(first.url, next++));
    });
    await until(() => deliveries.filter((d) => d.status === 200).length >= 100, 'a hundred callbacks answered');
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    running = false;
    await Promise.all(senders);
    // Callbacks in flight when it died got no answer (the connection closed).
    expect(deliveries.some((d) => d.status === 0)).toBe(true);
    expect(deliveries.every((d) => d.status === 200 || d.status === 0)).toBe(true);

    const second = await startBot();
    // WeCom retries what got no 200, with the same MsgId, until it gets one; a 503 means "again later" (a busy
    // lock the killed process held expires 10 s after it was taken).
    const retried = deliveries.filter((d) => d.status !== 200).map((d) => d.msgId);
    const lostAnswers = deliveries
      .filter((d) => d.status === 200)
      .slice(0, 20)
      .map((d) => d.msgId);
    await Promise.all(
      [...retried, ...lostAnswers].map(async (msgId) => {
        let r = await deliver(second.url, msgId);
        for (let i = 0; i < 5 && r.status !== 200; i++) r = await deliver(second.url, msgId);
        expect([msgId, r.status, r.reply]).toEqual([msgId, 200, `已计次 ${updateId(msgId)}`]);
      }),
    );

    const effects = await counts(t.redis, t.keys);
    expect(Object.keys(effects).sort()).toEqual(deliveries.map((d) => updateId(d.msgId)).sort());
    expect(Object.entries(effects).filter(([, n]) => n !== 1)).toEqual([]);
  },
);
