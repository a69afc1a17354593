/**
 * The push log: what the bot pushed to each person, and which reminders the burden rules dropped, month by
 * month, for the burden figures (`zhucun jobs burden`). The outbox's own queue is no record of this: completed
 * messages leave it after a week and dropped reminders never enter it; the burden counters expire after three
 * days. So each month has a hash here, kept `RETAIN_DAYS`:
 *
 * - `s|<message key>|<userid>` → `{p: purpose, t: send time}`: a push. Written only if absent, here and in the
 *   previous month's hash, because the outbox sends a key once however often it is queued: a job that plans
 *   the same message again the next day (a follow-up until 销假) pushes nothing new, and a repeated run neither.
 * - `d|<date>|<message key>|<userid>` → `{t, d: reason}`: a reminder dropped that day (the burden rules count a
 *   drop once per day).
 *
 * A push belongs to the time it is to be sent (`notBefore`, else when it was queued). Only app messages to
 * members count: a group post reaches nobody's phone in particular, and a card update changes a message the
 * person already has.
 */
import type { Clock } from '../core/clock.js';
import { addDays, localDate, localMonth, monthDates } from '../kit/dates.js';
import type { Outbound } from '../core/outbound.js';
import type { OutboxPort } from '../core/outbox-port.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Dropped, RunResult } from './run-result.js';

/** Long enough to look back over last year's months. */
export const RETAIN_DAYS = 400;

export interface PushEntry {
  key: string;
  userId: string;
  purpose: string;
  /** ISO time the push is (or would have been) sent. */
  at: string;
  /** Set for a reminder the burden rules dropped. */
  dropped?: Dropped['reason'];
}

interface Stored {
  p?: string;
  t: string;
  d?: Dropped['reason'];
}

const previousMonth = (month: string) => addDays(monthDates(month)[0]!, -1).slice(0, 7);

export class PushLogRepo {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** Record messages queued at `now` and reminders dropped at `now`. */
  async record(now: Date, sent: readonly Outbound[], dropped: readonly Dropped[] = []): Promise<void> {
    const writes: { month: string; field: string; value: string; once: boolean }[] = [];
    for (const m of sent) {
      if (m.to.kind !== 'user') continue;
      const at = new Date(m.notBefore ?? now.getTime());
      const value = JSON.stringify({ p: m.purpose, t: at.toISOString() } satisfies Stored);
      for (const userId of m.to.userIds)
        writes.push({ month: localMonth(at), field: `s|${m.key}|${userId}`, value, once: true });
    }
    // Only reminders are ever dropped (the burden rules apply to nothing else).
    for (const d of dropped) {
      const value = JSON.stringify({ t: now.toISOString(), d: d.reason } satisfies Stored);
      writes.push({ month: localMonth(now), field: `d|${localDate(now)}|${d.key}|${d.userId}`, value, once: false });
    }
    await Promise.all(
      writes.map(async (w) => {
        const key = this.keys.pushLog(w.month);
        if (!w.once) return this.redis.hset(key, w.field, w.value);
        if (await this.redis.hexists(this.keys.pushLog(previousMonth(w.month)), w.field)) return;
        return this.redis.hsetnx(key, w.field, w.value);
      }),
    );
    const months = new Set(writes.map((w) => w.month));
    await Promise.all([...months].map((month) => this.redis.expire(this.keys.pushLog(month), RETAIN_DAYS * 86_400)));
  }

  /** Record one job run's outcome (what the runner queued and dropped); a dry run records nothing. */
  async recordRun(result: RunResult): Promise<void> {
    if (result.dryRun) return;
    await this.record(new Date(result.at), result.sent, result.dropped);
  }

  /** Every entry of one month (`YYYY-MM`). */
  async month(month: string): Promise<PushEntry[]> {
    const raw = await this.redis.hgetall(this.keys.pushLog(month));
    return Object.entries(raw).map(([field, json]) => {
      const s = JSON.parse(json) as Stored;
      // The userid never holds '|'; a message key might, so it is what lies between.
      const rest = field.slice(field.startsWith('d|') ? field.indexOf('|', 2) + 1 : 2);
      const i = rest.lastIndexOf('|');
      const base = { key: rest.slice(0, i), userId: rest.slice(i + 1), at: s.t };
      return s.d ? { ...base, purpose: 'reminder', dropped: s.d } : { ...base, purpose: s.p ?? 'unknown' };
    });
  }
}

/**
 * An outbox port that logs what it queues, for the pushes that do not come from a job run: approvals,
 * announcements, forwarded difficulties. Wrap the core's outbox with it (`Deps.outbox`).
 */
export class LoggedOutbox implements OutboxPort {
  constructor(
    private readonly inner: OutboxPort,
    private readonly log: PushLogRepo,
    private readonly clock: Clock,
  ) {}

  async enqueue(messages: Outbound[]): Promise<void> {
    await this.inner.enqueue(messages);
    await this.log.record(this.clock.now(), messages);
  }
}
