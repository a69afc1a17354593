/**
 * Chinese typography of every text a person reads (docs/rules.md is written the same way): full-width
 * punctuation next to Chinese characters, the township level always written 乡镇（街道）, and dates only through
 * the one date style of src/kit/date-label.ts. Read from the sources of templates/, comments left out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
const HAN = '\\u4e00-\\u9fff';

/** Each non-comment line of each template file, as `file:line: text`. */
function lines(): string[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) =>
      readFileSync(join(DIR, f), 'utf8')
        .split('\n')
        .map((text, i) => ({ text, where: `${f}:${i + 1}` }))
        .filter(({ text }) => !/^\s*(\/\/|\/\*|\*)/.test(text))
        .map(({ text, where }) => `${where}: ${text.trim()}`),
    );
}

const offending = (pattern: RegExp) => lines().filter((l) => pattern.test(l.slice(l.indexOf(': ') + 2)));

describe('typography of what people read', () => {
  it('uses full-width punctuation next to Chinese characters', () => {
    const halfWidth = new RegExp(`[${HAN}][,:;!?()]|[,:;!?(][${HAN}]`);
    expect(offending(halfWidth)).toEqual([]);
  });

  it('writes the township level 乡镇（街道）', () => {
    expect(offending(/乡镇(?!（街道）)/)).toEqual([]);
  });

  it('formats dates only through the one date style', () => {
    expect(offending(/slice\(5, 7\)\)\}月|format\('M|format\("M/)).toEqual([]);
    // A span of two raw YYYY-MM-DD values (`${start} 至 ${end}`) instead of spanLabel / fullDayLabel; a span
    // of times of day (quiet hours) is not a date.
    expect(offending(/(?<!quietHours\.)(start|Start)\} ?[至—-] ?\$\{[\w.]*(end|End)\}/)).toEqual([]);
  });
});
