/**
 * `originalText` finds the writer's own text behind the normalised `rest`, looking for where it starts only
 * within the first `MAX_PREFIX` characters (after leading white space), so a long message costs one pass per
 * place tried, never one per character.
 */
import { describe, expect, it } from 'vitest';
import { normaliseText } from '../../src/kit/text.js';
import { MAX_PREFIX, originalText } from '../../src/reports/original-text.js';

const restOf = (original: string, alias: string) => normaliseText(original).slice(alias.length).trim();

describe('originalText', () => {
  it('keeps full-width punctuation and line breaks', () => {
    const original = '汇报 今天走访：三户，\n看望老人。';
    expect(originalText(original, restOf(original, '汇报'))).toBe('今天走访：三户，\n看望老人。');
  });

  it('finds a long text after a short command word', () => {
    const body = '走访，'.repeat(5000);
    const original = `  汇报\u3000${body}`;
    expect(originalText(original, restOf(original, '汇报'))).toBe(body);
  });

  it('gives the normalised text when the content would start past the first places', () => {
    const word = '汇'.repeat(MAX_PREFIX);
    const original = `${word} 走访，三户`;
    expect(originalText(original, '走访,三户')).toBe('走访,三户');
    const near = `${'汇'.repeat(MAX_PREFIX - 2)} 走访，三户`;
    expect(originalText(near, '走访,三户')).toBe('走访，三户');
  });

  it('gives the normalised text when nothing in the original gives it', () => {
    expect(originalText(`汇报 /${'3户 '.repeat(4000)}`, 'zz')).toBe('zz');
  });
});
