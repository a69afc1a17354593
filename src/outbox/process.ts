/**
 * What the worker does with one outbox job, in the order that makes "send once, never lose one" hold:
 *
 * 1. If the message's sent-marker exists, WeCom already accepted it (a previous run died before BullMQ marked
 *    the job complete): complete without sending.
 * 2. Take a slot in every rate limit the message touches. Over a limit means later: the job moves back to
 *    delayed until a slot frees (BullMQ's manual rate-limit pattern, `moveToDelayed` + `DelayedError`), which
 *    does not count as an attempt.
 * 3. Send. A permanent error (bad parameters, all recipients invalid, a configuration error) becomes an
 *    `UnrecoverableError`, so the job goes to the failed set with the reason; anything else is thrown as is and
 *    BullMQ retries it with exponential back-off.
 * 4. Set the sent-marker right after WeCom's answer, before BullMQ completes the job; it keeps WeCom's msgid for a
 *    later recall. A message recalled before it was sent (its cancelled-marker is set) is never sent.
 */
import { createHash } from 'node:crypto';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Outbound } from '../core/outbound.js';
import type { Logger } from '../log.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { isPermanent } from '../wecom/api/errors.js';
import { deliver, PermanentSendError, type DeliverContext, type DeliveryResult } from './deliver.js';
import type { Claim, RateLimiter, RateLimits } from './limits.js';
import { recallMsgids, recallSent } from './recall.js';

/** Sent-markers outlive completed jobs (kept 7 days), so a re-queue after the job is gone is still a no-op. */
export const SENT_MARKER_TTL_S = 8 * 86_400;

export interface ProcessDeps {
  redis: RedisClient;
  keys: Keys;
  limiter: RateLimiter;
  limits: RateLimits;
  deliver: DeliverContext;
  log: Logger;
  /** Clock ms per real ms: converts a wait measured on the injected clock into a BullMQ delay. */
  clockRate: number;
}

export type ProcessResult = (DeliveryResult & { sent: true }) | { sent: false; reason: 'already sent' | 'recalled' };

/** The rate-limit targets of a message: the app and each member, a webhook, or none (response_url). */
export function claimsFor(msg: Outbound, env: Record<string, string | undefined>, limits: RateLimits): Claim[] {
  switch (msg.to.kind) {
    case 'user': {
      const calls = msg.body.type === 'image' || msg.body.type === 'file' ? 2 : 1;
      return [
        { target: 'app', windows: limits.app, cost: calls },
        ...msg.to.userIds.map((u) => ({ target: `user:${u}`, windows: limits.user })),
      ];
    }
    case 'card_update':
      return [{ target: 'app', windows: limits.app }];
    case 'webhook': {
      const key = env[msg.to.keyEnv]?.trim();
      // The bucket is named by a hash of the key: the key is a credential and Redis key names are often listed.
      return key
        ? [
            {
              target: `webhook:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`,
              windows: limits.webhook,
            },
          ]
        : [];
    }
    case 'response_url':
      return [];
    case 'recall':
      return [{ target: 'app', windows: limits.app, cost: msg.to.keys.length }];
  }
}

/** Build the BullMQ processor function of the outbox worker. */
export function createProcessor(deps: ProcessDeps) {
  return async (job: Job<Outbound>, token?: string): Promise<ProcessResult> => {
    const msg = job.data;
    const log = deps.log.child({ job: job.id, key: msg.key, purpose: msg.purpose, attempt: job.attemptsMade + 1 });
    const marker = deps.keys.outboxSent(msg.key);
    if (await deps.redis.exists(marker)) {
      log.info('already accepted by WeCom before a restart; not sending again');
      return { sent: false, reason: 'already sent' };
    }
    if (await deps.redis.exists(deps.keys.outboxCancelled(msg.key))) {
      log.info('recalled before it was sent; not sending');
      return { sent: false, reason: 'recalled' };
    }
    const admission = await deps.limiter.acquire(claimsFor(msg, deps.deliver.env, deps.limits));
    if (!admission.ok) {
      const delay = Math.max(1, Math.ceil(admission.waitMs / deps.clockRate));
      log.debug({ target: admission.target, waitMs: admission.waitMs }, 'over the rate limit; delayed');
      await job.moveToDelayed(Date.now() + delay, token);
      throw new DelayedError();
    }
    let result: DeliveryResult;
    try {
      result =
        msg.to.kind === 'recall'
          ? await recallSent(msg.to.keys, { redis: deps.redis, keys: deps.keys, api: deps.deliver.api, log })
          : await deliver(msg, deps.deliver);
    } catch (err) {
      // The worker's 'failed' listener logs the final failure with the reason; no second log line here.
      if (err instanceof PermanentSendError || isPermanent(err)) throw new UnrecoverableError((err as Error).message);
      log.warn({ err: (err as Error).message }, 'send failed; will retry');
      throw err;
    }
    // The msgid WeCom gave is what `message/recall` needs later (an announcement withdrawn within 24 hours).
    const sent = { at: Date.now(), job: job.id, ...(result.msgid ? { msgid: result.msgid } : {}) };
    await deps.redis.set(marker, JSON.stringify(sent), 'EX', SENT_MARKER_TTL_S);
    // Recalled while this send was under way: the recall looked before this marker existed, so take it back here.
    if (result.msgid && (await deps.redis.exists(deps.keys.outboxCancelled(msg.key))))
      await recallMsgids([result.msgid], { redis: deps.redis, keys: deps.keys, api: deps.deliver.api, log });
    if (result.invaliduser) log.warn({ invaliduser: result.invaliduser }, 'some recipients were refused by WeCom');
    return { ...result, sent: true };
  };
}
