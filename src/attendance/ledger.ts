/**
 * The presence ledger in Redis. Per cadre and year a bitmap (one bit a day: present), a second bitmap for
 * days that count only through a self-reported location and a third for days whose only check-in inside the
 * village waits for a confirmation (pending, not counted); per cadre and month a hash of the day's check-in
 * detail. Month and year figures for many cadres come from one batch of GETs of 46-byte strings, not a scan.
 *
 * Days older than the retention period are packed per cadre and year into an archive (ledger-archive.ts) by the
 * retention job; `day` and `month` read them as before, and a write to such a day (a late back-fill, a WeCom sync
 * of an old day, a review) takes the day out of the archive into its month hash in the same commit.
 *
 * Reads go to Redis, except `dayToUpdate`, which serves a day from the process's copy and has the update's commit
 * check it; writes go into the caller's `Tx` and commit with the update.
 */
import { dayOfYear } from '../kit/dates.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { runScript, script } from '../redis/script.js';
import type { Tx } from '../redis/tx.js';
import { sha1Hex } from '../kit/sha1.js';
import { archiveField, packYear, throughOf, unpackYear, type ArchivedDays } from './ledger-archive.js';
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

/** An archive as read: its hash, its field (see `archiveField`), the stored value and its days. */
interface Archive {
  key: string;
  field: string;
  raw: string;
  days: ArchivedDays;
}

// The archive's field starts with the last date it covers (`archiveField`).
// KEYS: the month hash, the year's archive hash; ARGV[1]: the date, ARGV[2] (optional): the SHA-1 of the day as
// the client last read it. {1, json} when the month hash holds the day, {3} when it holds it unchanged (its
// SHA-1 is ARGV[2]: not sent again), {2, field, archive} when the archive covers it, {0} otherwise.
const DAY = script(`
local v = redis.call('hget', KEYS[1], ARGV[1])
if v then
  if ARGV[2] and redis.sha1hex(v) == ARGV[2] then return {3} end
  return {1, v}
end
for _, f in ipairs(redis.call('hkeys', KEYS[2])) do
  if ARGV[1] <= string.sub(f, 1, 10) then return {2, f, redis.call('hget', KEYS[2], f)} end
end
return {0}`);

// KEYS: the month hash, the year's archive hash; ARGV[1]: the month's first date. {days} or, when the archive
// covers part of the month, {days, field, archive}.
const MONTH = script(`
local all = redis.call('hgetall', KEYS[1])
for _, f in ipairs(redis.call('hkeys', KEYS[2])) do
  if ARGV[1] <= string.sub(f, 1, 10) then return {all, f, redis.call('hget', KEYS[2], f)} end
end
return {all}`);

/** How many archives a repo remembers by person and date for writes (see `archiveOf`). */
const RECENT = 32;
/** How many days' records a repo keeps parsed, by person and date, with the text they were parsed from. */
const PARSED = 2_048;

/** JSON.parse with every object and array frozen: parsed records are shared between reads of the same text. */
function parseFrozen(raw: string): readonly CheckinRecord[] {
  return JSON.parse(raw, (_key, value: unknown) =>
    typeof value === 'object' && value !== null ? Object.freeze(value) : value,
  ) as readonly CheckinRecord[];
}

/** A day's stored text as this process last read or wrote it, with its SHA-1 and records once needed. */
interface KeptDay {
  raw: string;
  sha?: string;
  records?: readonly CheckinRecord[];
}

export class CheckinRepo {
  /** The archive each list of records returned by `day`/`month` came from, for a write of that day. */
  private readonly from = new WeakMap<readonly CheckinRecord[], Archive>();
  /** The same by `userId|date`, the last few read, for a caller that passes a copy of what it read. */
  private readonly recent = new Map<string, Archive>();
  /** The archives a Tx takes days out of, as that Tx leaves them. */
  private readonly staged = new WeakMap<Tx, Map<string, Archive>>();
  /**
   * The records of days read or written lately, by `userId|date`, with the stored text: a day read again
   * unchanged (a person checking in several times a day, a full day of 20 check-ins) is not parsed again. A
   * read compares the text whole, so its result is never stale; `dayToUpdate` serves it without asking and has
   * the commit check it. The records are frozen, as they are shared; a day kept from a write is parsed (and its
   * SHA-1 taken) when first needed.
   */
  private readonly parsed = new Map<string, KeptDay>();
  /** The stored text each list of records returned by `day` was parsed from: what a write of that day expects. */
  private readonly rawOf = new WeakMap<readonly CheckinRecord[], string>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** The hash holding the archive of a cadre's `year` (next to the month hashes). */
  archiveKey(userId: string, year: string): string {
    return this.keys.checkins(userId, year);
  }

