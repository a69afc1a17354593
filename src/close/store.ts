/**
 * Closed months in Redis: which months are closed and how (`closedMonths`, one hash beside the policy versions,
 * so registering a version checks it atomically), and the figures each was closed with (`closedFigures(month)`,
 * userid → JSON). The figures are written before the month is marked closed, so whoever sees it closed reads
 * them whole; a close that stopped half-way leaves the month open and is done again.
 */
import type { MonthFigures } from '../attendance/accounting.js';
import type { YearFigures } from '../attendance/annual.js';
import type { DayLeave } from '../attendance/month-figures.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';

/** How a month was closed. */
export interface ClosedMonth {
  month: string;
  /** When (ms since the epoch, the domain clock's time). */
  closedAt: number;
  /** Who: `job:month-close` or `cli:<user>@<host>`. */
  actor: string;
  /** The policy version the figures were computed with (absent when no version was registered). */
  version?: { id: string; effectiveFrom: string };
  cadres: number;
}

/** One cadre's stored month: the figures and the approved leave of each day of the month. */
export interface StoredMonth {
  month: MonthFigures;
  leave: [string, DayLeave][];
  /**
   * The annual period's figures through the month's end as they were at the closing (the sheet's 年度累计).
   * Months closed before this was kept have none: their year-to-date columns are counted from the data.
   */
  year?: YearFigures;
}

/** Reads and writes closed months. */
export class ClosedMonthStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** How `month` was closed, or undefined while it is open. */
  async get(month: string): Promise<ClosedMonth | undefined> {
    const raw = await this.redis.hget(this.keys.closedMonths(), month);
    return raw ? (JSON.parse(raw) as ClosedMonth) : undefined;
  }

  /** The closed months among `months` (month → how it was closed). */
  async of(months: readonly string[]): Promise<Map<string, ClosedMonth>> {
    if (!months.length) return new Map();
    const raw = await this.redis.hmget(this.keys.closedMonths(), ...months);
    const out = new Map<string, ClosedMonth>();
    raw.forEach((r, i) => r && out.set(months[i]!, JSON.parse(r) as ClosedMonth));
    return out;
  }

  /** Every closed month, oldest first. */
  async all(): Promise<ClosedMonth[]> {
    const raw = await this.redis.hvals(this.keys.closedMonths());
    return raw.map((r) => JSON.parse(r) as ClosedMonth).sort((a, b) => (a.month < b.month ? -1 : 1));
  }

  /** The stored figures of `userids` in a closed `month` (those stored; a cadre not closed with it is absent). */
  async figures(month: string, userids: readonly string[]): Promise<Map<string, StoredMonth>> {
    const out = new Map<string, StoredMonth>();
    if (!userids.length) return out;
    const raw = await this.redis.hmget(this.keys.closedFigures(month), ...userids);
    raw.forEach((r, i) => r && out.set(userids[i]!, JSON.parse(r) as StoredMonth));
    return out;
  }

  /** The userids stored for a closed `month`. */
  async cadres(month: string): Promise<string[]> {
    return this.redis.hkeys(this.keys.closedFigures(month));
  }

  /**
   * Store the figures, then mark the month closed unless someone did meanwhile; false when it was closed
   * already (the stored figures are then the other closer's, which computed the same month under a lock).
   */
  async write(meta: ClosedMonth, entries: ReadonlyMap<string, StoredMonth>): Promise<boolean> {
    const key = this.keys.closedFigures(meta.month);
    if (await this.get(meta.month)) return false;
    await this.redis.del(key);
    const fields = [...entries].flatMap(([id, e]) => [id, JSON.stringify(e)]);
    // A few hundred kilobytes at most for a county; written in slices so no single command is huge.
    for (let i = 0; i < fields.length; i += 1000) await this.redis.hset(key, ...fields.slice(i, i + 1000));
    return (await this.redis.hsetnx(this.keys.closedMonths(), meta.month, JSON.stringify(meta))) === 1;
  }

  /** Take the close lock of `month` for `ms`; false when another closer holds it. */
  async lock(month: string, token: string, ms: number): Promise<boolean> {
    return (await this.redis.set(this.keys.closeLock(month), token, 'PX', ms, 'NX')) === 'OK';
  }

  /** Give the lock back (only if still ours). */
  async unlock(month: string, token: string): Promise<void> {
    const key = this.keys.closeLock(month);
    if ((await this.redis.get(key)) === token) await this.redis.del(key);
  }
}
