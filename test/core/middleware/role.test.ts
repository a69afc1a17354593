import { describe, expect, it } from 'vitest';
import { role } from '../../../src/core/middleware/role.js';
import { anyone, cadreOnly, commandTurn, counter, textUpdate } from './support.js';

describe('role', () => {
  it('lets through a role the spec names, and anyone for `any`', async () => {
    const next = counter();
    await role(commandTurn(textUpdate('干部命令'), cadreOnly), next.next);
    await role(commandTurn(textUpdate('大家的命令', { userId: 'org1' }), anyone), next.next);
    expect(next.calls()).toBe(2);
  });

  it('refuses a role the spec does not name, saying who may', async () => {
    const ctx = commandTurn(textUpdate('干部命令', { userId: 'org1' }), cadreOnly);
    const next = counter();
    await role(ctx, next.next);
    expect(next.calls()).toBe(0);
    expect(ctx.reply?.text).toContain('「干部命令」仅供驻村干部使用');
  });

  it('refuses a cadre-only command to someone holding the role without a cadre record', async () => {
    const ctx = commandTurn(textUpdate('干部命令'), cadreOnly);
    ctx.person = { ...ctx.person, cadre: undefined };
    const next = counter();
    await role(ctx, next.next);
    expect(next.calls()).toBe(0);
    expect(ctx.reply?.text).toContain('仅供驻村干部使用');
  });
});
