/**
 * The simulated time of the sandbox: the bot's domain clock is an `OffsetClock`, and the clock panel moves its
 * offset. The offset is kept in Redis (`Keys.sandboxClock()`), so a restart keeps the simulated time and
 * another instance picks it up. Real time is untouched: signatures, queues and cron run on it.
 */
import { OffsetClock, type Clock } from '../core/clock.js';
import { addDays, dayjs, localDate, TZ } from '../kit/dates.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Roster } from '../roster/roster.js';

/** A month of talk (leave, reports, the announcement) has to fit between the term's start and "now". */
const HISTORY_DAYS = 31;

/**
 * Where the simulated time starts the first time: real time when today falls inside the sample cadres' terms
 * late enough for a month of history, otherwise 09:00 sixty days into the term (a sandbox started long after
 * the sample term still shows a term in progress). Undefined means "real time".
 */
export function defaultStart(roster: Roster, realNow: Date): Date | undefined {
  const cadres = roster.data.cadres;
  if (!cadres.length) return undefined;
  const start = cadres.map((c) => c.termStart).sort()[cadres.length - 1]!;
  const end = cadres.map((c) => c.termEnd).sort()[0]!;
  const today = localDate(realNow);
  if (today >= addDays(start, HISTORY_DAYS) && today <= end) return undefined;
  return dayjs.tz(`${addDays(start, 60)} 09:00`, TZ).toDate();
}

export class SimulatedClock {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    readonly clock: Clock,
  ) {}

  /** Only an `OffsetClock` can be moved; a fixed clock given by a test stays where it is. */
  get movable(): boolean {
    return this.clock instanceof OffsetClock;
  }

  now(): Date {
    return this.clock.now();
  }

  /** Take the offset kept in Redis; when there is none yet, start at `first` (or real time) and keep that. */
  async restore(first?: Date): Promise<void> {
    if (!(this.clock instanceof OffsetClock)) return;
    const raw = await this.redis.get(this.keys.sandboxClock());
    if (raw !== null) {
      this.clock.offsetMs = Number(raw) || 0;
      return;
    }
    await this.save(first ? first.getTime() - Date.now() : 0);
  }

  /** Follow a change another instance made (the page polls; this keeps instances on one simulated time). */
  async sync(): Promise<void> {
    if (!(this.clock instanceof OffsetClock)) return;
    const raw = await this.redis.get(this.keys.sandboxClock());
    if (raw !== null) this.clock.offsetMs = Number(raw) || 0;
  }

  async set(at: Date): Promise<void> {
    await this.save(at.getTime() - Date.now());
  }

  async shift(ms: number): Promise<void> {
    await this.set(new Date(this.now().getTime() + ms));
  }

  /** Back to real time. */
  async real(): Promise<void> {
    await this.save(0);
  }

  private async save(offsetMs: number): Promise<void> {
    if (!(this.clock instanceof OffsetClock)) return;
    this.clock.offsetMs = Math.round(offsetMs);
    await this.redis.set(this.keys.sandboxClock(), String(this.clock.offsetMs));
  }
}
