/**
 * Comparing secrets a caller presents: the admin token, the check-in page's OAuth state. One place, so that every
 * comparison takes the same time whatever was sent.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * True when `given` is the token. Both sides are hashed first so the comparison takes the same time whatever
 * the given token's length or how many of its first characters are right.
 */
export function tokenMatches(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return m?.[1];
}
