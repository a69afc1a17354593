/**
 * `message/recall` of messages the outbox sent: each sent-marker keeps the msgid WeCom answered with, and the
 * recall asks WeCom to take back each one. A message not sent yet gets a cancelled-marker instead, so it is
 * never sent; a send that finished while the markers were written is found by a second look, and one still under
 * way sees the cancelled-marker after its own send and recalls itself (process.ts). WeCom allows a
 * recall within 24 hours of sending; an older msgid is refused by WeCom and logged, the others still go.
 * Group robot (webhook) messages have no msgid and cannot be recalled.
 */
import type { Logger } from '../log.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { WecomApi } from '../wecom/api/client.js';
import { isPermanent, WecomConfigError } from '../wecom/api/errors.js';
import type { DeliveryResult } from './deliver.js';

/** As long as the sent-markers live: a queued message is long sent or failed by then. */
const CANCELLED_TTL_S = 8 * 86_400;

export interface RecallDeps {
  redis: RedisClient;
  keys: Keys;
  api: WecomApi;
  log: Logger;
}

async function msgidOf(deps: RecallDeps, key: string): Promise<string | undefined | null> {
  const raw = await deps.redis.get(deps.keys.outboxSent(key));
  if (!raw) return undefined;
  const msgid = (JSON.parse(raw) as { msgid?: string }).msgid;
  return msgid || null;
}

/** Recall the messages sent under `messageKeys`; those not sent yet are cancelled. */
export async function recallSent(messageKeys: string[], deps: RecallDeps): Promise<DeliveryResult> {
  const msgids: string[] = [];
  for (const key of messageKeys) {
    let msgid = await msgidOf(deps, key);
    if (msgid === undefined) {
      await deps.redis.set(deps.keys.outboxCancelled(key), '1', 'EX', CANCELLED_TTL_S);
      msgid = await msgidOf(deps, key);
    }
    if (msgid) msgids.push(msgid);
  }
  await recallMsgids(msgids, deps);
  return { endpoint: 'message/recall' };
}

/** `message/recall` of each msgid; one WeCom refuses (too old, already recalled) is logged and the rest still go. */
export async function recallMsgids(msgids: string[], deps: RecallDeps): Promise<void> {
  let recalled = 0;
  for (const msgid of msgids) {
    try {
      await deps.api.call('message/recall', { body: { msgid } });
      recalled++;
    } catch (err) {
      // A refusal of this message (too old, already recalled) is final; a configuration refusal (no permission,
      // IP not trusted) concerns every message, so the job fails with it and is retried once it is fixed.
      if (err instanceof WecomConfigError || !isPermanent(err)) throw err;
      deps.log.warn({ msgid, err: (err as Error).message }, 'WeCom refused to recall a message');
    }
  }
  deps.log.info({ asked: msgids.length, recalled }, 'messages recalled');
}
