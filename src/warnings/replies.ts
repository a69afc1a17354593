/**
 * A cadre's answers to 整改 notices (`整改说明 内容`): one hash per cadre, month → JSON `{text, at}`, the latest
 * answer per month. The digests show whether a rectification notice has been answered.
 */
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Tx } from '../redis/tx.js';
import type { WarningRecord } from './store.js';

export interface RectifyReply {
  text: string;
  /** ISO time of the answer. */
  at: string;
}

export class RectifyReplyRepo {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** The cadre's answer about `month`, if any. */
  async get(userId: string, month: string): Promise<RectifyReply | undefined> {
    const raw = await this.redis.hget(this.keys.rectifyReplies(userId), month);
    return raw ? (JSON.parse(raw) as RectifyReply) : undefined;
  }

  /** Stage the cadre's answer about `month` (a new one replaces the old). */
  save(tx: Tx, userId: string, month: string, reply: RectifyReply): void {
    tx.hset(this.keys.rectifyReplies(userId), month, JSON.stringify(reply));
  }
}

/**
 * The 整改 notice a cadre answers at `now`: their latest one sent within `answerDays` (the policy's
 * `warnings.rectify.answerDays`, docs/rules.md). Pure.
 */
export function noticeToAnswer(
  records: readonly WarningRecord[],
  userId: string,
  now: Date,
  answerDays: number,
): WarningRecord | undefined {
  const since = now.getTime() - answerDays * 86_400_000;
  return records
    .filter((r) => r.userId === userId && r.stage === 'rectify' && new Date(r.at).getTime() >= since)
    .sort((a, b) => b.month.localeCompare(a.month))[0];
}
