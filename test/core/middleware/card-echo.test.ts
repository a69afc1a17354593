import { describe, expect, it } from 'vitest';
import { cardEcho } from '../../../src/core/middleware/card-echo.js';
import type { Reply } from '../../../src/core/reply.js';
import type { Update } from '../../../src/core/update.js';
import { clickUpdate, textUpdate, turn } from './support.js';

/** Run the echo around a command that answers `reply`; what was queued. */
async function after(update: Update, reply: Reply | null) {
  const ctx = turn(update);
  await cardEcho(ctx, async () => void (ctx.reply = reply));
  return ctx.outbound;
}

describe('cardEcho', () => {
  it('sends the sentence of a click that changes no button to the clicker as an app message', async () => {
    expect(await after(clickUpdate('poke:1'), { text: '这张卡片不归您处理' })).toEqual([
      {
        key: 'click-reply:k1',
        to: { kind: 'user', userIds: ['c1'] },
        body: { type: 'text', content: '这张卡片不归您处理' },
        purpose: 'approval',
      },
    ]);
  });

  it('leaves a relabelled button, a silent click and any other update alone', async () => {
    expect(await after(clickUpdate('poke:1'), { text: '已处理', replaceButton: '已处理' })).toEqual([]);
    expect(await after(clickUpdate('poke:1'), null)).toEqual([]);
    expect(await after(textUpdate('标记'), { text: '好' })).toEqual([]);
  });
});
