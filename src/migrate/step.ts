/**
 * What one migration step is. Steps are ADDITIVE: they add keys and never rename or remove what the previous
 * release reads, so the previous release keeps running beside the new one during a rolling upgrade. Each step
 * is idempotent: a step interrupted half-way (a crash, a lost lock) is simply run again.
 */
import type { Logger } from '../log.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';

export interface MigrationStep {
  /** The schema version the data is at once this step has run: 1, 2, 3 … with no gaps. */
  version: number;
  /** A short name, for the log, the audit trail and the error that stops start-up. */
  name: string;
  /**
   * The oldest code (its `SCHEMA_VERSION`) that can still read the data once this step has run. An additive
   * step keeps it where it was (0: even the release before versioning still reads the data).
   */
  minReader: number;
  /** Bring the data up to `version`; may be run again after a partial run. `now` is the injected clock's time. */
  run(redis: RedisClient, keys: Keys, log: Logger, now: Date): Promise<void>;
}
