import { sha1Hex } from '../kit/sha1.js';

/** The version of a stored roster document: its SHA-1, so the same document always has the same version. */
export function rosterVersion(json: string): string {
  return sha1Hex(json);
}
