/**
 * What a command spec's `roles` promise its handler. The type assertions are checked by `tsc --noEmit` (the
 * test files are type-checked with the sources); the runtime part checks the rule the role middleware applies.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineCommand, requiresCadre, type CadreContext, type Context } from '../../src/core/command.js';
import type { Reply } from '../../src/core/reply.js';
import type { Cadre } from '../../src/roster/schema.js';

const help = { summary: '测试', usage: '测试', examples: [] };

describe('the context a command gets', () => {
  it('is a cadre context when only cadre roles may run it', () => {
    const forCadres = defineCommand({
      id: 'a',
      aliases: ['甲'],
      roles: ['cadre'],
      help,
      parse(rest, ctx) {
        expectTypeOf(ctx).toEqualTypeOf<CadreContext>();
        return rest.length;
      },
      async handle(ctx, n) {
        expectTypeOf(ctx.person.cadre).toEqualTypeOf<Cadre>();
        expectTypeOf(n).toEqualTypeOf<number>();
        return null;
      },
    });
    const forLeaders = defineCommand({
      id: 'b',
      aliases: ['乙'],
      roles: ['cadre', 'team-leader'],
      help,
      handle: async (ctx) => ({ text: ctx.person.cadre.name }),
    });
    expect([requiresCadre(forCadres), requiresCadre(forLeaders)]).toEqual([true, true]);
  });

  it('is a plain context, whose person may have no cadre record, when others may run it too', () => {
    const forAnyone = defineCommand({
      id: 'c',
      aliases: ['丙'],
      roles: 'any',
      help,
      async handle(ctx) {
        expectTypeOf(ctx).toEqualTypeOf<Context>();
        expectTypeOf(ctx.person.cadre).toEqualTypeOf<Cadre | undefined>();
        return { text: '' };
      },
    });
    const mixed = defineCommand({
      id: 'd',
      aliases: ['丁'],
      roles: ['cadre', 'township'],
      help,
      // @ts-expect-error a township supervisor has no cadre record
      handle: async (ctx) => ({ text: ctx.person.cadre.name }),
    });
    expectTypeOf(mixed.handle).returns.toEqualTypeOf<Promise<Reply | null>>();
    expect([requiresCadre(forAnyone), requiresCadre(mixed)]).toEqual([false, false]);
  });
});
