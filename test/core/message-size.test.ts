/**
 * The core refuses a text message above the policy's `messages.maxTextBytes` (UTF-8 bytes) before any command
 * reads it: one sentence back, no data changed. Anything up to the limit is read as usual.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Bot } from '../../src/core/bot.js';
import type { Update } from '../../src/core/update.js';
import { defaultPolicy, parsePolicy, PolicyError } from '../../src/policy/policy.js';
import * as T from '../../templates/common.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { dataSnapshot, leaveRegistry } from '../helpers/leave-bot.js';

const t = useTestRedis();
const outbox = new RecordingOutbox();
const deps = testDeps(t, { outbox });
const bot = new Bot(deps, leaveRegistry());
let n = 0;
const say = async (text: string, b = bot) => {
  const u: Update = {
    id: `s${++n}`,
    channel: 'app',
    userId: 'LiXiaoYan',
    chatType: 'single',
    kind: 'text',
    text,
    time: new Date(),
  };
  return (await b.handle(u)).reply;
};

const REQUEST = '请假 事假 11月25日至27日 ';
/** A leave request padded with its reason to exactly `bytes` UTF-8 bytes (家 is three bytes, x one). */
function requestOf(bytes: number): string {
  const left = bytes - Buffer.byteLength(REQUEST);
  const text = REQUEST + '家'.repeat(Math.floor(left / 3)) + 'x'.repeat(left % 3);
  expect(Buffer.byteLength(text)).toBe(bytes);
  return text;
}

beforeAll(async () => {
  await deps.roster.replace(sampleRosterData());
});

describe('message size limit', () => {
  it('is 16 KB by default', () => {
    expect(defaultPolicy().messages.maxTextBytes).toBe(16_384);
  });

  it('refuses a longer message with one sentence and changes no data', async () => {
    const before = await dataSnapshot(t);
    const reply = await say(requestOf(16_385));
    expect(reply).toEqual({ text: T.messageTooLong(16_384) });
    expect(reply?.text).toContain('16 KB');
    expect(await dataSnapshot(t)).toEqual(before);
    expect(outbox.queued).toEqual([]);
  });

  it('refuses a long run of numerals at once', async () => {
    expect(await say('三'.repeat(58_000))).toEqual({ text: T.messageTooLong(16_384) });
    expect(await say('一二三四五六七八九十'.repeat(6_000))).toEqual({ text: T.messageTooLong(16_384) });
  });

  it('reads a message of exactly the limit', async () => {
    const reply = await say(requestOf(16_384));
    expect(reply?.text).toContain('Q1001');
  });

  it('takes its limit from the policy', async () => {
    const small = new Bot({ ...deps, policy: parsePolicy('messages:\n  maxTextBytes: 1024\n') }, leaveRegistry());
    expect(await say('三'.repeat(342), small)).toEqual({ text: T.messageTooLong(1024) });
    expect((await say('三'.repeat(341), small))?.text).not.toBe(T.messageTooLong(1024));
  });

  it('refuses a policy limit that is not a sensible size', () => {
    expect(() => parsePolicy('messages:\n  maxTextBytes: 100\n')).toThrow(PolicyError);
    expect(() => parsePolicy('messages:\n  maxTextBytes: 100000000\n')).toThrow(/messages\.maxTextBytes/);
  });
});
