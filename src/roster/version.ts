import { createHash, randomBytes } from 'node:crypto';

/**
 * How long a process trusts what it keeps of the roster on a version token alone (ms): past that it compares the
 * stored data itself, so that a writer that did not replace the token cannot leave it on old data for longer.
 */
export const FULL_CHECK_MS = 30_000;

/** The version of a stored roster document: its SHA-1, so the same document always has the same version. */
export function rosterVersion(json: string): string {
  return createHash('sha1').update(json).digest('hex');
}

/**
 * A new token for `Keys.assignmentsVersion()`: random, so that no two writes of the histories share one (a token
 * restored from a backup names the histories of that backup, restored with it).
 */
export function newHistoriesVersion(): string {
  return randomBytes(9).toString('base64url');
}
