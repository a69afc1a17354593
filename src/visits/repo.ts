/**
 * Visits (到村调研) in Redis: one hash per visitor (number → JSON), and two indexes by time, per village and per
 * sending unit (`<userid>|<number>` members), so `走访记录` and the `visit-due` job read a village's or a unit's
 * visits without a scan. What `到村 村名 内容` asked for waits in a key of its own until the end of the day, and
 * a pointer to the latest visit lets a photo sent next attach to it. Reads go to Redis directly; writes are
 * staged in the update's Tx.
 */
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { Sequence } from '../redis/sequence.js';
import type { Saved, Tx } from '../redis/tx.js';
import type { Visit, VisitPhoto } from './visit.js';

/** What `到村 村名 内容` asked for. */
export interface VisitIntent {
  village: string;
  note?: string;
  /** The local date it was asked on: it applies to a visit recorded that day only. */
  date: string;
}

export interface LastVisit {
  no: string;
  /** ISO time the visit was recorded, checked against the domain clock and the photo window. */
  at: string;
}

/** How long the pointer for photos and an intent are kept at most (the handlers check the real windows). */
const SHORT_TTL_S = 24 * 3600;

export class VisitRepo {
  private readonly numbers: Sequence;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    this.numbers = new Sequence(redis, keys.sequence('visit'), 'V');
  }

  /** A new visit number such as V1001, taken in the update's commit. */
  async nextNo(tx: Tx): Promise<string> {
    return this.numbers.next(tx);
  }

  /** One visitor's visits, newest first. */
  async ofUser(userId: string): Promise<Visit[]> {
    const rows = await this.redis.hvals(this.keys.visits(userId));
    return rows.map((r) => JSON.parse(r) as Visit).sort(newestFirst);
  }

  /** One visit by its visitor and number. */
  async get(userId: string, no: string): Promise<Visit | undefined> {
    const raw = await this.redis.hget(this.keys.visits(userId), no);
    return raw ? (JSON.parse(raw) as Visit) : undefined;
  }

  /** The visits of a village, newest first. */
  async ofVillage(villageId: string): Promise<Visit[]> {
    return this.fromIndex(await this.redis.zrange(this.keys.visitsOfVillage(villageId), 0, -1));
  }

  /** The visits counted for a sending unit, newest first. */
  async ofUnit(unit: string): Promise<Visit[]> {
    return this.fromIndex(await this.redis.zrange(this.keys.visitsOfUnit(unit), 0, -1));
  }

  /** The visits counted for each of these units. */
  async ofUnits(units: readonly string[]): Promise<Map<string, Visit[]>> {
    const lists = await Promise.all(units.map((u) => this.ofUnit(u)));
    return new Map(units.map((u, i) => [u, lists[i]!]));
  }

  private async fromIndex(members: string[]): Promise<Visit[]> {
    const byUser = new Map<string, string[]>();
    for (const m of members) {
      const bar = m.lastIndexOf('|');
      const user = m.slice(0, bar);
      byUser.set(user, [...(byUser.get(user) ?? []), m.slice(bar + 1)]);
    }
    const rows = await Promise.all([...byUser].map(([user, nos]) => this.redis.hmget(this.keys.visits(user), ...nos)));
    return rows
      .flat()
      .filter((r): r is string => r !== null)
      .map((r) => JSON.parse(r) as Visit)
      .sort(newestFirst);
  }

  /**
   * Stage a new or changed visit (a note added, a photo attached); a new one also enters the indexes and becomes
   * the one a photo attaches to. `previous` is the visit as read (absent for a new one).
   */
  save(tx: Tx, visit: Visit, { previous }: Saved<Visit> = {}): void {
    const key = this.keys.visits(visit.userId);
    tx.expect(key, visit.no, previous ? JSON.stringify(previous) : null);
    tx.hset(key, visit.no, JSON.stringify(visit));
    if (previous) return;
    const member = `${visit.userId}|${visit.no}`;
    const ms = new Date(visit.at).getTime();
    tx.zadd(this.keys.visitsOfVillage(visit.village), ms, member);
    for (const unit of new Set(visit.units.map((u) => u.unit))) tx.zadd(this.keys.visitsOfUnit(unit), ms, member);
    const last: LastVisit = { no: visit.no, at: visit.at };
    tx.set(this.keys.lastVisit(visit.userId), JSON.stringify(last), SHORT_TTL_S);
  }

  /** Stage a photo attached to a visit (read as `visit`). */
  addPhoto(tx: Tx, visit: Visit, photo: VisitPhoto): void {
    this.save(tx, { ...visit, photos: [...visit.photos, photo] }, { previous: visit });
  }

  async last(userId: string): Promise<LastVisit | undefined> {
    const raw = await this.redis.get(this.keys.lastVisit(userId));
    return raw ? (JSON.parse(raw) as LastVisit) : undefined;
  }

  async intent(userId: string): Promise<VisitIntent | undefined> {
    const raw = await this.redis.get(this.keys.visitIntent(userId));
    return raw ? (JSON.parse(raw) as VisitIntent) : undefined;
  }

  /** Stage what `到村 村名 内容` asked for, replacing an earlier one. */
  setIntent(tx: Tx, userId: string, intent: VisitIntent): void {
    tx.set(this.keys.visitIntent(userId), JSON.stringify(intent), SHORT_TTL_S);
  }

  /** Stage dropping the intent once a visit used it. */
  clearIntent(tx: Tx, userId: string): void {
    tx.del(this.keys.visitIntent(userId));
  }
}

function newestFirst(a: Visit, b: Visit): number {
  return b.at.localeCompare(a.at) || b.no.localeCompare(a.no);
}
