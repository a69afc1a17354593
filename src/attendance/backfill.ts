/**
 * Back-fills (补登): a cadre whose check-in failed (no signal in the mountains) asks for a day to count, with a
 * reason; a team leader or township supervisor confirms. Rules are pure functions; storage is a hash per cadre.
 */
import { startOfLocalDay } from '../kit/dates.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { Sequence } from '../redis/sequence.js';
import type { Saved, Tx } from '../redis/tx.js';
import type { Cadre } from '../roster/schema.js';
import type { Roster } from '../roster/roster.js';

export interface Backfill {
  no: string;
  userId: string;
  date: string;
  reason: string;
  confirmers: string[];
  createdAt: string;
  status: 'pending' | 'confirmed' | 'rejected';
  by?: string;
  at?: string;
  comment?: string;
  /**
   * `location`: not a missed day but a self-reported location inside the village waiting for confirmation under
   * the policy's `confirm` (the check-in record `checkin.id` of `date`); absent: a 补登 of a missed day.
   */
  kind?: 'location';
  checkin?: { id: string; at: string; distanceM?: number; label?: string };
}

/**
 * Whether a back-fill of `date` may still be asked at `now`: not in the future, and no later than `hours`
 * after the end of that day.
 */
export function backfillWindow(date: string, today: string, now: Date, hours: number): 'ok' | 'future' | 'expired' {
  if (date > today) return 'future';
  const endOfDay = startOfLocalDay(date).getTime() + 24 * 3600_000;
  return now.getTime() - endOfDay > hours * 3600_000 ? 'expired' : 'ok';
}

/** Who may confirm: the cadre's team leaders and township supervisors (never the cadre). */
export function confirmersOf(roster: Roster, cadre: Cadre): string[] {
  const township = roster.townshipOf(cadre).id;
  const ids = [...roster.teamLeadersOf(cadre), ...roster.townshipSupervisors(township)].map((p) => p.userid);
  return [...new Set(ids)].filter((id) => id !== cadre.userid);
}

/**
 * Who confirms a self-reported location: the team leaders of the cadre's work group, or else, where the group has
 * none (or the cadre is its only leader), the township supervisors. One confirmer per group keeps the daily card
 * with one person who knows the cadres.
 */
export function locationConfirmersOf(roster: Roster, cadre: Cadre): string[] {
  const leaders = roster.teamLeadersOf(cadre).map((p) => p.userid);
  const ids = leaders.length ? leaders : roster.townshipSupervisors(roster.townshipOf(cadre).id).map((p) => p.userid);
  return [...new Set(ids)].filter((id) => id !== cadre.userid);
}

export class BackfillRepo {
  private readonly numbers: Sequence;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    this.numbers = new Sequence(redis, keys.sequence('backfill'), 'B');
  }

  /** A new back-fill number such as B1001, taken in the update's commit (never skipped, never reused). */
  async nextNo(tx: Tx): Promise<string> {
    return this.numbers.next(tx);
  }

  async get(no: string): Promise<Backfill | undefined> {
    // B1001 may be typed b1001; a location's request id (`S-…`) is kept as it is.
    const id = /^b\d+$/i.test(no) ? no.toUpperCase() : no;
    const owner = await this.redis.hget(this.keys.owner('backfill'), id);
    const raw = owner ? await this.redis.hget(this.keys.backfills(owner), id) : null;
    return raw ? (JSON.parse(raw) as Backfill) : undefined;
  }

  /** The self-reported locations waiting on `confirmer`, oldest first. */
  async waitingOn(confirmer: string): Promise<Backfill[]> {
    const ids = await this.redis.smembers(this.keys.reviewInbox(confirmer));
    const all = (await Promise.all(ids.map((id) => this.get(id)))).sort((a, b) =>
      (a?.createdAt ?? '').localeCompare(b?.createdAt ?? ''),
    );
    return all.filter((b): b is Backfill => b?.status === 'pending' && b.confirmers.includes(confirmer));
  }

  async ofUser(userId: string): Promise<Backfill[]> {
    return (await this.redis.hvals(this.keys.backfills(userId))).map((r) => JSON.parse(r) as Backfill);
  }

  /**
   * Stage the back-fill. `previous` is the version that was read (undefined for a new one): the commit applies
   * only while it is still the stored one, so two confirmers deciding at once cannot both win.
   */
  save(tx: Tx, b: Backfill, { previous }: Saved<Backfill> = {}): void {
    const key = this.keys.backfills(b.userId);
    tx.expect(key, b.no, previous ? JSON.stringify(previous) : null);
    tx.hset(key, b.no, JSON.stringify(b));
    if (!previous) tx.hset(this.keys.owner('backfill'), b.no, b.userId);
    for (const c of b.confirmers) {
      // Locations wait in a set of their own: the leave commands read the inbox for numbers to name.
      const box = b.kind === 'location' ? this.keys.reviewInbox(c) : this.keys.inbox(c);
      if (b.status === 'pending') tx.sadd(box, b.no);
      else tx.srem(box, b.no);
    }
  }
}
