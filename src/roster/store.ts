/**
 * The roster lives in Redis as one JSON document plus a version (the document's SHA-1, written with it), so
 * every instance sees the same roster and an import replaces it atomically. Instances cache the parsed roster
 * and per-person lookups are map lookups: an update reads only the short version, and the document only when
 * the version changed, so a callback costs the same whatever the county's size. A store without a version
 * (written by the release before versions) is read whole each time, as that release did; and every
 * FULL_CHECK_MS the document is compared whole anyway, so a writer that does not know the version (that release,
 * during a rolling upgrade) is noticed.
 *
 * Every replacement — the command line, the start-up import, the sandbox, the tests — goes through `replace`,
 * which records the assignment histories (src/roster/plan.ts) in the same transaction as the document.
 */
import { appendAudit, type AuditEntry } from '../audit/trail.js';
import { systemClock, type Clock } from '../core/clock.js';
import { localDate } from '../kit/dates.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { Tx, TxConflict } from '../redis/tx.js';
import { FULL_CHECK_MS, newVersionToken } from '../redis/version-token.js';
import { rosterVersion } from './version.js';
import type { Assignment } from './assignments.js';
import { readHistories } from './history.js';
import { planImport, type ImportPlan } from './plan.js';
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

/** An import the stored histories refuse (`replaces` or `departures` naming someone never on the roster). */
export class RosterImportError extends Error {
  override name = 'RosterImportError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** How many times `replace` reads again when another import wrote meanwhile. */
const ATTEMPTS = 5;

interface Cached {
  version: string | null;
  raw: string;
  roster: Roster;
  /** Assignment histories read so far under this version (undefined: none stored). */
  histories: Map<string, Assignment[] | undefined>;
  checkedAt: number;
}

export class RosterStore {
  private cached?: Cached;
  /** A version check in flight: concurrent callers share it. */
  private checking?: Promise<Roster>;

  /** `clock` dates an import when the caller gives no `now` (the deployment's clock: the sandbox's is shifted). */
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Now, by the store's clock (the date an import takes effect when the caller gives none). */
  now(): Date {
    return this.clock.now();
  }

  /** The current roster; an empty one when nothing was imported yet. */
  get(): Promise<Roster> {
    this.checking ??= this.check().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /**
   * The cached roster and its version without a round trip, when it was checked within `FULL_CHECK_MS` and has a
   * version: the caller expects that version in its commit (`Tx.expectValue`), so an update run on a roster that
   * an import replaced meanwhile conflicts and runs again on the new one. Undefined: call `get`.
   */
  current(): { roster: Roster; version: string } | undefined {
    const c = this.cached;
    if (!c || c.version === null || performance.now() - c.checkedAt >= FULL_CHECK_MS) return undefined;
    return { roster: c.roster, version: c.version };
  }

  private async check(): Promise<Roster> {
    const c = this.cached;
    const fresh = c !== undefined && performance.now() - c.checkedAt < FULL_CHECK_MS;
    if (fresh && c.version !== null && (await this.redis.get(this.keys.rosterVersion())) === c.version) return c.roster;
    const [version, raw] = await this.redis.mget(this.keys.rosterVersion(), this.keys.roster());
    if (raw === null || raw === undefined) {
      this.cached = undefined;
      return new Roster(EMPTY);
    }
    if (c?.raw === raw) {
      c.checkedAt = performance.now();
      c.version = version ?? null;
      return c.roster;
    }
    const roster = new Roster(JSON.parse(raw) as RosterData);
    this.cached = { version: version ?? null, raw, roster, histories: new Map(), checkedAt: performance.now() };
    return roster;
  }

  /**
   * The assignment history of `userid`, read once per roster version: an import writes the document and the
   * histories together, so a history read while the document is unchanged stays right (later check-ins pay no
   * read).
   */
  async history(userid: string): Promise<Assignment[] | undefined> {
    const c = this.cached;
    if (c?.histories.has(userid)) return c.histories.get(userid);
    const h = (await readHistories(this.redis, this.keys, [userid])).get(userid);
    if (c && this.cached === c) c.histories.set(userid, h);
    return h;
  }

  /** What importing `data` at `now` would change; writes nothing. */
  async plan(data: RosterData, now: Date = this.clock.now()): Promise<ImportPlan> {
    return (await this.read(data, now)).plan;
  }

  /**
   * Replace the whole roster (already validated by the caller) as of `now`, recording the assignment
   * histories with it in one transaction. Throws `RosterImportError` (nothing written) when the file names
   * someone who was never on the roster. Returns what changed.
   */
  async replace(data: RosterData, now: Date = this.clock.now()): Promise<ImportPlan> {
    for (let attempt = 1; ; attempt++) {
      const { raw, stored, plan } = await this.read(data, now);
      if (plan.problems.length) throw new RosterImportError(plan.problems);
      const tx = new Tx();
      // Applied only if no other import wrote the document or one of these histories meanwhile.
      tx.expectations.push({ key: this.keys.roster(), field: null, value: raw });
      const json = JSON.stringify(data);
      tx.set(this.keys.roster(), json);
      tx.set(this.keys.rosterVersion(), rosterVersion(json));
      for (const [u, h] of plan.histories) {
        tx.expect(this.keys.assignments(), u, stored.get(u) ?? null);
        tx.hset(this.keys.assignments(), u, JSON.stringify(h));
      }
      if (plan.histories.size) tx.set(this.keys.assignmentsVersion(), newVersionToken());
      try {
        await tx.commit(this.redis);
        return plan;
      } catch (err) {
        if (!(err instanceof TxConflict) || attempt >= ATTEMPTS) throw err;
      }
    }
  }

  /** Record an import (or another roster action) in the audit trail. */
  async audit(entry: AuditEntry): Promise<void> {
    await appendAudit(this.redis, this.keys, entry);
  }

  private async read(data: RosterData, now: Date) {
    const [raw, all] = await Promise.all([
      this.redis.get(this.keys.roster()),
      this.redis.hgetall(this.keys.assignments()),
    ]);
    const stored = new Map(Object.entries(all));
    const histories = new Map([...stored].map(([u, h]) => [u, JSON.parse(h) as Assignment[]]));
    const previous = raw === null ? EMPTY : (JSON.parse(raw) as RosterData);
    return { raw, stored, plan: planImport(previous, histories, data, localDate(now)) };
  }
}
