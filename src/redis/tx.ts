/**
 * A buffer of writes that commit together. Handlers read and write through the repositories (`ctx.repos`), which
 * read Redis directly but stage every write here; the core commits them with the update's de-duplication record,
 * so a crash before the commit leaves no trace and a retry is processed afresh (grammY's "session not written
 * back when a handler throws").
 *
 * Optimistic concurrency: a repository that read a record and writes its new version states what it read
 * (`expect`). The commit is one Lua script that checks every expectation and applies the writes only if all
 * hold; otherwise it throws `TxConflict` and the core runs the update again on fresh data (two approvers
 * clicking the same request at once: the second sees it already decided).
 *
 * Numbers (Q1001, N1001, …) are taken in the commit too (`next`): the update reads a counter, stages its value
 * one up and expects it unchanged, so a number is used only by an update that commits; one taken meanwhile by
 * another update is a conflict like any other, and the run again numbers afresh (no gap, no duplicate). The
 * price: two updates numbering in the same series at the same moment conflict, and one of them runs again.
 *
 * The core commits an update with its `Finale`: the de-duplication record, checked first and written last by the
 * same script, and the update's outbound messages, appended to a relay stream in that record's slot (a
 * transactional outbox, src/outbox/relay.ts). When the record already exists, another delivery of the update
 * committed first: nothing is applied and its stored outcome is returned. So on a single Redis an update costs
 * one write round trip, and a retry racing the first delivery needs no lock.
 *
 * On a cluster a script must stay within one hash slot, so writes are grouped by slot: the groups holding
 * counters first (a lost number race then applies nothing), then the other groups holding expectations, the
 * group holding the finale (the de-duplication record and the relay stream) last. Handlers write absolute
 * values (HSET, SETBIT, SADD, SET of a counter's next value), never increments, so a partly applied commit that
 * is retried converges.
 */
import calculateSlot from 'cluster-key-slot';
import { sha1Hex } from '../kit/sha1.js';
import { isCluster, type RedisClient } from './client.js';
import { runScript, script } from './script.js';

type Arg = string | number | Buffer;
export type Command = [name: string, key: string, ...args: Arg[]];

/**
 * A hash field (or, with `field` null, a string key such as a counter) must still hold `value` (null: must be
 * absent) when the writes are applied.
 */
interface Expectation {
  key: string;
  field: string | null;
  value: string | null;
  /** `value`'s SHA-1 when the caller has it already (a long record it keeps with its digest). */
  digest?: string;
}

/**
 * The save convention of every repository: `save(tx, record, { previous })`, where `previous` is the record as
 * this update read it (absent for a new record). The repository expects it (`Tx.expect`) to be still stored
 * when the commit applies, so of two updates that read the same version only one wins; the other runs again.
 */
export interface Saved<T> {
  previous?: T | undefined;
}

/** Another update changed a record this one read: run it again on fresh data. */
export class TxConflict extends Error {
  override name = 'TxConflict';
}

const ABSENT = '\u0000';
/** Expected hash fields longer than this (characters) are compared by their SHA-1 (hex, as `redis.sha1hex`). */
const HASHED_ABOVE = 64;

// ARGV: D, then E, then E × (key index, kind, field, expected), then C, then C × (name, key index, argc, args…),
// then (when D > 0) the outcome, its TTL, the relay stream's key index (0: none) and the messages' JSON.
// D: the de-duplication record's key index (0: none). kind: 'h' a hash field, 'k' the key's own value, 'H' a
// hash field whose expected value is given as its SHA-1 (a long record is not sent back whole).
// An 'xadd' carries the entry's time first: `<ms>-*`, or the stream's last time when that is older (Tx.xadd).
// Returns {1, relay entry id or ''} when applied, {0} on a conflict, {2, outcome} when the record existed.
const COMMIT = script(`
local d = tonumber(ARGV[1])
if d > 0 then
  local prior = redis.call('get', KEYS[d])
  if prior then return {2, prior} end
end
local i = 2
local e = tonumber(ARGV[i]); i = i + 1
for _ = 1, e do
  local key = KEYS[tonumber(ARGV[i])]
  local cur
  local kind = ARGV[i + 1]
  if kind == 'k' then cur = redis.call('get', key) else cur = redis.call('hget', key, ARGV[i + 2]) end
  if cur and kind == 'H' then cur = redis.sha1hex(cur) end
  local want = ARGV[i + 3]; i = i + 4
  if want == '${ABSENT}' then
    if cur then return {0} end
  elseif cur ~= want then
    return {0}
  end
end
local c = tonumber(ARGV[i]); i = i + 1
for _ = 1, c do
  local name = ARGV[i]; local key = KEYS[tonumber(ARGV[i + 1])]; local argc = tonumber(ARGV[i + 2]); i = i + 3
  local args = {}
  for j = 1, argc do args[j] = ARGV[i + j - 1] end
  i = i + argc
  if name == 'xadd' then
    local ms = table.remove(args, 1)
    local added = redis.pcall('xadd', key, ms .. '-*', unpack(args))
    if type(added) == 'table' and added.err then
      -- Older than the stream's last id; a stream trimmed empty keeps that id, so let Redis pick the next one.
      local top = redis.call('xrevrange', key, '+', '-', 'COUNT', 1)
      if top[1] then
        redis.call('xadd', key, string.match(top[1][1], '^%d+') .. '-*', unpack(args))
      else
        redis.call('xadd', key, '*', unpack(args))
      end
    end
  else
    redis.call(name, key, unpack(args))
  end
end
local relayed = ''
if d > 0 then
  redis.call('set', KEYS[d], ARGV[i], 'EX', ARGV[i + 1])
  local r = tonumber(ARGV[i + 2])
  if r > 0 then relayed = redis.call('xadd', KEYS[r], '*', 'm', ARGV[i + 3]) end
end
return {1, relayed}`);

