/**
 * Announcements in Redis: one hash per announcement (fields below, so the re-nudge job can set `renudgedAt`
 * alone), a hash of read receipts (userId → ISO time), and an index by sending time. Reads go to Redis
 * directly; writes go into the update's Tx.
 */
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { Sequence } from '../redis/sequence.js';
import type { Tx } from '../redis/tx.js';
import type { Announcement } from './announcement.js';
import type { AnnounceScope } from './scope.js';

/** An announcement written but not yet sent: it waits for the sender's 确认发送 (one per sender). */
export interface AnnounceDraft {
  /** Distinguishes this draft from a later one of the same sender (the preview card's buttons carry it). */
  id: string;
  text: string;
  scope: AnnounceScope;
  /** Whether the scope was not written and the sender's whole range was taken. */
  implicit: boolean;
  from?: string;
  recipients: string[];
  createdAt: string;
}

/** How many recent announcements `收到` looks through for the person's latest unread one. */
export const ACK_LOOKBACK = 50;

export interface ReadState {
  announcement: Announcement;
  /** userId → ISO time of reading (`收到` or the card's 已阅 button). */
  reads: Record<string, string>;
  /** Recipients who have not read it, in recipient order. */
  unread: string[];
}

export class AnnounceRepo {
  private readonly numbers: Sequence;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    this.numbers = new Sequence(redis, keys.sequence('announce'), 'N');
  }

  /** A new announcement number such as N1001, taken in the update's commit (never skipped, never reused). */
  async nextNo(tx: Tx): Promise<string> {
    return this.numbers.next(tx);
  }

  /**
   * Stage a new announcement and its place in the index. An announcement is never changed once sent (read
   * receipts and the re-nudge mark are written apart), so there is no `previous`: it must not exist yet.
   */
  save(tx: Tx, a: Announcement): void {
    const key = this.keys.announcement(a.no);
    tx.expect(key, 'no', null);
    tx.hset(key, 'no', a.no);
    tx.hset(key, 'text', a.text);
    tx.hset(key, 'scope', JSON.stringify(a.scope));
    tx.hset(key, 'sender', a.sender);
    tx.hset(key, 'senderName', a.senderName);
    tx.hset(key, 'createdAt', a.createdAt);
    if (a.from) tx.hset(key, 'from', a.from);
    tx.hset(key, 'recipients', JSON.stringify(a.recipients));
    tx.zadd(this.keys.announcements(), new Date(a.createdAt).getTime(), a.no);
  }

  /** Stage a read receipt. */
  markRead(tx: Tx, no: string, userId: string, at: Date): void {
    tx.hset(this.keys.announcementReads(no), userId, at.toISOString());
  }

  /**
   * Stage the withdrawal of an announcement (`撤回 N1001`). Applies only while it is not withdrawn yet, so two
   * recalls at once withdraw it once.
   */
  markWithdrawn(tx: Tx, no: string, at: Date, by: string): void {
    const key = this.keys.announcement(no);
    tx.expect(key, 'withdrawnAt', null);
    tx.hset(key, 'withdrawnAt', at.toISOString());
    tx.hset(key, 'withdrawnBy', by);
  }

  /** Stage the sender's draft, replacing any earlier one; it expires after `ttlS` seconds. */
  saveDraft(tx: Tx, sender: string, draft: AnnounceDraft, ttlS: number): void {
    const key = this.keys.announceDraft(sender);
    tx.del(key);
    tx.hset(key, 'id', draft.id);
    tx.hset(key, 'doc', JSON.stringify(draft));
    tx.expire(key, ttlS);
  }

  /** Stage the removal of the sender's draft, only while it is still the one read (`id`). */
  dropDraft(tx: Tx, sender: string, id: string): void {
    const key = this.keys.announceDraft(sender);
    tx.expect(key, 'id', id);
    tx.del(key);
  }

  /** The sender's draft, or undefined (none, or expired). */
  async draft(sender: string): Promise<AnnounceDraft | undefined> {
    const doc = await this.redis.hget(this.keys.announceDraft(sender), 'doc');
    return doc ? (JSON.parse(doc) as AnnounceDraft) : undefined;
  }

  /** Stage the time the unread were reminded again (for the re-nudge job, so it reminds once). */
  markRenudged(tx: Tx, no: string, at: Date): void {
    tx.hset(this.keys.announcement(no), 'renudgedAt', at.toISOString());
  }

  /** One announcement by number (any case), or undefined. */
  async get(no: string): Promise<Announcement | undefined> {
    const h = await this.redis.hgetall(this.keys.announcement(no.trim().toUpperCase()));
    if (!h.no) return undefined;
    return {
      no: h.no,
      text: h.text ?? '',
      scope: JSON.parse(h.scope ?? '{"kind":"all"}') as Announcement['scope'],
      sender: h.sender ?? '',
      senderName: h.senderName ?? '',
      ...(h.from ? { from: h.from } : {}),
      createdAt: h.createdAt ?? '',
      recipients: JSON.parse(h.recipients ?? '[]') as string[],
      ...(h.renudgedAt ? { renudgedAt: h.renudgedAt } : {}),
      ...(h.withdrawnAt ? { withdrawnAt: h.withdrawnAt, withdrawnBy: h.withdrawnBy ?? '' } : {}),
    };
  }

  /** Time a person read an announcement, or undefined. */
  async readAt(no: string, userId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.announcementReads(no), userId)) ?? undefined;
  }

  /** Numbers of the latest announcements, newest first. */
  async recentNumbers(limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.keys.announcements(), 0, limit - 1);
  }

  /**
   * Who has and has not read one announcement: what `通知状态` shows and what the re-nudge job needs (the
   * unread recipients, and `announcement.renudgedAt` to remind only once). Undefined for an unknown number.
   */
  async readState(no: string): Promise<ReadState | undefined> {
    const announcement = await this.get(no);
    if (!announcement) return undefined;
    const reads = await this.redis.hgetall(this.keys.announcementReads(announcement.no));
    const unread = announcement.recipients.filter((u) => !reads[u]);
    return { announcement, reads, unread };
  }

  /** The person's unread announcements among the latest `ACK_LOOKBACK`, newest first; withdrawn ones left out. */
  async unreadFor(userId: string): Promise<Announcement[]> {
    const nos = await this.recentNumbers(ACK_LOOKBACK);
    const all = await Promise.all(nos.map((no) => this.get(no)));
    const mine = all.filter((a): a is Announcement => Boolean(a?.recipients.includes(userId) && !a.withdrawnAt));
    const read = await Promise.all(mine.map((a) => this.readAt(a.no, userId)));
    return mine.filter((_, i) => !read[i]);
  }
}
