/**
 * The warning ladder's store: one hash (`keys.warnings()`), field `<userId>:<month>:<stage>` → ISO time the
 * notice went out. It makes each stage once-only per cadre and month, and it is the list of warnings the digests
 * show. Reads go to Redis directly; writes go into the job's `Tx`, applied only by a real (not dry) run.
 */
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Tx } from '../redis/tx.js';
import { parseWarningField, warningField, type Stage } from './ladder.js';

export interface WarningRecord {
  userId: string;
  month: string;
  stage: Stage;
  /** ISO time the notice was sent. */
  at: string;
}

export class WarningRepo {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** The fields already recorded (`<userId>:<month>:<stage>`), for the rules' once-only check. */
  async fields(): Promise<string[]> {
    return this.redis.hkeys(this.keys.warnings());
  }

  /** Every recorded notice. */
  async all(): Promise<WarningRecord[]> {
    const raw = await this.redis.hgetall(this.keys.warnings());
    const out: WarningRecord[] = [];
    for (const [field, at] of Object.entries(raw)) {
      const f = parseWarningField(field);
      if (f) out.push({ ...f, at });
    }
    return out;
  }

  /** Stage the record of one notice sent at `at`. */
  record(tx: Tx, userId: string, month: string, stage: Stage, at: Date): void {
    tx.hset(this.keys.warnings(), warningField(userId, month, stage), at.toISOString());
  }
}
