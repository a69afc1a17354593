/**
 * Reading the assignment histories (`Keys.assignments()`), and building them for a store written before they
 * were kept (`seedAssignments`, a migration step). Readers tolerate a missing history: a cadre without one has
 * the single period of their term (`defaultHistory`).
 */
import { localDate } from '../kit/dates.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { defaultHistory, heldOn, type Assignment } from './assignments.js';
import type { Roster } from './roster.js';
import { newVersionToken } from '../redis/version-token.js';
import type { Cadre, RosterData, Village } from './schema.js';

function parse(raw: string): Assignment[] {
  return JSON.parse(raw) as Assignment[];
}

/** The stored histories of `userids` (one HMGET), or of everyone when none are given (one HGETALL). */
export async function readHistories(
  redis: RedisClient,
  keys: Keys,
  userids?: readonly string[],
): Promise<Map<string, Assignment[]>> {
  const out = new Map<string, Assignment[]>();
  if (userids) {
    if (!userids.length) return out;
    const raws = await redis.hmget(keys.assignments(), ...userids);
    userids.forEach((u, i) => {
      const raw = raws[i];
      if (raw) out.set(u, parse(raw));
    });
    return out;
  }
  for (const [u, raw] of Object.entries(await redis.hgetall(keys.assignments()))) out.set(u, parse(raw));
  return out;
}

/**
 * Build the history of every cadre of the stored roster that has none: one period over their term, ended at
 * its end when that is past (as of `today`, a Date or `YYYY-MM-DD`). Idempotent (HSETNX: a history already
 * there is kept). Returns how many histories it wrote.
 */
export async function seedAssignments(redis: RedisClient, keys: Keys, today: Date | string): Promise<number> {
  const raw = await redis.get(keys.roster());
  if (raw === null) return 0;
  const data = JSON.parse(raw) as RosterData;
  const day = typeof today === 'string' ? today : localDate(today);
  let written = 0;
  for (const c of data.cadres) {
    const h = defaultHistory(c, data, day);
    written += await redis.hsetnx(keys.assignments(), c.userid, JSON.stringify(h));
  }
  if (written) await redis.set(keys.assignmentsVersion(), newVersionToken());
  return written;
}

/**
 * The village whose geofence judges `cadre`'s presence on `date`: the one of the assignment held that day
 * (a move announced with a later `since` leaves the cadre in the old village until then), when the roster
 * still has it; the roster's village otherwise.
 */
export function villageOn(
  roster: Roster,
  cadre: Cadre,
  history: readonly Assignment[] | undefined,
  date: string,
): Village {
  const held = history && heldOn(history, date);
  return (held && roster.villages.get(held.village)) || roster.villageOf(cadre);
}
