import { describe, expect, it } from 'vitest';
import { privateOnly } from '../../../src/core/middleware/private-only.js';
import { anyone, commandTurn, counter, secret, textUpdate } from './support.js';

const inGroup = { channel: 'bot' as const, chatType: 'group' as const, chatId: 'g1' };

describe('privateOnly', () => {
  it('refuses a private command in a group chat', async () => {
    const ctx = commandTurn(textUpdate('我的秘密', inGroup), secret);
    const next = counter();
    await privateOnly(ctx, next.next);
    expect(next.calls()).toBe(0);
    expect(ctx.reply?.text).toContain('只在与本助手的单聊中回复');
  });

  it('lets a private command through in the one-to-one chat, and any other command anywhere', async () => {
    const next = counter();
    await privateOnly(commandTurn(textUpdate('我的秘密'), secret), next.next);
    await privateOnly(commandTurn(textUpdate('大家的命令', inGroup), anyone), next.next);
    expect(next.calls()).toBe(2);
  });
});
