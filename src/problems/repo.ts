/**
 * Problems (民情台账) in Redis: one hash per problem (field `doc` → JSON), the numbers of each village's
 * problems, and the set of open ones. All under one hash tag, so the record and both indexes change in one
 * script even on a cluster. Writes go into the update's Tx; a save states the version it read, so two people
 * closing the same problem at once cannot both win.
 *
 * Problems are kept for the term and beyond, closed ones included: they are the village's ledger, not personal
 * detail about the cadre (see README, 民情台账).
 */
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { Sequence } from '../redis/sequence.js';
import type { Saved, Tx } from '../redis/tx.js';
import type { Problem } from './problem.js';

const DOC = 'doc';

export class ProblemRepo {
  private readonly numbers: Sequence;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    this.numbers = new Sequence(redis, keys.sequence('problem'), 'P');
  }

  /** A new problem number such as P1001, taken in the update's commit (never skipped, never reused). */
  async nextNo(tx: Tx): Promise<string> {
    return this.numbers.next(tx);
  }

  async get(no: string): Promise<Problem | undefined> {
    const raw = await this.redis.hget(this.keys.problem(no.toUpperCase()), DOC);
    return raw ? (JSON.parse(raw) as Problem) : undefined;
  }

  /** Problems by number (unknown numbers left out), in the order given. */
  async many(nos: readonly string[]): Promise<Problem[]> {
    if (!nos.length) return [];
    const rows = await Promise.all(nos.map((no) => this.redis.hget(this.keys.problem(no), DOC)));
    return rows.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as Problem);
  }

  /** Every problem of one village, oldest first. */
  async ofVillage(villageId: string): Promise<Problem[]> {
    const nos = await this.redis.smembers(this.keys.problemsOfVillage(villageId));
    return sortByNo(await this.many(nos));
  }

  /** The village's problems not closed yet, oldest first (closed ones are never read). */
  async openOfVillage(villageId: string): Promise<Problem[]> {
    const nos = await this.redis.sinter(this.keys.problemsOfVillage(villageId), this.keys.problemsOpen());
    return sortByNo(await this.many(nos));
  }

  /** Every problem not closed yet, oldest first. */
  async open(): Promise<Problem[]> {
    return sortByNo(await this.many(await this.redis.smembers(this.keys.problemsOpen())));
  }

  /**
   * Stage the problem and keep the indexes in step. `previous` is the problem as read (undefined for a new one):
   * the commit applies only while it is still the stored version.
   */
  save(tx: Tx, p: Problem, { previous }: Saved<Problem> = {}): void {
    const key = this.keys.problem(p.no);
    tx.expect(key, DOC, previous ? JSON.stringify(previous) : null);
    tx.hset(key, DOC, JSON.stringify(p));
    if (!previous) tx.sadd(this.keys.problemsOfVillage(p.village), p.no);
    if (p.status === 'open') tx.sadd(this.keys.problemsOpen(), p.no);
    else tx.srem(this.keys.problemsOpen(), p.no);
  }
}

/** P1001 before P1010 before P10001. */
function sortByNo(list: Problem[]): Problem[] {
  return list.sort((a, b) => Number(a.no.slice(1)) - Number(b.no.slice(1)));
}
