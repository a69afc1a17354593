import { describe, expect, it } from 'vitest';
import { defineCommand } from '../../../src/core/command.js';
import { route } from '../../../src/core/middleware/route.js';
import { parsePolicy } from '../../../src/policy/policy.js';
import { anyone, cadreOnly, counter, personTurn, textUpdate } from './support.js';

describe('route', () => {
  it('puts the command and the text after its word on the context, and goes on', async () => {
    const ctx = personTurn(textUpdate('干部命令 明天'));
    const next = counter();
    await route(ctx, next.next);
    expect(next.calls()).toBe(1);
    expect(ctx.command?.spec.id).toBe('cadre-only');
    expect(ctx.command?.rest).toBe('明天');
  });

  it('recognises a free sentence by the county policy on the context', async () => {
    const bySetting = defineCommand({
      id: 'by-setting',
      aliases: ['设置命令'],
      roles: 'any',
      help: { summary: '测试', usage: '测试', examples: [] },
      recognise: (text, ctx) => (text.includes(`${ctx.deps.policy.monthly.minimum}天`) ? text : undefined),
      handle: async () => ({ text: 'ok' }),
    });
    const county = parsePolicy('monthly:\n  minimum: 20\n');
    const ctx = personTurn(textUpdate('这个月20天够不够'), { deps: { policy: county }, specs: [anyone, bySetting] });
    await route(ctx, counter().next);
    expect(ctx.command?.spec.id).toBe('by-setting');
  });

  it('answers what matches no command, and stops', async () => {
    const cases = [
      { update: textUpdate('你好啊'), reply: expect.stringContaining('没有看懂') },
      { update: textUpdate('', { kind: 'image', text: undefined }), reply: expect.stringContaining('暂不支持') },
      {
        update: textUpdate('', { kind: 'event', text: undefined, event: { type: 'enter_agent' } }),
        reply: expect.stringContaining('欢迎'),
      },
    ];
    const next = counter();
    for (const c of cases) {
      const ctx = personTurn(c.update, { specs: [cadreOnly] });
      await route(ctx, next.next);
      expect(ctx.reply?.text).toEqual(c.reply);
      expect(ctx.command).toBeUndefined();
    }
    const other = personTurn(textUpdate('', { kind: 'event', text: undefined, event: { type: 'view' } }));
    await route(other, next.next);
    expect(other.reply).toBeNull();
    expect(next.calls()).toBe(0);
  });
});
