import { describe, expect, it } from 'vitest';
import { compose, when, type Middleware } from '../../../src/core/middleware/compose.js';

type Log = { seen: string[]; tag?: string };
const step =
  (name: string): Middleware<Log> =>
  async (ctx, next) => {
    ctx.seen.push(`${name} in`);
    await next();
    ctx.seen.push(`${name} out`);
  };

describe('compose', () => {
  it('runs the middleware in order, each around the rest of the chain, then the caller’s next', async () => {
    const ctx: Log = { seen: [] };
    await compose(step('a'), step('b'))(ctx, async () => void ctx.seen.push('end'));
    expect(ctx.seen).toEqual(['a in', 'b in', 'end', 'b out', 'a out']);
  });

  it('stops where a middleware does not call next', async () => {
    const ctx: Log = { seen: [] };
    const answer: Middleware<Log> = async (c) => void c.seen.push('answered');
    await compose(step('a'), answer, step('never'))(ctx, async () => void ctx.seen.push('end'));
    expect(ctx.seen).toEqual(['a in', 'answered', 'a out']);
  });

  it('refuses a middleware that calls next twice, which would run the rest twice', async () => {
    const ctx: Log = { seen: [] };
    const twice: Middleware<Log> = async (_c, next) => {
      await next();
      await next();
    };
    await expect(compose(twice, step('b'))(ctx, async () => undefined)).rejects.toThrow(/next\(\) twice/);
    expect(ctx.seen).toEqual(['b in', 'b out']);
  });

  it('passes errors up to the middleware around', async () => {
    const caught: unknown[] = [];
    const guard: Middleware<Log> = async (_c, next) => next().catch((err: unknown) => void caught.push(err));
    const boom: Middleware<Log> = async () => Promise.reject(new Error('boom'));
    await compose(guard, boom)({ seen: [] }, async () => undefined);
    expect(caught).toHaveLength(1);
  });
});

describe('when', () => {
  const tagged = (ctx: Log): ctx is Log & { tag: string } => ctx.tag !== undefined;

  it('runs its middleware for contexts that pass the guard, then goes on', async () => {
    const ctx: Log = { seen: [], tag: 'x' };
    const seesTag: Middleware<Log & { tag: string }> = async (c, next) => {
      c.seen.push(`tag ${c.tag}`);
      await next();
    };
    await compose(when(tagged, seesTag), step('after'))(ctx, async () => undefined);
    expect(ctx.seen).toEqual(['tag x', 'after in', 'after out']);
  });

  it('skips its middleware for other contexts, straight on to next', async () => {
    const ctx: Log = { seen: [] };
    await compose(when(tagged, step('tagged')), step('after'))(ctx, async () => undefined);
    expect(ctx.seen).toEqual(['after in', 'after out']);
  });
});
