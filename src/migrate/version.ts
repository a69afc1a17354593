/**
 * The schema version of the stored data (`Keys.schemaVersion()`) and of this code. The stamp says which step
 * the data has reached and `minReader`, the oldest code that can still read it: during a rolling upgrade the
 * previous release runs beside the new one, and a release older than `minReader` must not start on the data.
 */
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { STEPS } from './steps.js';

/** The schema version this code writes and reads: the last migration step's. */
export const SCHEMA_VERSION = codeVersion(STEPS);

/** The version a list of steps brings the data to (0 for none). */
export function codeVersion(steps: readonly { version: number }[]): number {
  return steps.at(-1)?.version ?? 0;
}

/** The stored stamp; `stamped: false` (version 0) for data from before versioning, or an empty store. */
export interface SchemaStamp {
  version: number;
  minReader: number;
  /** ISO time of the last step (or of stamping a new store). */
  migratedAt?: string;
  /** Who migrated: `cli:<os user>@<host>`. */
  by?: string;
  stamped: boolean;
}

/** Thrown when the stored stamp cannot be trusted or the data is too new for this code. */
export class SchemaError extends Error {
  override name = 'SchemaError';
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/** Read a stamp as stored; a damaged one is refused (never guessed at), naming the key. */
export function parseStamp(raw: string | null, key: string): SchemaStamp {
  if (raw === null) return { version: 0, minReader: 0, stamped: false };
  let v: Record<string, unknown> | null = null;
  try {
    v = JSON.parse(raw) as Record<string, unknown> | null;
  } catch {
    // refused below
  }
  if (!v || !isCount(v.version) || !isCount(v.minReader) || v.minReader > v.version)
    throw new SchemaError(`${key} holds ${JSON.stringify(raw)}, not a schema version stamp: fix it by hand or restore`);
  return {
    version: v.version,
    minReader: v.minReader,
    ...(typeof v.migratedAt === 'string' ? { migratedAt: v.migratedAt } : {}),
    ...(typeof v.by === 'string' ? { by: v.by } : {}),
    stamped: true,
  };
}

/** The data's schema version (absent: 0, the release before versioning). */
export async function readSchemaVersion(redis: RedisClient, keys: Keys): Promise<SchemaStamp> {
  return parseStamp(await redis.get(keys.schemaVersion()), keys.schemaVersion());
}

/** The stamp as stored. */
export function formatStamp(s: Omit<SchemaStamp, 'stamped'>): string {
  return JSON.stringify({ version: s.version, minReader: s.minReader, migratedAt: s.migratedAt, by: s.by });
}

/**
 * Refuse data this code cannot read: written by a newer release whose migrations the previous releases down
 * to `minReader` still read. Fail closed, saying what to run instead.
 */
export function assertReadable(stamp: SchemaStamp, code: number, ns: string): void {
  if (stamp.minReader <= code) return;
  throw new SchemaError(
    `the data in namespace "${ns}" is at schema version ${stamp.version} and needs code of schema version ` +
      `${stamp.minReader} or newer to read it; this code is at version ${code}: run the newer release ` +
      `(it was migrated${stamp.by ? ` by ${stamp.by}` : ''}${stamp.migratedAt ? ` at ${stamp.migratedAt}` : ''})`,
  );
}
