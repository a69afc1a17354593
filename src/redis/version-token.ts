import { randomBytes } from 'node:crypto';

/**
 * How long a process trusts what it keeps of stored data on a version token alone (ms): past that it reads or
 * compares the data itself, so that a writer that did not replace the token cannot leave it on old data for longer.
 */
export const FULL_CHECK_MS = 30_000;

/**
 * A new version token (the roster's histories, the approved leave): random, so that no two writes share one (a
 * token restored from a backup names the data of that backup, restored with it).
 */
export function newVersionToken(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * Whether what a process kept, read under token `kept.version` at `kept.at` (`performance.now()`), may be handed out
 * again while the stored token is `version`: the same token (none stored: never), read within `FULL_CHECK_MS`.
 */
export function keptUnder<K extends { version?: string | null; at?: number }>(
  version: string | null,
  kept: K | undefined,
  now: number,
): kept is K & { version: string; at: number } {
  return version !== null && kept?.version === version && kept.at !== undefined && now - kept.at < FULL_CHECK_MS;
}
