/** How a recall takes WeCom's refusals: one message's refusal is final, a configuration refusal fails the job. */
import { describe, expect, it } from 'vitest';
import { recallMsgids, type RecallDeps } from '../../src/outbox/recall.js';
import { silentLogger } from '../../src/log.js';
import { WecomApiError, WecomConfigError } from '../../src/wecom/api/errors.js';

function deps(fail: (msgid: string) => Error | undefined, asked: string[]): RecallDeps {
  const api = {
    call: async (_endpoint: string, opts: { body: { msgid: string } }) => {
      asked.push(opts.body.msgid);
      const err = fail(opts.body.msgid);
      if (err) throw err;
      return {};
    },
  };
  return { api, log: silentLogger } as unknown as RecallDeps;
}

describe('recalling messages', () => {
  it('goes on past a message WeCom will not recall (too old, already recalled)', async () => {
    const asked: string[] = [];
    const old = new WecomApiError('message/recall', 40058, 'invalid msgid');
    await recallMsgids(
      ['a', 'b'],
      deps((m) => (m === 'a' ? old : undefined), asked),
    );
    expect(asked).toEqual(['a', 'b']);
  });

  it('fails the job on a configuration refusal, so the outbox retries it once it is fixed', async () => {
    const asked: string[] = [];
    const noRight = new WecomConfigError('message/recall', 48002, 'api forbidden');
    await expect(
      recallMsgids(
        ['a', 'b'],
        deps(() => noRight, asked),
      ),
    ).rejects.toBeInstanceOf(WecomConfigError);
    expect(asked).toEqual(['a']);
  });
});
