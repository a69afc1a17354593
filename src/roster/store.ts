/**
 * The roster lives in Redis as one JSON document plus a version, so every instance sees the same roster and an
 * import replaces it atomically. Instances cache the parsed roster and re-read it when the version changes.
 */
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { Roster } from './roster.js';
import type { RosterData } from './schema.js';

const EMPTY: RosterData = {
  townships: [],
  workGroups: [],
  villages: [],
  cadres: [],
  supervisors: [],
  groups: [],
};

export class RosterStore {
  private cached?: { raw: string; roster: Roster };

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** The current roster; an empty one when nothing was imported yet. */
  async get(): Promise<Roster> {
    const raw = await this.redis.get(this.keys.roster());
    if (raw === null) return new Roster(EMPTY);
    if (this.cached?.raw !== raw) this.cached = { raw, roster: new Roster(JSON.parse(raw) as RosterData) };
    return this.cached.roster;
  }

  /** Replace the whole roster in one write (already validated by the caller). */
  async replace(data: RosterData): Promise<void> {
    await this.redis.set(this.keys.roster(), JSON.stringify(data));
  }
}
