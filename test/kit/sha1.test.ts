import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha1Hex } from '../../src/kit/sha1.js';

describe('sha1Hex', () => {
  it('gives the hex SHA-1 of the UTF-8 text, as createHash does', () => {
    for (const text of ['', 'abc', '驻村签到', 'x'.repeat(5000), '\u0000\uffff']) {
      expect(sha1Hex(text)).toBe(createHash('sha1').update(text).digest('hex'));
    }
    expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
});
