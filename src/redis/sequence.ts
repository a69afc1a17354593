/**
 * One series of short numbers (Q1001, N1001, B1001, H1001): a counter in Redis, taken in the update's commit
 * (`Tx.next`), so a number is used only by an update that commits and a run again after a conflict takes the
 * same one, not the next.
 */
import type { RedisClient } from './client.js';
import type { Tx } from './tx.js';

export class Sequence {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly prefix: string,
  ) {}

  /** The next number of the series, staged in `tx` (the first is `<prefix>1001`). */
  async next(tx: Tx): Promise<string> {
    return `${this.prefix}${1000 + tx.next(this.key, await this.redis.get(this.key))}`;
  }
}
