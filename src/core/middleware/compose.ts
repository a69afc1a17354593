/**
 * The middleware model of the core (after grammY's Composer): every rule around a command is a function
 * `(ctx, next)` that may answer and stop, or call `next()` to hand the update on and then look at the outcome.
 */

/** Runs the rest of the chain; once its promise settles, everything downstream is done. */
export type Next = () => Promise<void>;

/** One rule of the chain. */
export type Middleware<C> = (ctx: C, next: Next) => Promise<void>;

/**
 * One middleware that runs `middleware` in order, then the caller's `next`. A middleware that calls `next`
 * twice would run the rest of the chain twice (a command's writes and messages doubled), so that throws.
 */
export function compose<C>(...middleware: Middleware<C>[]): Middleware<C> {
  return (ctx, next) => {
    // Plain functions handing on the middleware's own promise: every update passes a dozen of these, and an
    // async wrapper per step would add a promise and a suspended frame each.
    const run = (i: number): Promise<void> => {
      const mw = middleware[i];
      if (!mw) return next();
      let called = false;
      try {
        return mw(ctx, () => {
          if (called) return Promise.reject(new Error(`middleware ${i} called next() twice`));
          called = true;
          return run(i + 1);
        });
      } catch (err) {
        return Promise.reject(err as Error);
      }
    };
    return run(0);
  };
}

/**
 * Middleware for some contexts only (grammY's `filter`): `guard` says whether `middleware` applies, and tells
 * the type checker what it may rely on there; other contexts go straight on to `next`.
 */
export function when<C, D extends C>(guard: (ctx: C) => ctx is D, ...middleware: Middleware<D>[]): Middleware<C> {
  const inner = compose(...middleware);
  return (ctx, next) => (guard(ctx) ? inner(ctx, next) : next());
}
