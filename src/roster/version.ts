import { createHash, randomBytes } from 'node:crypto';

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
