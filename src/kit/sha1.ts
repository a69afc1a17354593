/**
 * SHA-1 of a text, in hex: WeCom's signatures, the commit's digests of long records, scripts' names. Node's
 * one-shot `crypto.hash` (Node 20.12 and later) skips the Hash object that `createHash` builds for each call,
 * which showed in a callback's profile (two signatures a callback); an older Node gets the object.
 */
import * as nodeCrypto from 'node:crypto';

const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: string) => string }).hash;

export const sha1Hex: (data: string) => string = oneShot
  ? (data) => oneShot('sha1', data)
  : (data) => nodeCrypto.createHash('sha1').update(data).digest('hex');
