import { describe, expect, it } from 'vitest';
import { defineCommand } from '../../../src/core/command.js';
import { runCommand } from '../../../src/core/middleware/run-command.js';
import { cadreOnly, commandTurn, counter, textUpdate } from './support.js';

describe('runCommand', () => {
  it('parses the text after the word and hands the arguments and this context to the handler', async () => {
    const seen: unknown[] = [];
    const sum = defineCommand({
      id: 'sum',
      aliases: ['加'],
      roles: ['cadre'],
      help: { summary: '测试', usage: '加 1 2', examples: [] },
      parse: (rest) => rest.split(' ').map(Number),
      async handle(ctx, numbers) {
        seen.push(ctx.person.cadre.village, ctx);
        return { text: String(numbers.reduce((a, b) => a + b, 0)) };
      },
    });
    const ctx = commandTurn(textUpdate('加 1 2'), sum, '1 2');
    const next = counter();
    await runCommand(ctx, next.next);
    expect(ctx.reply).toEqual({ text: '3' });
    expect(seen).toEqual(['bb', ctx]);
    expect(next.calls()).toBe(1);
  });

  it('never hands a cadre-only handler a context without a cadre record', async () => {
    const ctx = commandTurn(textUpdate('干部命令'), cadreOnly);
    ctx.person = { ...ctx.person, cadre: undefined };
    await expect(runCommand(ctx, counter().next)).rejects.toThrow(/without a cadre record/);
    expect(ctx.reply).toBeNull();
  });
});
