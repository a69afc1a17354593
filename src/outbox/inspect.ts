/**
 * Looking into the outbox for operators (`zhucun outbox`): which messages wait, why some failed, and putting a
 * failed one back in the queue. Nothing here prints secrets: a webhook is shown by the name of its variable
 * and a response_url by its path only.
 */
import type { Job, JobType, Queue } from 'bullmq';
import type { Outbound, OutboundTarget } from '../core/outbound.js';
import { jobIdFor, keyOfJobId } from './jobid.js';

export interface OutboxEntry {
  id: string;
  key: string;
  purpose: string;
  state: string;
  to: string;
  body: string;
  attemptsMade: number;
  attempts: number;
  /** When it was queued (ms since epoch). */
  queuedAt: number;
  /** When a delayed message runs next (ms since epoch). */
  nextAt?: number;
  failedReason?: string;
  finishedAt?: number;
}

export type RetryOutcome =
  | { ok: true; id: string; key: string; action: 'requeued' | 'promoted' }
  | { ok: false; id: string; reason: 'not found' | 'not failed'; state?: string };

const QUEUED: JobType[] = ['waiting', 'delayed', 'active', 'prioritized', 'paused', 'waiting-children'];

/** A target as an operator may see it. */
export function describeTarget(to: OutboundTarget): string {
  switch (to.kind) {
    case 'user':
      return `user ${to.userIds.join('|')}`;
    case 'webhook':
      return `webhook $${to.keyEnv}`;
    case 'response_url':
      return `response_url ${new URL(to.url).pathname}`;
    case 'card_update':
      return `card_update ${to.userIds.join('|') || '(all)'}`;
    case 'recall':
      return `recall ${to.keys.join(' ')}`;
  }
}

async function entry(job: Job<Outbound>, state?: string): Promise<OutboxEntry> {
  const s = state ?? (await job.getState());
  return {
    id: job.id ?? '',
    key: job.data.key,
    purpose: job.data.purpose,
    state: s,
    to: describeTarget(job.data.to),
    body: job.data.body.type,
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    queuedAt: job.timestamp,
    ...(s === 'delayed' ? { nextAt: job.timestamp + (job.delay ?? 0) } : {}),
    ...(job.failedReason ? { failedReason: job.failedReason } : {}),
    ...(job.finishedOn ? { finishedAt: job.finishedOn } : {}),
  };
}

/** Queued and failed messages (or only failed), oldest first, at most `limit` of each state group. */
export async function listJobs(
  queue: Queue<Outbound>,
  opts: { failed?: boolean; limit?: number },
): Promise<OutboxEntry[]> {
  const limit = opts.limit ?? 500;
  const out: OutboxEntry[] = [];
  if (!opts.failed) {
    for (const type of QUEUED) {
      const jobs = (await queue.getJobs([type], 0, limit - 1, true)) as Job<Outbound>[];
      for (const job of jobs) out.push(await entry(job, type === 'prioritized' ? 'waiting' : type));
    }
  }
  const failed = (await queue.getJobs(['failed'], 0, limit - 1, true)) as Job<Outbound>[];
  for (const job of failed) out.push(await entry(job, 'failed'));
  return out;
}

/**
 * Re-queue a failed message with fresh attempts, or run a delayed one now. Accepts the job id shown by
 * `zhucun outbox` or the idempotency key. A completed message is never re-sent from here.
 */
export async function retryJob(queue: Queue<Outbound>, idOrKey: string): Promise<RetryOutcome> {
  const job = ((await queue.getJob(idOrKey)) ?? (await queue.getJob(jobIdFor(idOrKey)))) as Job<Outbound> | undefined;
  if (!job?.id) return { ok: false, id: idOrKey, reason: 'not found' };
  const state = await job.getState();
  if (state === 'failed') {
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return { ok: true, id: job.id, key: keyOfJobId(job.id), action: 'requeued' };
  }
  if (state === 'delayed') {
    await job.promote();
    return { ok: true, id: job.id, key: keyOfJobId(job.id), action: 'promoted' };
  }
  return { ok: false, id: job.id, reason: 'not failed', state };
}
