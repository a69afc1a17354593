/**
 * The OAuth code exchange keeps WeCom's refusal of a code, but not an outage: a code that could not be
 * exchanged because WeCom did not answer stays usable, and the next opening asks again.
 */
import { describe, expect, it } from 'vitest';
import { CodeRefused, userIdForCode } from '../../src/checkin-page/code-exchange.js';
import { apiError, WecomHttpError } from '../../src/wecom/api/errors.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const limits = { okTtlS: 300, failTtlS: 30, pendingTtlS: 2, pollMs: 10 };

describe('code exchange', () => {
  it('does not keep an outage of WeCom as a refusal: the same code works once WeCom answers', async () => {
    const down = () => Promise.reject(new WecomHttpError('auth/getuserinfo', 'timeout', 'no answer'));
    const err = await userIdForCode(t.redis, t.keys, 'codeA', down, limits).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomHttpError);
    expect(await t.redis.exists(t.keys.oauthCode('codeA'))).toBe(0);
    expect(await userIdForCode(t.redis, t.keys, 'codeA', async () => 'LiXiaoYan', limits)).toBe('LiXiaoYan');
  });

  it('keeps WeCom’s refusal of a code for a while without asking again', async () => {
    let asked = 0;
    const refuse = () => {
      asked++;
      return Promise.reject(apiError('auth/getuserinfo', 40029, 'invalid code'));
    };
    await expect(userIdForCode(t.redis, t.keys, 'codeB', refuse, limits)).rejects.toBeInstanceOf(CodeRefused);
    await expect(userIdForCode(t.redis, t.keys, 'codeB', refuse, limits)).rejects.toBeInstanceOf(CodeRefused);
    expect(asked).toBe(1);
  });
});