  /** Check-ins of one day, oldest first. */
  async day(userId: string, date: string): Promise<CheckinRecord[]> {
    const year = date.slice(0, 4);
    // A day read lately is sent back only when it changed: Redis compares it with the SHA-1 of the text read.
    const known = this.parsed.get(`${userId}|${date}`);
    const reply = (await runScript(
      this.redis,
      DAY,
      [this.keys.checkins(userId, date.slice(0, 7)), this.archiveKey(userId, year)],
      known ? [date, (known.sha ??= sha1Hex(known.raw))] : [date],
    )) as [number, string?, string?];
    if (reply[0] === 3 && known) return this.listOf((known.records ??= parseFrozen(known.raw)), known.raw);
    if (reply[0] === 1) return this.parse(userId, date, reply[1]!);
    if (reply[0] !== 2) return [];
    const archive = this.remember(userId, year, reply[1]!, reply[2]!);
    const records = archive.days.get(date);
    if (!records) return [];
    const copy = [...records];
    this.from.set(copy, archive);
    this.recent.delete(`${userId}|${date}`);
    this.recent.set(`${userId}|${date}`, archive);
    if (this.recent.size > RECENT) this.recent.delete(this.recent.keys().next().value!);
    return copy;
  }

  /**
   * Check-ins of one day for an update that commits in `tx`: a day this process read or wrote lately is served
   * from its copy without asking Redis, and the commit expects the day still stored as that copy (a check-in
   * elsewhere meanwhile is a conflict: the copy is dropped and the update runs again on the day read afresh).
   * Otherwise as `day`.
   */
  async dayToUpdate(tx: Tx, userId: string, date: string): Promise<CheckinRecord[]> {
    const key = `${userId}|${date}`;
    const known = this.parsed.get(key);
    if (!known) return this.day(userId, date);
    // The day's digest is taken once per text kept, not by every commit that expects it.
    tx.expect(this.keys.checkins(userId, date.slice(0, 7)), date, known.raw, (known.sha ??= sha1Hex(known.raw)));
    tx.onUnchecked(() => {
      if (this.parsed.get(key) === known) this.parsed.delete(key);
    });
    return this.listOf((known.records ??= parseFrozen(known.raw)), known.raw);
  }

  /** The records of a day stored as `raw`, parsed once while the text stays the same (a copy of the list). */
  private parse(userId: string, date: string, raw: string): CheckinRecord[] {
    const key = `${userId}|${date}`;
    const seen = this.parsed.get(key);
    if (seen?.raw === raw) return this.listOf((seen.records ??= parseFrozen(raw)), raw);
    const records = parseFrozen(raw);
    this.keep(key, { raw, records });
    return this.listOf(records, raw);
  }

  /** Keep a day's text (and records) as the latest of `userId|date`, forgetting the oldest beyond `PARSED`. */
  private keep(key: string, day: KeptDay): void {
    this.parsed.delete(key);
    this.parsed.set(key, day);
    if (this.parsed.size > PARSED) this.parsed.delete(this.parsed.keys().next().value!);
  }

  /** The caller's own list of shared (frozen) records, remembered with the text they were parsed from. */
  private listOf(records: readonly CheckinRecord[], raw: string): CheckinRecord[] {
    const copy = [...records];
    this.rawOf.set(copy, raw);
    return copy;
  }

  /** Every day of a month that has check-ins: date → records. */
  async month(userId: string, month: string): Promise<Map<string, CheckinRecord[]>> {
    const year = month.slice(0, 4);
    const [all, field, raw] = (await runScript(
      this.redis,
      MONTH,
      [this.keys.checkins(userId, month), this.archiveKey(userId, year)],
      [`${month}-01`],
    )) as [string[], string?, string?];
    const out = new Map<string, CheckinRecord[]>();
    if (field !== undefined && raw !== undefined) {
      const archive = this.remember(userId, year, field, raw);
      for (const [date, records] of archive.days)
        if (date.startsWith(month)) {
          const copy = [...records];
          this.from.set(copy, archive);
          out.set(date, copy);
        }
    }
    // A day also in its month hash was written after packing: that version is the day's.
    for (let i = 0; i < all.length; i += 2) out.set(all[i]!, JSON.parse(all[i + 1]!) as CheckinRecord[]);
    return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
  }

