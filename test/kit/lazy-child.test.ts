/**
 * Child loggers made per request are built only when a line is written through them, and a line written
 * through one carries every binding of the chain, as `pino.child` does.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyChild } from '../../src/log.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const base = pino({ level }, stream);
  let made = 0;
  // Children inherit `child` from their parent (pino makes them with Object.create), so count on `this`.
  const child = base.child;
  base.child = function (this: typeof base, ...args: Parameters<typeof base.child>) {
    made++;
    return child.apply(this, args);
  } as typeof base.child;
  return { base, lines, made: () => made };
}

describe('lazyChild', () => {
  it('writes lines with the bindings of the whole chain', async () => {
    const { base, lines } = capture('info');
    const log = lazyChild(lazyChild(base, { channel: 'app' }), { update: 'u1' }).child({ command: 'checkin' });
    log.info({ extra: 1 }, 'hello');
    log.debug('not at this level');
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ channel: 'app', update: 'u1', command: 'checkin', extra: 1, msg: 'hello' });
    expect(log.isLevelEnabled('info')).toBe(true);
    expect(log.level).toBe('info');
  });

  it('makes no pino child while nothing is written at an enabled level', () => {
    const { base, made } = capture('info');
    const log = lazyChild(lazyChild(base, { channel: 'app' }), { update: 'u1' }).child({ command: 'x' });
    log.debug('dropped');
    log.trace('dropped');
    expect(made()).toBe(0);
    log.warn('kept');
    expect(made()).toBeGreaterThan(0);
  });
});
