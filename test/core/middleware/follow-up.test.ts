import { describe, expect, it } from 'vitest';
import { defineCommand } from '../../../src/core/command.js';
import { refuse } from '../../../src/core/errors.js';
import { compose, when } from '../../../src/core/middleware/compose.js';
import { followUp } from '../../../src/core/middleware/follow-up.js';
import { refusal } from '../../../src/core/middleware/refusal.js';
import { route } from '../../../src/core/middleware/route.js';
import { runCommand } from '../../../src/core/middleware/run-command.js';
import { hasCommand, type PersonTurn } from '../../../src/core/middleware/turn.js';
import { QuestionStore, type Question } from '../../../src/core/questions.js';
import type { Update } from '../../../src/core/update.js';
import { useTestRedis } from '../../helpers/redis.js';
import { clickUpdate, personTurn, textUpdate } from './support.js';

const t = useTestRedis();
const store = new QuestionStore(t.redis, t.keys);
const help = { summary: '测试', usage: '测试', examples: [] };
const NOW = new Date('2026-11-18T09:00:00+08:00');

/** What each run of `预约` was given. */
const runs: string[] = [];
/** `预约 …`: asks until the text names a day (with 留 it keeps only X); 满 is a final refusal, not a question. */
const book = defineCommand({
  id: 'book',
  aliases: ['预约'],
  roles: 'any',
  followUp: true,
  actions: ['book'],
  help,
  recognise: (text) => (text.startsWith('周') ? text : undefined),
  async handle(ctx, rest) {
    runs.push(rest);
    if (rest.startsWith('满')) refuse('book_full', '已经约满了。');
    if (!/周[一二三四五]/.test(rest))
      refuse('book_no_day', '请问哪一天？', { keep: rest.startsWith('留') ? 'X' : rest });
    return { text: `好的：${rest}` };
  },
});
const plain = defineCommand({
  id: 'plain',
  aliases: ['查看'],
  roles: 'any',
  help,
  handle: async () => refuse('plain_refused', '不行'),
});
const chain = compose<PersonTurn>(followUp, route, when(hasCommand, refusal, runCommand));

/** Run one update for c1 through the chain and commit its writes, as the bot does. */
async function run(update: Update): Promise<PersonTurn> {
  const ctx = personTurn(update, { deps: { redis: t.redis, keys: t.keys }, specs: [book, plain] });
  await chain(ctx, async () => {});
  await ctx.tx.commit(t.redis);
  return ctx;
}
const say = (text: string, more: Partial<Update> = {}) => run(textUpdate(text, more));
const waiting = async (chat = 'app'): Promise<Question | undefined> => (await store.read('c1', chat))?.question;
const clear = () => t.redis.del(t.keys.questions('c1'));

describe('follow-up questions', () => {
  it('asks with a refusal of a followUp command, keeping its arguments until questionMinutes later', async () => {
    await clear();
    expect((await say('预约 下午')).reply).toEqual({ text: '请问哪一天？' });
    expect(await waiting()).toEqual({ command: 'book', keep: '下午', until: '2026-11-18T01:10:00.000Z' });
  });

  it('asks nothing when the refusal names nothing to keep: that refusal is final', async () => {
    await clear();
    expect((await say('预约 满')).reply).toEqual({ text: '已经约满了。' });
    expect(await waiting()).toBeUndefined();
  });

  it('keeps the refusal’s own keep when it gives one', async () => {
    await clear();
    await say('预约 留 下午');
    expect((await waiting())?.keep).toBe('X');
  });

  it('runs the command again with what was kept and the answer; a second refusal asks again', async () => {
    await clear();
    await say('预约 下午');
    await say('两点');
    expect(runs.at(-1)).toBe('下午 两点');
    expect((await waiting())?.keep).toBe('下午 两点');
    expect((await say('周三')).reply).toEqual({ text: '好的：下午 两点 周三' });
    expect(await waiting()).toBeUndefined();
  });

  it('is the question of one chat only', async () => {
    await clear();
    await say('预约 下午');
    const group = { chatType: 'group' as const, chatId: 'g1', channel: 'bot' as const };
    expect((await say('周三', group)).reply).toEqual({ text: '好的：周三' });
    expect((await waiting())?.keep).toBe('下午');
    expect(await waiting('group:g1')).toBeUndefined();
  });

  it('lapses after questionMinutes: the answer is then a fresh message, and the old question is cleared', async () => {
    await clear();
    await say('预约 下午');
    const late = new Date(NOW.getTime() + 10 * 60_000);
    const ctx = personTurn(textUpdate('两点'), {
      deps: { redis: t.redis, keys: t.keys, clock: { now: () => late } },
      specs: [book, plain],
    });
    await chain(ctx, async () => {});
    expect(ctx.pending).toBeUndefined();
    expect(ctx.command).toBeUndefined();
    expect(ctx.reply?.text).toContain('没有看懂');
    await ctx.tx.commit(t.redis);
    expect(await waiting()).toBeUndefined();
  });

  it('drops the question on 算了 without running the command', async () => {
    await clear();
    await say('预约 下午');
    const before = runs.length;
    expect((await say('算了')).reply).toEqual({ text: '好的，已取消。' });
    expect(runs.length).toBe(before);
    expect(await waiting()).toBeUndefined();
  });

  it('leaves an answer by the command’s own word to the command, and clears the question after any command', async () => {
    await clear();
    await say('预约 下午');
    await say('预约 周二');
    expect(runs.at(-1)).toBe('周二');
    await say('预约 下午');
    expect((await say('查看')).reply).toEqual({ text: '不行' });
    expect(await waiting()).toBeUndefined();
  });

  it('takes a sentence the asking command recognises as the answer', async () => {
    await clear();
    await say('预约 下午');
    await say('周五');
    expect(runs.at(-1)).toBe('下午 周五');
  });

  it('asks nothing after a refused click, and leaves the question alone for what the person did not send', async () => {
    await clear();
    await run(clickUpdate('book:x'));
    expect(await waiting()).toBeUndefined();
    await say('预约 下午');
    const auto = await run(
      textUpdate('', { kind: 'location', text: undefined, location: { lat: 1, lng: 1, source: 'auto' } }),
    );
    expect(auto.tx.size).toBe(0);
    expect((await waiting())?.keep).toBe('下午');
    // A refused click (a stale or forged button) writes nothing either: the question still waits.
    expect((await run(clickUpdate('book:x'))).tx.size).toBe(0);
    expect((await waiting())?.keep).toBe('下午');
  });
});
