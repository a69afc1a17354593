import { describe, expect, it } from 'vitest';
import { refuse } from '../../../src/core/errors.js';
import { refusal } from '../../../src/core/middleware/refusal.js';
import type { Turn } from '../../../src/core/middleware/turn.js';
import { textUpdate, turn } from './support.js';

/** A turn whose command buffered a write and a message before failing with `fail`. */
function failing(fail: () => never): { ctx: Turn; next: () => Promise<void> } {
  const ctx = turn(textUpdate('标记'));
  const next = async () => {
    ctx.tx.hset('k', 'f', 'v');
    ctx.send({
      key: 'm1',
      to: { kind: 'user', userIds: ['org1'] },
      body: { type: 'text', content: 'x' },
      purpose: 'test',
    });
    fail();
  };
  return { ctx, next };
}

describe('refusal', () => {
  it('answers a refusal with its sentence and drops what the command buffered', async () => {
    const { ctx, next } = failing(() => refuse('test_refused', '不行'));
    await refusal(ctx, next);
    expect(ctx.reply).toEqual({ text: '不行' });
    expect(ctx.tx.size).toBe(0);
    expect(ctx.outbound).toEqual([]);
  });

  it('throws any other failure on, with nothing buffered left', async () => {
    const { ctx, next } = failing(() => {
      throw new Error('disk full');
    });
    await expect(refusal(ctx, next)).rejects.toThrow('disk full');
    expect(ctx.tx.size).toBe(0);
    expect(ctx.outbound).toEqual([]);
  });

  it('leaves a command that succeeded alone', async () => {
    const ctx = turn(textUpdate('标记'));
    await refusal(ctx, async () => {
      ctx.tx.hset('k', 'f', 'v');
      ctx.reply = { text: '好' };
    });
    expect(ctx.reply).toEqual({ text: '好' });
    expect(ctx.tx.size).toBe(1);
  });
});