export class Tx {
  readonly commands: Command[] = [];
  readonly expectations: Expectation[] = [];
  /** Applied after every other write (on a cluster: in a later script, before the finale's). */
  readonly tail: Command[] = [];
  /** Counters staged by `next`: key → the value this Tx sets. */
  private readonly counters = new Map<string, number>();
  /** Called once the writes are applied (`onApplied`), or when what was read goes unchecked (`onUnchecked`). */
  private readonly hooks: { applied: (() => void)[]; unchecked: (() => void)[] } = { applied: [], unchecked: [] };

  hset(key: string, field: string, value: string): this {
    return this.push(['hset', key, field, value]);
  }
  hdel(key: string, field: string): this {
    return this.push(['hdel', key, field]);
  }
  set(key: string, value: string, ttlSeconds?: number): this {
    return this.push(ttlSeconds ? ['set', key, value, 'EX', ttlSeconds] : ['set', key, value]);
  }
  del(key: string): this {
    return this.push(['del', key]);
  }
  setbit(key: string, offset: number, bit: 0 | 1): this {
    return this.push(['setbit', key, offset, bit]);
  }
  sadd(key: string, member: string): this {
    return this.push(['sadd', key, member]);
  }
  srem(key: string, member: string): this {
    return this.push(['srem', key, member]);
  }
  zadd(key: string, score: number, member: string): this {
    return this.push(['zadd', key, score, member]);
  }
  /**
   * Append to a stream, with an id whose time part is `ms` (the entry's own time, so a reader can range over ids
   * by time). Stream ids only grow: when `ms` is older than the stream's last entry (a clock set back) the entry
   * takes the last entry's time with the next sequence number instead of failing the commit. Not idempotent, so
   * an entry carries its own id (audit trail).
   */
  xadd(key: string, ms: number, ...fieldValues: string[]): this {
    return this.push(['xadd', key, Math.max(0, Math.floor(ms)), ...fieldValues]);
  }
  expire(key: string, seconds: number): this {
    return this.push(['expire', key, seconds]);
  }

  /**
   * Apply the writes only if hash `key` field `field` still holds `value` (null: is still absent). The first
   * expectation of a field wins: later ones describe this Tx's own staged versions, not what was read.
   */
  expect(key: string, field: string, value: string | null, digest?: string): this {
    if (!this.expectations.some((e) => e.key === key && e.field === field))
      this.expectations.push(digest === undefined ? { key, field, value } : { key, field, value, digest });
    return this;
  }

  /**
   * Stage counter `key` one up and return the new value. `read` is the counter as read from Redis (null: never
   * counted): the commit applies only while it still holds that, so two updates numbering at once cannot both
   * take a number, and a number is used only when the update commits. A second call in one Tx counts on.
   */
  next(key: string, read: string | null): number {
    const staged = this.counters.get(key);
    if (staged === undefined) this.expectations.push({ key, field: null, value: read });
    const n = (staged ?? Number(read ?? 0)) + 1;
    this.counters.set(key, n);
    this.push(['set', key, String(n)]);
    return n;
  }

  /**
   * Apply the writes only if string `key` still holds `value` (a version this update was computed from). The
   * first expectation of a key wins.
   */
  expectValue(key: string, value: string): this {
    if (!this.expectations.some((e) => e.key === key && e.field === null))
      this.expectations.push({ key, field: null, value });
    return this;
  }

  /** Stage a write that is applied after all the others (a job's cursor: a crash before it repeats the work). */
  last(cmd: Command): this {
    this.tail.push(cmd);
    return this;
  }

  get size(): number {
    return this.commands.length + this.tail.length;
  }

  /**
   * Run `fn` once the commit has applied this Tx's writes (a repository keeping what it wrote, to read it back
   * without asking Redis). Not run when nothing was applied: a conflict, another delivery committed first.
   */
  onApplied(fn: () => void): this {
    this.hooks.applied.push(fn);
    return this;
  }

  /**
   * Run `fn` when what this Tx read is not confirmed by its commit after all: the commit met a conflict, or the Tx
   * was cleared (its expectations dropped). A repository that served a record from its own copy forgets it then.
   */
  onUnchecked(fn: () => void): this {
    this.hooks.unchecked.push(fn);
    return this;
  }

