import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/outbox.js';
import type { CliIO } from '../../src/cli/io.js';
import type { Outbound } from '../../src/core/outbound.js';
import { silentLogger } from '../../src/log.js';
import type { OutboxEntry } from '../../src/outbox/inspect.js';
import { jobIdFor } from '../../src/outbox/jobid.js';
import { useTestRedis } from '../helpers/redis.js';
import { startRig } from './fixtures/outbox-rig.js';

const { redis, keys, url } = useTestRedis();
const rig = await startRig({ redis, url, keys });
afterAll(() => rig.close());

/** Run `zhucun outbox …` against the test Redis and capture what it prints. */
async function zhucun(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => (out += t), err: (t) => (err += t), log: silentLogger, env: {} };
  const code = await run(argv, io, async () => ({ redis, keys, close: async () => {} }));
  return { code, out, err };
}

const digest: Outbound = {
  key: 'digest:township-3:2026-11-18',
  purpose: 'digest',
  to: { kind: 'webhook', keyEnv: 'WEBHOOK_T3' },
  body: { type: 'markdown', content: '# 三镇 11月18日 日报' },
};
const later: Outbound = {
  key: 'reminder:zhangsan:2026-11-19',
  purpose: 'reminder',
  to: { kind: 'user', userIds: ['zhangsan'] },
  body: { type: 'text', content: '明天记得签到' },
  notBefore: Date.now() + 3_600_000,
};

describe('zhucun outbox', () => {
  it('lists queued and failed messages, with the reason of each failure, as one JSON document', async () => {
    await rig.outbox.enqueue([digest, later]);
    await expect(rig.finish(digest.key)).rejects.toThrow(/WEBHOOK_T3/);

    const all = await zhucun('--json');
    expect(all.code).toBe(0);
    const { messages } = JSON.parse(all.out) as { messages: OutboxEntry[] };
    expect(messages.map((m) => [m.key, m.state])).toEqual([
      [later.key, 'delayed'],
      [digest.key, 'failed'],
    ]);
    expect(messages[0]).toMatchObject({
      id: jobIdFor(later.key),
      to: 'user zhangsan',
      body: 'text',
      purpose: 'reminder',
    });
    expect(messages[0]!.nextAt).toBeGreaterThan(Date.now());
    expect(messages[1]).toMatchObject({ to: 'webhook $WEBHOOK_T3', attemptsMade: 1 });
    expect(messages[1]!.failedReason).toContain('WEBHOOK_T3');

    const failed = JSON.parse((await zhucun('--failed', '--json')).out) as { messages: OutboxEntry[] };
    expect(failed.messages.map((m) => m.key)).toEqual([digest.key]);

    const text = await zhucun('--failed');
    expect(text.out).toContain(jobIdFor(digest.key));
    expect(text.out).toContain('WEBHOOK_T3');
  });

  it('retry re-queues a failed message, which is sent once the setting is fixed', async () => {
    rig.env.WEBHOOK_T3 = 'wh-key-3';
    const res = await zhucun('retry', jobIdFor(digest.key), '--json');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.out)).toEqual({ ok: true, id: jobIdFor(digest.key), key: digest.key, action: 'requeued' });
    expect(await rig.finish(digest.key)).toMatchObject({ sent: true });
    expect(rig.fake.sent('webhook').map((d) => d.payload)).toEqual([
      { msgtype: 'markdown', markdown: { content: digest.body.type === 'markdown' ? digest.body.content : '' } },
    ]);
    expect((await zhucun('--failed')).out).toBe('no failed messages\n');
  });

  it('refuses to re-send a sent message and says when an id is unknown', async () => {
    const sent = await zhucun('retry', digest.key);
    expect(sent.code).toBe(1);
    expect(sent.err).toContain('not failed (state completed)');
    const unknown = await zhucun('retry', 'no-such-message');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no such message');
  });

  it('retry by key runs a delayed message now', async () => {
    const res = await zhucun('retry', later.key);
    expect(res.out).toContain('will run now');
    expect(await rig.finish(later.key)).toMatchObject({ sent: true });
  });

  it('retry --all re-queues every failed message', async () => {
    const stopped: Outbound[] = ['a', 'b'].map((n) => ({
      key: `all:${n}`,
      purpose: 'reminder',
      to: { kind: 'webhook', keyEnv: 'WEBHOOK_T4' },
      body: { type: 'text', content: n },
    }));
    await rig.outbox.enqueue(stopped);
    for (const m of stopped) await expect(rig.finish(m.key)).rejects.toThrow(/WEBHOOK_T4/);
    rig.env.WEBHOOK_T4 = 'wh-key-4';
    const res = await zhucun('retry', '--all');
    expect(res).toMatchObject({ code: 0, out: '2 failed message(s) re-queued\n' });
    for (const m of stopped) expect(await rig.finish(m.key)).toMatchObject({ sent: true });
  });

  it('refuses bad usage', async () => {
    await expect(zhucun('retry')).rejects.toThrow(/exactly one ID/);
    await expect(zhucun('retry', 'x', '--all')).rejects.toThrow(/exactly one ID/);
    await expect(zhucun('purge')).rejects.toThrow(/unknown action/);
  });
});
