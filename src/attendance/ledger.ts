/**
 * The presence ledger in Redis. Per cadre and year a bitmap (one bit a day: present), a second bitmap for
 * days that count only through a self-reported location and a third for days whose only check-in inside the
 * village waits for a confirmation (pending, not counted); per cadre and month a hash of the day's check-in
 * detail. Month and year figures for many cadres come from one batch of GETs of 46-byte strings, not a scan.
 *
 * Reads go straight to Redis; writes go into the caller's `Tx` and commit with the update.
 */
import { dayOfYear } from '../kit/dates.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Tx } from '../redis/tx.js';
import { isPendingReview, type CheckinRecord, type ReviewStatus } from './record.js';

export interface YearBits {
  present: Buffer;
  selfReported: Buffer;
  /** Days waiting for a confirmation (absent: none). */
  pending?: Buffer;
}

/** A day waits for a confirmation while a self-reported location is pending and nothing counts yet. */
export function dayPending(records: readonly CheckinRecord[]): boolean {
  return !records.some((r) => r.counts) && records.some(isPendingReview);
}

/** True when bit `index` is set (Redis bit order: the first bit is the most significant of byte 0). */
export function bitSet(buf: Buffer, index: number): boolean {
  const byte = index >> 3;
  return byte < buf.length && (buf[byte]! & (0x80 >> (index & 7))) !== 0;
}

export class CheckinRepo {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** Check-ins of one day, oldest first. */
  async day(userId: string, date: string): Promise<CheckinRecord[]> {
    const raw = await this.redis.hget(this.keys.checkins(userId, date.slice(0, 7)), date);
    return raw ? (JSON.parse(raw) as CheckinRecord[]) : [];
  }

  /** Every day of a month that has check-ins: date → records. */
  async month(userId: string, month: string): Promise<Map<string, CheckinRecord[]>> {
    const all = await this.redis.hgetall(this.keys.checkins(userId, month));
    return new Map(Object.entries(all).map(([d, raw]) => [d, JSON.parse(raw) as CheckinRecord[]]));
  }

  /** Presence bitmaps of one year for many cadres, batched (auto-pipelined per slot on a cluster). */
  async yearBits(userIds: string[], year: number): Promise<Map<string, YearBits>> {
    // One MGET a cadre: the three bitmaps share the person's hash slot, so this works on a cluster too.
    const rows = await Promise.all(
      userIds.map((u) =>
        this.redis.mgetBuffer(
          this.keys.presence(u, year),
          this.keys.selfReported(u, year),
          this.keys.selfReportPending(u, year),
        ),
      ),
    );
    const out = new Map<string, YearBits>();
    userIds.forEach((u, i) => {
      const [p, s, w] = rows[i]!;
      out.set(u, { present: p ?? Buffer.alloc(0), selfReported: s ?? Buffer.alloc(0), pending: w ?? Buffer.alloc(0) });
    });
    return out;
  }

  /**
   * Add a check-in to `existing` (the day's records, read by the caller) and stage the writes. Returns false,
   * staging nothing, when a record with the same id is already there (the same event seen twice).
   */
  add(tx: Tx, userId: string, date: string, existing: CheckinRecord[], record: CheckinRecord): boolean {
    if (existing.some((r) => r.id === record.id)) return false;
    const records = [...existing, record].sort((a, b) => a.at.localeCompare(b.at));
    this.write(tx, userId, date, existing, records);
    return true;
  }

  /**
   * Decide the pending review of the record `id` of a day (`existing`, read by the caller): confirmed, it counts
   * from now on; rejected, it never does. Returns false, staging nothing, when the record is not there or not
   * pending (decided before).
   */
  review(tx: Tx, userId: string, date: string, existing: CheckinRecord[], id: string, status: ReviewStatus): boolean {
    const old = existing.find((r) => r.id === id);
    if (!old || !isPendingReview(old)) return false;
    const decided: CheckinRecord = {
      ...old,
      review: { ...old.review!, status },
      counts: status === 'confirmed' && old.direction === 'in' && old.inside,
    };
    this.write(
      tx,
      userId,
      date,
      existing,
      existing.map((r) => (r.id === id ? decided : r)),
    );
    return true;
  }

  /** Stage a day's new records and the bits they set, expecting the day as it was read. */
  private write(tx: Tx, userId: string, date: string, existing: CheckinRecord[], records: CheckinRecord[]): void {
    const key = this.keys.checkins(userId, date.slice(0, 7));
    // Two check-ins of one person at the same moment (the page and an automatic report) must not lose one.
    tx.expect(key, date, existing.length ? JSON.stringify(existing) : null);
    tx.hset(key, date, JSON.stringify(records));
    const year = Number(date.slice(0, 4));
    const index = dayOfYear(date);
    const counting = records.filter((r) => r.counts);
    if (counting.length) {
      tx.setbit(this.keys.presence(userId, year), index, 1);
      // A day is "self-reported" only while no verified or confirmed check-in backs it.
      const onlySelf = counting.every((r) => r.trust === 'self-reported');
      tx.setbit(this.keys.selfReported(userId, year), index, onlySelf ? 1 : 0);
    }
    // The pending bit is written only when it changes, so a county that never waits has no such key.
    const pending = dayPending(records);
    if (pending !== dayPending(existing)) tx.setbit(this.keys.selfReportPending(userId, year), index, pending ? 1 : 0);
  }
}
