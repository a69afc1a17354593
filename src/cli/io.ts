/**
 * What a CLI subcommand gets: its arguments, where to print, and a logger on stderr. With `--json` a
 * subcommand writes exactly one JSON document to `out`; human-readable text otherwise.
 */
import type { Logger } from '../log.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { RosterStore } from '../roster/store.js';

export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  log: Logger;
  env: NodeJS.ProcessEnv;
}

export type Subcommand = (argv: string[], io: CliIO) => Promise<number>;

/** The deployment's Redis as a subcommand uses it: connection, namespace, roster. */
export interface CliStore {
  redis: RedisClient;
  keys: Keys;
  roster: RosterStore;
  close(): Promise<void>;
}

/** Opens the store on demand (`openCliRedis` fits; tests give their own), so a usage error connects to nothing. */
export type OpenCliStore = () => Promise<CliStore>;

/** Print one JSON document (the whole stdout of a `--json` run). */
export function printJson(io: CliIO, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** A usage error: message on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