  private remember(userId: string, year: string, field: string, raw: string): Archive {
    return { key: this.archiveKey(userId, year), field, raw, days: unpackYear(year, raw) };
  }

  /**
   * Stage packing days of one year into the cadre's archive: each day as read from its month hash (`raw`, expected
   * unchanged, then removed from it), with what the archive already holds. The records of days before `cutoff`
   * go through `reduce` (the retention step: positions removed; idempotent), later ones are kept as they are. The
   * archive then covers every date up to `through` (or further, if it did). Returns the days packed.
   */
  async pack(
    tx: Tx,
    userId: string,
    year: string,
    days: readonly { date: string; raw: string }[],
    opts: { through: string; cutoff: string; reduce: (r: CheckinRecord) => CheckinRecord },
  ): Promise<number> {
    const key = this.archiveKey(userId, year);
    const stored = await this.redis.hgetall(key);
    const merged: ArchivedDays = new Map();
    let through = opts.through;
    for (const [f, raw] of Object.entries(stored)) {
      tx.expect(key, f, raw).hdel(key, f);
      for (const [date, records] of unpackYear(year, raw)) merged.set(date, records);
      if (throughOf(f) > through) through = throughOf(f);
    }
    for (const d of days) {
      if (d.date > through || !d.date.startsWith(year)) throw new Error(`cannot pack ${d.date} into ${year}`);
      const monthKey = this.keys.checkins(userId, d.date.slice(0, 7));
      tx.expect(monthKey, d.date, d.raw).hdel(monthKey, d.date);
      merged.set(d.date, JSON.parse(d.raw) as CheckinRecord[]);
    }
    for (const [date, records] of merged) if (date < opts.cutoff) merged.set(date, records.map(opts.reduce));
    const exact = [...merged.keys()].some((date) => date >= opts.cutoff);
    const field = archiveField(through, exact ? opts.cutoff : undefined);
    if (!(field in stored)) tx.expect(key, field, null);
    if (merged.size) tx.hset(key, field, packYear(merged));
    return days.length;
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

  /**
   * The archive holding `existing` as the records of `date`, when the caller read them from one and this Tx has
   * not taken that day out yet.
   */
  private archiveOf(tx: Tx, userId: string, date: string, existing: CheckinRecord[]): Archive | undefined {
    const read = this.from.get(existing) ?? this.recent.get(`${userId}|${date}`);
    if (!read) return undefined;
    const archive = this.staged.get(tx)?.get(read.key) ?? read;
    const records = archive.days.get(date);
    return records && JSON.stringify(records) === JSON.stringify(existing) ? archive : undefined;
  }

  /** Stage a day's new records and the bits they set, expecting the day as it was read. */
  private write(tx: Tx, userId: string, date: string, existing: CheckinRecord[], records: CheckinRecord[]): void {
    const key = this.keys.checkins(userId, date.slice(0, 7));
    const archive = existing.length ? this.archiveOf(tx, userId, date, existing) : undefined;
    if (archive) {
      // A packed day: it leaves the archive (expected as read) for its month hash, where no version of it may be.
      tx.expect(key, date, null).expect(archive.key, archive.field, archive.raw);
      const days = new Map(archive.days);
      days.delete(date);
      if (days.size) tx.hset(archive.key, archive.field, packYear(days));
      else tx.hdel(archive.key, archive.field);
      const staged = this.staged.get(tx) ?? new Map<string, Archive>();
      staged.set(archive.key, { ...archive, days });
      this.staged.set(tx, staged);
    } else {
      // Two check-ins of one person at the same moment (the page and an automatic report) must not lose one.
      // The day as stored when read (the text it was parsed from), else as it would have been written.
      tx.expect(key, date, existing.length ? (this.rawOf.get(existing) ?? JSON.stringify(existing)) : null);
    }
    const text = JSON.stringify(records);
    tx.hset(key, date, text);
    // Once applied, the month hash holds the day as written (a packed day too, taken out of its archive): the
    // next update of it needs no read (the commit checks it).
    tx.onApplied(() => this.keep(`${userId}|${date}`, { raw: text }));
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
