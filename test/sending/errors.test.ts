import { describe, expect, it } from 'vitest';
import { apiError, isPermanent, WecomApiError, WecomConfigError, WecomHttpError } from '../../src/wecom/api/errors.js';
import { claimsFor } from '../../src/outbox/process.js';
import { DEFAULT_LIMITS } from '../../src/outbox/limits.js';
import type { Outbound } from '../../src/core/outbound.js';

describe('WeCom errors', () => {
  it('carry errcode, errmsg and the endpoint', () => {
    const err = apiError('message/send', 81013, 'user & party & tag all invalid');
    expect(err).toBeInstanceOf(WecomApiError);
    expect(err).toMatchObject({ endpoint: 'message/send', errcode: 81013, errmsg: 'user & party & tag all invalid' });
    expect(err.message).toContain('message/send');
    expect(err.message).toContain('81013');
  });

  it('retry busy, frequency and concurrency answers, HTTP 5xx, timeouts and resets', () => {
    for (const code of [-1, 45009, 45033]) expect(isPermanent(apiError('webhook/send', code, 'x'))).toBe(false);
    expect(isPermanent(new WecomHttpError('message/send', 'status', 'x', 502))).toBe(false);
    expect(isPermanent(new WecomHttpError('message/send', 'status', 'x', 429))).toBe(false);
    expect(isPermanent(new WecomHttpError('message/send', 'timeout', 'x'))).toBe(false);
    expect(isPermanent(new WecomHttpError('message/send', 'reset', 'x'))).toBe(false);
    expect(isPermanent(new Error('redis connection lost'))).toBe(false);
  });

  it('do not retry refused parameters, invalid recipients or HTTP 4xx', () => {
    for (const code of [81013, 40003, 40008, 40058, 44004, 93000])
      expect(isPermanent(apiError('message/send', code, 'x'))).toBe(true);
    expect(isPermanent(new WecomHttpError('message/send', 'status', 'x', 404))).toBe(true);
  });

  it('report configuration errors with the fix in plain words, never as retryable', () => {
    const ip = apiError(
      'gettoken',
      60020,
      'not allow to access from your ip, hint: [1], from ip: 203.0.113.7, more info at x',
    );
    expect(ip).toBeInstanceOf(WecomConfigError);
    expect((ip as WecomConfigError).fix).toContain('企业可信IP');
    expect((ip as WecomConfigError).fix).toContain('203.0.113.7');
    expect((apiError('gettoken', 40001, 'invalid credential') as WecomConfigError).fix).toContain('WECOM_APP_SECRET');
    expect((apiError('gettoken', 40013, 'invalid corpid') as WecomConfigError).fix).toContain('WECOM_CORP_ID');
    for (const code of [40001, 40013, 60020]) expect(isPermanent(apiError('gettoken', code, 'x'))).toBe(true);
  });
});

describe('rate-limit targets of a message', () => {
  const base = { key: 'k', purpose: 'test', body: { type: 'text', content: 'hi' } } as const;
  it('an app message takes the app and every recipient', () => {
    const msg: Outbound = { ...base, to: { kind: 'user', userIds: ['a', 'b'] } };
    expect(claimsFor(msg, {}, DEFAULT_LIMITS).map((c) => c.target)).toEqual(['app', 'user:a', 'user:b']);
  });
  it('a webhook is counted per key, named by a hash of the key', () => {
    const msg: Outbound = { ...base, to: { kind: 'webhook', keyEnv: 'WEBHOOK_T3' } };
    const [claim] = claimsFor(msg, { WEBHOOK_T3: 'secret-key-1' }, DEFAULT_LIMITS);
    expect(claim!.target).toMatch(/^webhook:[0-9a-f]{16}$/);
    expect(claim!.target).not.toContain('secret');
    expect(claim!.windows).toEqual([{ max: 20, windowMs: 60_000 }]);
    expect(claimsFor(msg, { WEBHOOK_T3: 'other-key' }, DEFAULT_LIMITS)[0]!.target).not.toBe(claim!.target);
  });
  it('a response_url has no shared limit (it can be used once)', () => {
    expect(
      claimsFor(
        { ...base, to: { kind: 'response_url', url: 'https://x/cgi-bin/aibot/response?response_code=1' } },
        {},
        DEFAULT_LIMITS,
      ),
    ).toEqual([]);
  });
});
