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
 * On a cluster a script must stay within one hash slot, so writes are grouped by slot: the groups holding
 * counters first (a lost number race then applies nothing), then the other groups holding expectations, the
 * group holding `last` (the de-duplication record) last. Handlers write absolute values (HSET, SETBIT, SADD,
 * SET of a counter's next value), never increments, so a partly applied commit that is retried converges.
 */
import calculateSlot from 'cluster-key-slot';
import { isCluster, type RedisClient } from './client.js';

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

// ARGV: E, then E × (key index, kind, field, expected), then C, then C × (name, key index, argc, args…).
// kind: 'h' a hash field, 'k' the key's own value (field unused).
// An 'xadd' carries the entry's time first: `<ms>-*`, or the stream's last time when that is older (Tx.xadd).
const COMMIT = `
local i = 1
local e = tonumber(ARGV[i]); i = i + 1
for _ = 1, e do
  local key = KEYS[tonumber(ARGV[i])]
  local cur
  if ARGV[i + 1] == 'k' then cur = redis.call('get', key) else cur = redis.call('hget', key, ARGV[i + 2]) end
  local want = ARGV[i + 3]; i = i + 4
  if want == '${ABSENT}' then
    if cur then return 0 end
  elseif cur ~= want then
    return 0
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
return 1`;

export class Tx {
  readonly commands: Command[] = [];
  readonly expectations: Expectation[] = [];
  /** Counters staged by `next`: key → the value this Tx sets. */
  private readonly counters = new Map<string, number>();

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
  expect(key: string, field: string, value: string | null): this {
    if (!this.expectations.some((e) => e.key === key && e.field === field))
      this.expectations.push({ key, field, value });
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

  get size(): number {
    return this.commands.length;
  }

  /** Forget everything staged (a refused request changes nothing). */
  clear(): void {
    this.commands.length = 0;
    this.expectations.length = 0;
    this.counters.clear();
  }

  private push(cmd: Command): this {
    this.commands.push(cmd);
    return this;
  }

  /**
   * Commit all writes, then `last` (if given), in one atomic script where the server allows it. Throws
   * `TxConflict` when an expectation no longer holds (nothing of that group is applied).
   */
  async commit(redis: RedisClient, last: Command[] = []): Promise<void> {
    const all = [...this.commands, ...last];
    if (all.length === 0 && this.expectations.length === 0) return;
    if (!isCluster(redis)) {
      await run(redis, this.expectations, all);
      return;
    }
    const groups = new Map<number, { expectations: Expectation[]; commands: Command[] }>();
    const group = (key: string) => {
      const slot = calculateSlot(key);
      let g = groups.get(slot);
      if (!g) groups.set(slot, (g = { expectations: [], commands: [] }));
      return g;
    };
    for (const e of this.expectations) group(e.key).expectations.push(e);
    for (const cmd of all) group(cmd[1]).commands.push(cmd);
    const lastSlot = last.length ? calculateSlot(last[0]![1]) : -1;
    const rank = ([slot, g]: [number, { expectations: Expectation[] }]) =>
      g.expectations.some((e) => e.field === null) ? -1 : g.expectations.length ? 0 : slot === lastSlot ? 2 : 1;
    const ordered = [...groups.entries()].sort((a, b) => rank(a) - rank(b));
    for (const [, g] of ordered) await run(redis, g.expectations, g.commands);
  }
}

async function run(redis: RedisClient, expectations: Expectation[], commands: Command[]): Promise<void> {
  const keys: string[] = [];
  const index = (key: string) => {
    let i = keys.indexOf(key);
    if (i < 0) i = keys.push(key) - 1;
    return i + 1;
  };
  const argv: Arg[] = [expectations.length];
  for (const e of expectations) argv.push(index(e.key), e.field === null ? 'k' : 'h', e.field ?? '', e.value ?? ABSENT);
  argv.push(commands.length);
  for (const [name, key, ...args] of commands) argv.push(name, index(key), args.length, ...args);
  const applied = await redis.eval(COMMIT, keys.length, ...keys, ...argv);
  if (applied !== 1) throw new TxConflict('a record read by this update was changed by another one');
}
