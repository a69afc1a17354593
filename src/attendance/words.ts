/**
 * Days as bits of 32-bit words, for counting many cadres at once: bit `i % 32` of word `i / 32` is day `i` of a
 * span. A bitmap of Redis (day 0 in the highest bit of byte 0) is read 32 days at a time (`word32`), and each
 * count is a population count of words combined (`popcount`).
 */

/** `x` with the bits of each byte in the opposite order (Redis keeps day 0 in the byte's highest bit). */
const REVERSED = Uint8Array.from({ length: 256 }, (_, x) => {
  let r = 0;
  for (let b = 0; b < 8; b++) if (x & (1 << b)) r |= 0x80 >> b;
  return r;
});

/** The number of bits set in a 32-bit word. */
export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
}

/** Days of a bitmap from bit `p` on, 32 of them, day `p` in the lowest bit (0 past the bitmap's end). */
export function word32(buf: Uint8Array, p: number): number {
  const b = p >> 3;
  const sh = p & 7;
  const n = buf.length;
  const b0 = b < n ? REVERSED[buf[b]!]! : 0;
  const b1 = b + 1 < n ? REVERSED[buf[b + 1]!]! : 0;
  const b2 = b + 2 < n ? REVERSED[buf[b + 2]!]! : 0;
  const b3 = b + 3 < n ? REVERSED[buf[b + 3]!]! : 0;
  const low = (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> sh;
  if (!sh) return low >>> 0;
  const b4 = b + 4 < n ? REVERSED[buf[b + 4]!]! : 0;
  return (low | (b4 << (32 - sh))) >>> 0;
}

/** Set days `[from, to)` in `out`. */
export function setRange(out: Int32Array, from: number, to: number): void {
  for (let i = from; i < to;) {
    const k = i >> 5;
    const sh = i & 31;
    const take = Math.min(32 - sh, to - i);
    out[k]! |= (take === 32 ? -1 : (1 << take) - 1) << sh;
    i += take;
  }
}

/** Days `[from, to)` of one word (`0 <= from <= to <= 32`). */
export function rangeWord(from: number, to: number): number {
  if (from >= to) return 0;
  const take = to - from;
  return (take === 32 ? -1 : (1 << take) - 1) << from;
}

const maskWordsOf = new WeakMap<Uint8Array, Int32Array>();

/** A mask of 1/0 per day (a term mask, `FiguresCache.termMask`) as words, made once per mask. */
export function maskWords(mask: Uint8Array, words: number): Int32Array {
  let out = maskWordsOf.get(mask);
  if (!out) {
    out = new Int32Array(words);
    for (let i = 0; i < mask.length; i++) if (mask[i]) out[i >> 5]! |= 1 << (i & 31);
    maskWordsOf.set(mask, out);
  }
  return out;
}
