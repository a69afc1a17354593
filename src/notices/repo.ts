/**
 * Numbered notices in Redis: one hash per notice (field `doc` → JSON), a sorted set of every number by issue
 * time, each person's numbers, the open ones (waiting for an answer or a decision), and the trigger index
 * (trigger id → number) that makes each trigger issue once. All under one hash tag, so a notice and its indexes
 * change in one script even on a cluster. Numbers count per kind and year (`T2026-001`, `Z2026-014`), taken in
 * the commit (`Tx.next`): a number is used only by an update that commits.
 */
import type { NoticeRecord, NoticeSource, Period } from '../points/notices.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Saved, Tx } from '../redis/tx.js';
import { formatNo, NOTICE_KINDS, PREFIX, isPending, type Notice, type NoticeKind, type NoticeState } from './notice.js';

const DOC = 'doc';

/** A notice as another module reads it (the points scheme counts notices as negative events). */
export interface NoticeEvent {
  number: string;
  kind: NoticeKind;
  userId: string;
  /** `YYYY-MM-DD`, Asia/Shanghai. */
  issuedOn: string;
  state: NoticeState;
  trigger: Notice['trigger'];
}

function event(n: Notice): NoticeEvent {
  return { number: n.no, kind: n.kind, userId: n.userId, issuedOn: n.issuedOn, state: n.state, trigger: n.trigger };
}

/** Order of documents: by issue time, then number. */
function byIssue(a: Notice, b: Notice): number {
  return a.issuedAt.localeCompare(b.issuedAt) || a.no.localeCompare(b.no);
}

export class NoticeRepo implements NoticeSource {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** The counters of the three kinds in `year` as stored now (0: none issued yet). */
  async counters(year: number): Promise<Record<NoticeKind, number>> {
    const values = await Promise.all(
      NOTICE_KINDS.map((k) => this.redis.get(this.keys.noticeSequence(PREFIX[k], year))),
    );
    return Object.fromEntries(NOTICE_KINDS.map((k, i) => [k, Number(values[i] ?? 0)])) as Record<NoticeKind, number>;
  }

  /** The next number of `kind` in `year`, taken in the update's commit. */
  async nextNo(tx: Tx, kind: NoticeKind, year: number): Promise<string> {
    const key = this.keys.noticeSequence(PREFIX[kind], year);
    return formatNo(kind, year, tx.next(key, await this.redis.get(key)));
  }

  /**
   * Take the number `expected` predicted from `counters` read earlier (a job plans its messages before it writes):
   * the commit applies only while the counter still holds `read`, so a number taken meanwhile fails the commit
   * rather than being given twice.
   */
  takePredicted(tx: Tx, kind: NoticeKind, year: number, read: number): string {
    const n = tx.next(this.keys.noticeSequence(PREFIX[kind], year), read ? String(read) : null);
    return formatNo(kind, year, n);
  }

  async get(no: string): Promise<Notice | undefined> {
    const raw = await this.redis.hget(this.keys.notice(no), DOC);
    return raw ? (JSON.parse(raw) as Notice) : undefined;
  }

  /** Notices by number (unknown ones left out), in the order given. */
  async many(nos: readonly string[]): Promise<Notice[]> {
    if (!nos.length) return [];
    const rows = await Promise.all(nos.map((no) => this.redis.hget(this.keys.notice(no), DOC)));
    return rows.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as Notice);
  }

  /** One person's notices, oldest first. */
  async ofUser(userId: string): Promise<Notice[]> {
    return (await this.many(await this.redis.smembers(this.keys.noticesOfUser(userId)))).sort(byIssue);
  }

  /** Notices waiting for an answer or a decision, oldest first. */
  async open(): Promise<Notice[]> {
    return (await this.many(await this.redis.smembers(this.keys.noticesOpen()))).sort(byIssue);
  }

  /** Notices issued from `from` to `to` (`YYYY-MM-DD`, both included), oldest first. */
  async issuedBetween(from: string, to: string): Promise<Notice[]> {
    const lo = new Date(`${from}T00:00:00+08:00`).getTime();
    const hi = new Date(`${to}T00:00:00+08:00`).getTime() + 86_400_000 - 1;
    const nos = await this.redis.zrangebyscore(this.keys.noticesAll(), lo, hi);
    return (await this.many(nos)).sort(byIssue);
  }

  /** Which of these trigger ids already issued a notice. */
  async issuedTriggers(ids: readonly string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const found = await this.redis.hmget(this.keys.noticeTriggers(), ...ids);
    return new Set(ids.filter((_, i) => found[i] !== null));
  }

  /**
   * Stage the notice and keep the indexes in step. `previous` is the notice as read (undefined for a new one):
   * the commit applies only while it is still the stored version.
   */
  save(tx: Tx, n: Notice, { previous }: Saved<Notice> = {}): void {
    const key = this.keys.notice(n.no);
    tx.expect(key, DOC, previous ? JSON.stringify(previous) : null);
    tx.hset(key, DOC, JSON.stringify(n));
    if (!previous) {
      tx.zadd(this.keys.noticesAll(), new Date(n.issuedAt).getTime(), n.no);
      tx.sadd(this.keys.noticesOfUser(n.userId), n.no);
      tx.expect(this.keys.noticeTriggers(), n.triggerId, null);
      tx.hset(this.keys.noticeTriggers(), n.triggerId, n.no);
    }
    if (isPending(n)) tx.sadd(this.keys.noticesOpen(), n.no);
    else tx.srem(this.keys.noticesOpen(), n.no);
  }

  /**
   * One person's notices issued from `fromDate` to `toDate` (`YYYY-MM-DD`, both included), oldest first: number,
   * kind, date and state (for the points scheme).
   */
  async noticesOfPerson(userId: string, fromDate: string, toDate: string): Promise<NoticeEvent[]> {
    return (await this.ofUser(userId)).filter((n) => n.issuedOn >= fromDate && n.issuedOn <= toDate).map(event);
  }

  /** The notices of each of `userids` issued in `period`, as 积分 reads them (`NoticeSource`). */
  async ofUsers(userids: readonly string[], period: Period): Promise<ReadonlyMap<string, readonly NoticeRecord[]>> {
    const wanted = new Set(userids);
    const found =
      userids.length === 1
        ? await this.noticesOfPerson(userids[0]!, period.start, period.end)
        : (await this.noticesInPeriod(period.start, period.end)).filter((n) => wanted.has(n.userId));
    const out = new Map<string, NoticeRecord[]>();
    for (const n of found) {
      const list = out.get(n.userId) ?? [];
      list.push({ number: n.number, kind: n.kind, issuedOn: n.issuedOn, state: n.state });
      out.set(n.userId, list);
    }
    return out;
  }

  /** Every person's notices issued from `fromDate` to `toDate` (both included), oldest first. */
  async noticesInPeriod(fromDate: string, toDate: string): Promise<NoticeEvent[]> {
    return (await this.issuedBetween(fromDate, toDate)).map(event);
  }
}
