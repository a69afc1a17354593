import { describe, expect, it } from 'vitest';
import { Bot } from '../../src/core/bot.js';
import { defineCommand } from '../../src/core/command.js';
import { refuse } from '../../src/core/errors.js';
import { Registry } from '../../src/core/registry.js';
import type { Update } from '../../src/core/update.js';
import { testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { rosterData } from './middleware/support.js';

const t = useTestRedis();
const deps = testDeps(t);
const contended = `${t.keys.ns}:{u:c1}:contended`;

const roster = rosterData;

/** Set by a test: the first run of the next update loses a race on the record it read. */
let raceOnce = false;

/** Numbers a record and updates another one it read (as 同意 with a new number would), so it can conflict. */
const numbered = defineCommand({
  id: 'numbered',
  aliases: ['编号'],
  roles: ['cadre'],
  help: { summary: '测试', usage: '编号', examples: [] },
  async handle(ctx, rest) {
    const no = await ctx.repos.leave.nextNo(ctx.tx);
    if (rest === 'refuse') refuse('test_refused', '不行');
    const read = await ctx.deps.redis.hget(contended, 'v');
    ctx.tx.expect(contended, 'v', read).hset(contended, 'v', no);
    if (raceOnce) {
      raceOnce = false;
      await ctx.deps.redis.hset(contended, 'v', 'another update');
    }
    return { text: no };
  },
});

const bot = new Bot(deps, new Registry([numbered]));
let seq = 0;
const say = async (text: string) => {
  const u: Update = {
    id: `n${++seq}`,
    channel: 'app',
    kind: 'text',
    userId: 'c1',
    chatType: 'single',
    text,
    time: new Date('2026-11-18T09:00:00+08:00'),
  };
  return (await bot.handle(u)).reply?.text;
};

describe('numbers are taken in the commit', () => {
  it('a run again after a conflict does not skip a number', async () => {
    await deps.roster.replace(roster);
    expect(await say('编号')).toBe('Q1001');
    raceOnce = true;
    expect(await say('编号')).toBe('Q1002');
    expect(await say('编号')).toBe('Q1003');
  });

  it('two updates numbering at once take consecutive numbers, never the same one', async () => {
    const both = await Promise.all([say('编号'), say('编号')]);
    expect(both.sort()).toEqual(['Q1004', 'Q1005']);
  });

  it('a refused update uses no number', async () => {
    expect(await say('编号 refuse')).toBe('不行');
    expect(await say('编号')).toBe('Q1006');
  });
});