  /** Forget everything staged (a refused request changes nothing); what was read goes unchecked. */
  clear(): void {
    const unchecked = this.hooks.unchecked.splice(0);
    this.dropWrites();
    this.expectations.length = 0;
    for (const fn of unchecked) fn();
  }

  /**
   * Forget the writes staged, keeping the expectations: the update changes nothing, but only if what it read is
   * still so when it commits (a decision to record nothing, made on a copy, is checked like any other).
   */
  dropWrites(): void {
    this.commands.length = 0;
    this.tail.length = 0;
    this.counters.clear();
    this.hooks.applied.length = 0;
  }

  private push(cmd: Command): this {
    this.commands.push(cmd);
    return this;
  }

  /**
   * Commit all writes in one atomic script where the server allows it, with the update's `finale` (if given)
   * checked first and written last. Throws `TxConflict` when an expectation no longer holds (nothing of that
   * group is applied). Answers `{ prior }` when the finale's record already existed (nothing applied).
   */
  async commit(redis: RedisClient, finale?: Finale): Promise<CommitResult> {
    let result: CommitResult;
    try {
      result = await this.apply(redis, finale);
    } catch (err) {
      if (err instanceof TxConflict) for (const fn of this.hooks.unchecked) fn();
      throw err;
    }
    if (!('prior' in result)) for (const fn of this.hooks.applied) fn();
    return result;
  }

  private async apply(redis: RedisClient, finale?: Finale): Promise<CommitResult> {
    const all = this.tail.length ? [...this.commands, ...this.tail] : this.commands;
    if (all.length === 0 && this.expectations.length === 0 && !finale) return { relayId: null };
    if (!isCluster(redis)) return run(redis, this.expectations, all, finale);
    const groups = new Map<number, { expectations: Expectation[]; commands: Command[] }>();
    const group = (key: string) => {
      const slot = calculateSlot(key);
      let g = groups.get(slot);
      if (!g) groups.set(slot, (g = { expectations: [], commands: [] }));
      return g;
    };
    for (const e of this.expectations) group(e.key).expectations.push(e);
    for (const cmd of all) group(cmd[1]).commands.push(cmd);
    const tailSlots = new Set(this.tail.map((cmd) => calculateSlot(cmd[1])));
    const finaleSlot = finale ? calculateSlot(finale.seenKey) : -1;
    if (finale) group(finale.seenKey);
    const rank = ([slot, g]: [number, { expectations: Expectation[] }]) =>
      slot === finaleSlot
        ? 3
        : g.expectations.some((e) => e.field === null)
          ? -1
          : tailSlots.has(slot)
            ? 2
            : g.expectations.length
              ? 0
              : 1;
    const ordered = [...groups.entries()].sort((a, b) => rank(a) - rank(b));
    // Writes in other slots apply before the finale's script can say the update was committed already: look
    // first, so a retry of a committed update applies nothing (one racing the first delivery is held off by the
    // expectations of the records both read).
    if (finale && ordered.length > 1) {
      const prior = await redis.get(finale.seenKey);
      if (prior !== null) return { prior };
    }
    let result: CommitResult = { relayId: null };
    for (const [slot, g] of ordered) {
      result = await run(redis, g.expectations, g.commands, slot === finaleSlot ? finale : undefined);
      if ('prior' in result) return result;
    }
    return result;
  }
}

/**
 * The end of an update's commit: its de-duplication record and the messages it sends. The relay stream must
 * share the record's hash slot (`Keys.relay`).
 */
export interface Finale {
  seenKey: string;
  outcome: string;
  ttlSeconds: number;
  /** The messages' JSON, appended to `relayKey` in the same script; absent when the update sends nothing. */
  relay?: { key: string; messages: string };
}

/** Applied (with the relay entry's id when messages were appended), or the outcome another delivery stored. */
export type CommitResult = { relayId: string | null } | { prior: string };

async function run(
  redis: RedisClient,
  expectations: Expectation[],
  commands: Command[],
  finale: Finale | undefined,
): Promise<CommitResult> {
  const keys: string[] = [];
  const index = (key: string) => {
    let i = keys.indexOf(key);
    if (i < 0) i = keys.push(key) - 1;
    return i + 1;
  };
  const argv: Arg[] = [finale ? index(finale.seenKey) : 0, expectations.length];
  for (const e of expectations) {
    const hashed = e.field !== null && e.value !== null && e.value.length > HASHED_ABOVE;
    const kind = e.field === null ? 'k' : hashed ? 'H' : 'h';
    argv.push(index(e.key), kind, e.field ?? '', hashed ? (e.digest ?? sha1Hex(e.value!)) : (e.value ?? ABSENT));
  }
  argv.push(commands.length);
  for (const [name, key, ...args] of commands) argv.push(name, index(key), args.length, ...args);
  if (finale) {
    const relay = finale.relay;
    argv.push(finale.outcome, finale.ttlSeconds, relay ? index(relay.key) : 0, relay?.messages ?? '');
  }
  const [status, value] = (await runScript(redis, COMMIT, keys, argv)) as [number, string?];
  if (status === 2) return { prior: value! };
  if (status !== 1) throw new TxConflict('a record read by this update was changed by another one');
  return { relayId: value || null };
}
