/**
 * A bot for the fault tests whose one command makes a countable effect: "计次" reads the update's counter and
 * writes counter + 1 with an expectation on what it read (the core's optimistic concurrency). An update whose
 * effect were applied twice would count 2, so `counts()` checks "exactly once" directly. Callbacks are signed
 * and encrypted with the sandbox credentials exactly as WeCom sends them; `deliver` reports the status and the
 * time taken instead of throwing, because these tests are about the 503s.
 */
import { randomBytes } from 'node:crypto';
import { Bot } from '../../src/core/bot.js';
import { systemClock } from '../../src/core/clock.js';
import { defineCommand } from '../../src/core/command.js';
import type { Deps } from '../../src/core/deps.js';
import { Registry } from '../../src/core/registry.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import type { Logger } from '../../src/log.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import type { RedisClient } from '../../src/redis/client.js';
import type { Keys } from '../../src/redis/keys.js';
import { createRepos } from '../../src/repos.js';
import { RosterStore } from '../../src/roster/store.js';
import { SANDBOX_APP } from '../../src/sandbox/config.js';
import { WecomCrypto } from '../../src/wecom/crypto.js';
import { buildAppCallback, openAppReply, toQueryString } from '../../src/wecom/simulate.js';
import { RecordingOutbox, sampleRosterData } from './deps.js';

/** A cadre of the sample roster: the sender of every test message. */
export const SENDER = 'WangJianGuo';

const countsKey = (keys: Keys) => `${keys.ns}:{fault}:counts`;

/** The bot core with only the counting command, on `redis`; `extra` adds or replaces deps (`replicaWait`). */
export function countBot(redis: RedisClient, keys: Keys, log: Logger, extra: Partial<Deps> = {}): Bot {
  const count = defineCommand({
    id: 'count',
    aliases: ['计次'],
    roles: 'any',
    help: { summary: '测试', usage: '计次', examples: ['计次'] },
    async handle(ctx) {
      const key = countsKey(keys);
      const now = await ctx.deps.redis.hget(key, ctx.update.id);
      ctx.tx.expect(key, ctx.update.id, now).hset(key, ctx.update.id, String(Number(now ?? 0) + 1));
      return { text: `已计次 ${ctx.update.id}` };
    },
  });
  const deps: Deps = {
    redis,
    keys,
    repos: createRepos(redis, keys),
    clock: systemClock,
    log,
    roster: new RosterStore(redis, keys),
    outbox: new RecordingOutbox(),
    publicUrl: 'http://127.0.0.1:3000',
    checkinLink: 'http://127.0.0.1:3000/checkin',
    policy: defaultPolicy(),
    calendar: new HolidayCalendar(),
    ...extra,
  };
  return new Bot(deps, new Registry([count]));
}

/** Load the sample roster (once per namespace). */
export async function loadRoster(redis: RedisClient, keys: Keys): Promise<void> {
  await new RosterStore(redis, keys).replace(sampleRosterData());
}

/** Every update's counter: update id → how many times its effect was applied. */
export async function counts(redis: RedisClient, keys: Keys): Promise<Record<string, number>> {
  const raw = await redis.hgetall(countsKey(keys));
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
}

export interface Delivery {
  msgId: number;
  status: number;
  ms: number;
  /** The decrypted reply text of a 200. */
  reply?: string;
}

const crypto = new WecomCrypto({
  token: SANDBOX_APP.token,
  encodingAESKey: SANDBOX_APP.aesKey,
  receiveId: SANDBOX_APP.corpId,
});

/**
 * Deliver the "计次" message `msgId` to the bot at `baseUrl` as WeCom does (a fresh signature and nonce each
 * time, the same MsgId on a retry). A connection error or no answer within `timeoutMs` is status 0.
 */
export async function deliver(baseUrl: string, msgId: number, timeoutMs = 10_000): Promise<Delivery> {
  const fields = {
    ToUserName: SANDBOX_APP.corpId,
    FromUserName: SENDER,
    CreateTime: Math.floor(Date.now() / 1000),
    MsgType: 'text',
    Content: '计次',
    MsgId: String(msgId),
    AgentID: Number(SANDBOX_APP.agentId),
  };
  const cb = buildAppCallback(crypto, fields, {
    timestamp: Math.floor(Date.now() / 1000),
    nonce: randomBytes(6).toString('hex'),
  });
  const started = performance.now();
  try {
    const res = await fetch(`${baseUrl}/wecom/app?${toQueryString(cb.query)}`, {
      method: 'POST',
      body: cb.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await res.text();
    const ms = performance.now() - started;
    if (res.status !== 200) return { msgId, status: res.status, ms };
    return { msgId, status: 200, ms, reply: String(openAppReply(crypto, body).fields.Content) };
  } catch {
    return { msgId, status: 0, ms: performance.now() - started };
  }
}

/** The update id the bot gives message `msgId`. */
export const updateId = (msgId: number): string => `app:msg:${msgId}`;
