/**
 * What a CLI subcommand gets: its arguments, where to print, and a logger on stderr. With `--json` a
 * subcommand writes exactly one JSON document to `out`; human-readable text otherwise.
 */
import type { Logger } from '../log.js';

export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  log: Logger;
  env: NodeJS.ProcessEnv;
}

export type Subcommand = (argv: string[], io: CliIO) => Promise<number>;

/** Print one JSON document (the whole stdout of a `--json` run). */
export function printJson(io: CliIO, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** A usage error: message on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
