import { createHash } from 'node:crypto';

/** The version of a stored roster document: its SHA-1, so the same document always has the same version. */
export function rosterVersion(json: string): string {
  return createHash('sha1').update(json).digest('hex');
}
