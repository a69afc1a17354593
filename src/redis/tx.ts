/**
 * A buffer of writes that commit together. Handlers read Redis directly but never write to it: they add writes
 * here, and the core commits them with the update's de-duplication record, so a crash before the commit leaves
 * no trace and a retry is processed afresh (grammY's "session not written back when a handler throws").
 *
 * On a single server everything commits in one MULTI. On a cluster a MULTI must stay within one hash slot, so
 * writes are grouped by slot and the group holding `last` (the de-duplication record) commits last; handlers
 * therefore write absolute values (HSET, SETBIT, SADD), never increments, so a partly applied commit that is
 * retried converges to the same state.
 */
import calculateSlot from 'cluster-key-slot';
import { isCluster, type RedisClient } from './client.js';

type Arg = string | number | Buffer;
export type Command = [name: string, key: string, ...args: Arg[]];

export class Tx {
  readonly commands: Command[] = [];

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
  expire(key: string, seconds: number): this {
    return this.push(['expire', key, seconds]);
  }

  get size(): number {
    return this.commands.length;
  }

  private push(cmd: Command): this {
    this.commands.push(cmd);
    return this;
  }

  /**
   * Commit all writes, then `last` (if given) in the same atomic step where the server allows it.
   * Returns when every group has committed; throws if any MULTI fails.
   */
  async commit(redis: RedisClient, last: Command[] = []): Promise<void> {
    const all = [...this.commands, ...last];
    if (all.length === 0) return;
    if (!isCluster(redis)) {
      await execMulti(redis, all);
      return;
    }
    const lastSlot = last.length ? calculateSlot(last[0]![1]) : -1;
    const groups = new Map<number, Command[]>();
    for (const cmd of all) {
      const slot = calculateSlot(cmd[1]);
      const list = groups.get(slot) ?? [];
      list.push(cmd);
      groups.set(slot, list);
    }
    const ordered = [...groups.entries()].sort(([a], [b]) => (a === lastSlot ? 1 : b === lastSlot ? -1 : 0));
    for (const [, cmds] of ordered) await execMulti(redis, cmds);
  }
}

async function execMulti(redis: RedisClient, cmds: Command[]): Promise<void> {
  const multi = redis.multi();
  for (const [name, ...args] of cmds) multi.call(name, ...args);
  const results = await multi.exec();
  if (!results) throw new Error('redis transaction aborted');
  for (const [err] of results) if (err) throw err;
}
