import { beforeAll, describe, expect, it } from 'vitest';
import { Bot } from '../../src/core/bot.js';
import { defineCommand } from '../../src/core/command.js';
import { Registry } from '../../src/core/registry.js';
import type { Update } from '../../src/core/update.js';
import { CommitError, refuse } from '../../src/core/errors.js';
import { Relay } from '../../src/outbox/relay.js';
import { RosterStore } from '../../src/roster/store.js';
import help from '../../handlers/help.js';
import { testBot } from '../helpers/bot.js';
import { useTestRedis } from '../helpers/redis.js';
import { rosterData } from './middleware/support.js';

const t = useTestRedis();

const roster = rosterData;

let crashNext = false;
const mark = defineCommand({
  id: 'mark',
  aliases: ['标记', 'mark'],
  roles: ['cadre'],
  help: { summary: '测试', usage: '标记 内容', examples: ['标记 1'] },
  async handle(ctx, rest) {
    ctx.tx.hset(`${ctx.deps.keys.ns}:{test}:marks`, ctx.update.id, rest);
    ctx.send({
      key: `mark:${ctx.update.id}`,
      to: { kind: 'user', userIds: ['org1'] },
      body: { type: 'text', content: rest },
      purpose: 'test',
    });
    if (rest === 'refuse') refuse('test_refused', '不行');
    if (crashNext) {
      crashNext = false;
      throw new Error('simulated crash before commit');
    }
    return { text: `已标记 ${rest}` };
  },
});
const orgOnly = defineCommand({
  id: 'org-only',
  aliases: ['组织部命令'],
  roles: ['org'],
  help: { summary: '测试', usage: '组织部命令', examples: [] },
  async handle() {
    return { text: 'ok' };
  },
});
const clickable = defineCommand({
  id: 'clickable',
  aliases: ['点击测试'],
  roles: 'any',
  help: { summary: '测试', usage: '点击测试', examples: [] },
  actions: ['poke'],
  async handle(ctx, rest) {
    if (rest === 'no') refuse('poke_refused', '这张卡片不归您处理');
    return { text: '已处理', replaceButton: '已处理' };
  },
});
/** A bot of its own for each test: its own outbox, so no test reads what another queued (same namespace and roster). */
const fresh = () => testBot(t, { commands: [help, mark, orgOnly, clickable] });
const { deps } = fresh();

function text(id: string, userId: string, content: string): Update {
  return { id, channel: 'app', userId, chatType: 'single', kind: 'text', text: content, time: new Date() };
}
const marks = () => t.redis.hgetall(`${t.keys.ns}:{test}:marks`);

beforeAll(async () => {
  await fresh().setup(roster);
});

describe('Bot.handle', () => {
  it('runs a command and commits its writes with the reply', async () => {
    const { bot, outbox } = fresh();
    const r = await bot.handle(text('m1', 'c1', '／标记　hello'));
    expect(r).toEqual({ reply: { text: '已标记 hello' }, duplicate: false });
    expect(await marks()).toMatchObject({ m1: 'hello' });
    expect(outbox.queued.map((m) => m.key)).toEqual(['mark:m1']);
  });

  it('answers a duplicate with the same reply and re-queues the same keys, writing nothing new', async () => {
    const { bot, outbox } = fresh();
    await bot.handle(text('d1', 'c1', '标记 hello'));
    const r = await bot.handle(text('d1', 'c1', '标记 changed'));
    expect(r).toEqual({ reply: { text: '已标记 hello' }, duplicate: true });
    expect(await marks()).toMatchObject({ d1: 'hello' });
    expect(outbox.queued.map((m) => m.key)).toEqual(['mark:d1', 'mark:d1']);
  });

  it('processes a retry afresh after a crash before the commit, once', async () => {
    const { bot } = fresh();
    crashNext = true;
    await expect(bot.handle(text('m2', 'c1', '标记 second'))).rejects.toThrow('simulated crash');
    expect(await marks()).not.toHaveProperty('m2');
    const retry = await bot.handle(text('m2', 'c1', '标记 second'));
    expect(retry.duplicate).toBe(false);
    expect(await marks()).toMatchObject({ m2: 'second' });
    const again = await bot.handle(text('m2', 'c1', '标记 second'));
    expect(again.duplicate).toBe(true);
  });

  it('a refused request changes no data and queues nothing', async () => {
    const { bot, outbox } = fresh();
    const r = await bot.handle(text('m3', 'c1', '标记 refuse'));
    expect(r.reply).toEqual({ text: '不行' });
    expect(await marks()).not.toHaveProperty('m3');
    expect(outbox.queued).toEqual([]);
  });

  it('refuses unknown users politely, naming whom to contact', async () => {
    const { bot } = fresh();
    const r = await bot.handle(text('m4', 'stranger', '签到'));
    expect(r.reply?.text).toContain('组织部示例');
  });

  it('tells a role that may not run a command so', async () => {
    const { bot } = fresh();
    const r = await bot.handle(text('m5', 'c1', '组织部命令'));
    expect(r.reply?.text).toContain('仅供县委组织部使用');
  });

  it('generates help from the specs, filtered by role', async () => {
    const { bot } = fresh();
    const cadre = (await bot.handle(text('m6', 'c1', '帮助'))).reply?.text ?? '';
    expect(cadre).toContain('标记 内容');
    expect(cadre).not.toContain('组织部命令');
    const org = (await bot.handle(text('m7', 'org1', 'help'))).reply?.text ?? '';
    expect(org).toContain('组织部命令');
    expect(org).not.toContain('标记 内容');
  });

  it('answers unknown text with a hint', async () => {
    const { bot } = fresh();
    const r = await bot.handle(text('m8', 'c1', '你好啊'));
    expect(r.reply?.text).toContain('没有看懂');
  });
});

describe('card clicks', () => {
  const click = (id: string, key: string): Update => ({
    id,
    channel: 'app',
    userId: 'c1',
    chatType: 'single',
    kind: 'event',
    event: { type: 'template_card_event', key, taskId: 't1', responseCode: 'rc' },
    time: new Date(),
  });

  it('sends the sentence of a click that changes no button as a message, since WeCom shows no text reply', async () => {
    const { bot, outbox } = fresh();
    const r = await bot.handle(click('k1', 'poke:no'));
    expect(r.reply).toEqual({ text: '这张卡片不归您处理' });
    expect(outbox.queued.at(-1)).toMatchObject({ key: 'click-reply:k1', to: { kind: 'user', userIds: ['c1'] } });
  });

  it('leaves a relabelled button as the only answer', async () => {
    const { bot, outbox } = fresh();
    const r = await bot.handle(click('k2', 'poke:yes'));
    expect(r.reply).toEqual({ text: '已处理', replaceButton: '已处理' });
    expect(outbox.queued).toEqual([]);
  });
});

describe('deliveries racing and failures after the commit', () => {
  it("answers a retry that arrives while the first delivery runs with the first one's outcome, applying it once", async () => {
    let entered = 0;
    let release!: () => void;
    const bothIn = new Promise<void>((r) => (release = r));
    const slow = defineCommand({
      id: 'slow',
      aliases: ['慢'],
      roles: 'any',
      help: { summary: '测试', usage: '慢', examples: [] },
      async handle(ctx) {
        const run = ++entered;
        if (run === 2) release();
        await bothIn; // both deliveries are inside the handler before either commits
        ctx.tx.hset(`${ctx.deps.keys.ns}:{test}:slow`, `run${run}`, '1');
        return { text: `好了 ${run}` };
      },
    });
    const b = new Bot(deps, new Registry([slow]));
    const first = b.handle(text('r1', 'c1', '慢'));
    const second = b.handle(text('r1', 'c1', '慢'));
    expect(await first).toEqual({ reply: { text: '好了 1' }, duplicate: false });
    expect(await second).toEqual({ reply: { text: '好了 1' }, duplicate: true });
    expect(await t.redis.hgetall(`${t.keys.ns}:{test}:slow`)).toEqual({ run1: '1' });
  });

  it('commits the messages with the update: a queue failure leaves them in the relay stream, and the sweep queues them', async () => {
    const failing = { enqueue: async () => Promise.reject(new Error('queue down')) };
    const broken = new Bot({ ...deps, outbox: failing }, new Registry([mark]));
    expect(await broken.handle(text('q1', 'c1', '标记 queued'))).toEqual({
      reply: { text: '已标记 queued' },
      duplicate: false,
    });
    await broken.idle();
    const stream = t.keys.relay();
    expect(await t.redis.xlen(stream)).toBe(1);
    const { outbox } = fresh();
    expect(await new Relay({ redis: t.redis, keys: t.keys, outbox, log: deps.log, minAgeMs: 0 }).sweep()).toBe(1);
    expect(outbox.queued.map((m) => m.key)).toEqual(['mark:q1']);
    expect(await t.redis.xlen(stream)).toBe(0);
  });

  it('drops the relay entry once the messages are queued, and a young entry is left to its own hand-off', async () => {
    const { bot, outbox } = fresh();
    await bot.handle(text('q2', 'c1', '标记 handed'));
    expect(outbox.queued.map((m) => m.key)).toEqual(['mark:q2']);
    await bot.idle();
    expect(await t.redis.xlen(t.keys.relay())).toBe(0);
    await t.redis.xadd(t.keys.relay(), '*', 'm', JSON.stringify([{ key: 'young' }]));
    expect(await new Relay({ redis: t.redis, keys: t.keys, outbox, log: deps.log }).sweep()).toBe(0);
    expect(await t.redis.xlen(t.keys.relay())).toBe(1);
    await t.redis.del(t.keys.relay());
  });

  it('a relay entry the queue refuses stays for the next sweep without holding up the others', async () => {
    const stream = t.keys.relay();
    await t.redis.xadd(stream, '*', 'm', JSON.stringify([{ key: 'bad' }]));
    await t.redis.xadd(stream, '*', 'm', JSON.stringify([{ key: 'good' }]));
    const queued: string[] = [];
    const picky = {
      enqueue: async (ms: { key: string }[]) => {
        if (ms.some((m) => m.key === 'bad')) throw new Error('refused');
        queued.push(...ms.map((m) => m.key));
      },
    };
    const relay = new Relay({ redis: t.redis, keys: t.keys, outbox: picky, log: deps.log, minAgeMs: 0 });
    expect(await relay.sweep()).toBe(1);
    expect(queued).toEqual(['good']);
    expect((await t.redis.xrange(stream, '-', '+')).map(([, f]) => f[1])).toEqual([JSON.stringify([{ key: 'bad' }])]);
    await t.redis.del(stream);
  });

  it('a failed commit is a CommitError that applies nothing, and the retry commits once', async () => {
    const refusing = new Proxy(t.redis, {
      get(target, prop, receiver) {
        if (prop === 'evalsha' || prop === 'eval') return async () => Promise.reject(new Error('commit refused'));
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const broken = new Bot({ ...deps, redis: refusing }, new Registry([mark]));
    const err = (await broken.handle(text('lk1', 'c1', '标记 locked')).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(CommitError);
    expect((err.cause as Error).message).toBe('commit refused');
    expect(await marks()).not.toHaveProperty('lk1');
    const { bot } = fresh();
    expect(await bot.handle(text('lk1', 'c1', '标记 locked'))).toEqual({
      reply: { text: '已标记 locked' },
      duplicate: false,
    });
    expect(await marks()).toMatchObject({ lk1: 'locked' });
  });
});

describe('optimistic concurrency', () => {
  it('runs an update again when a record it read changed before its commit', async () => {
    const key = `${t.keys.ns}:{test}:claims`;
    let readers = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    const claim = defineCommand({
      id: 'claim',
      aliases: ['领取'],
      roles: 'any',
      help: { summary: '测试', usage: '领取', examples: [] },
      async handle(ctx) {
        const holder = await ctx.deps.redis.hget(key, 'x');
        if (++readers === 2) release();
        await bothRead; // both deliveries have read "nobody" before either commits
        if (holder) refuse('claimed', `已被${holder}领取`);
        ctx.tx.expect(key, 'x', null).hset(key, 'x', ctx.person.userid);
        return { text: '领取成功' };
      },
    });
    const b = new Bot(deps, new Registry([claim]));
    const [one, two] = await Promise.all([b.handle(text('cc1', 'c1', '领取')), b.handle(text('cc2', 'org1', '领取'))]);
    const texts = [one.reply?.text, two.reply?.text].sort();
    const winner = await t.redis.hget(key, 'x');
    expect(texts).toEqual(['已被' + winner + '领取', '领取成功'].sort());
  });
});

describe('the roster an update runs on', () => {
  it('runs an update again on the new roster when another process imported one after this one last checked', async () => {
    const { bot, deps: own } = fresh();
    // This process has checked the roster lately: the next update runs on its cached copy at once.
    await own.roster.get();
    expect(own.roster.current()).toBeDefined();
    // Another process (its own store) adds a cadre; this process's copy does not know them yet.
    const other = new RosterStore(t.redis, t.keys);
    const added = { ...roster.cadres[0]!, userid: 'c-new', name: '新来的' };
    await other.replace({ ...roster, cadres: [...roster.cadres, added] });
    try {
      const r = await bot.handle(text('rv1', 'c-new', '／标记　到岗'));
      // The first run found nobody (old copy); its commit expected the old version, so it ran again on the new.
      expect(r.reply).toEqual({ text: '已标记 到岗' });
      expect(await marks()).toMatchObject({ rv1: '到岗' });
    } finally {
      await other.replace(roster);
    }
  });

  it('answers a duplicate with the committed reply even when the update already ran on the cached roster', async () => {
    const { bot, deps: own, outbox } = fresh();
    await own.roster.get();
    const first = await bot.handle(text('rv2', 'c1', '／标记　一次'));
    const again = await bot.handle(text('rv2', 'c1', '／标记　两次'));
    expect(again).toEqual({ reply: first.reply, duplicate: true });
    expect(await marks()).toMatchObject({ rv2: '一次' });
    expect(outbox.queued.map((m) => m.key)).toEqual(['mark:rv2', 'mark:rv2']);
  });

  it('answers a duplicate with the committed reply even when running it again fails', async () => {
    const { bot, deps: own } = fresh();
    await own.roster.get();
    const first = await bot.handle(text('rv3', 'c1', '／标记　一次'));
    // The duplicate runs before its commit would find the record: a failure of that run does not hide it.
    crashNext = true;
    const again = await bot.handle(text('rv3', 'c1', '／标记　一次'));
    expect(crashNext).toBe(false);
    expect(again).toEqual({ reply: first.reply, duplicate: true });
  });
});

describe('privacy', () => {
  it('refuses a private command in a group chat and runs it in the one-to-one chat', async () => {
    const secret = defineCommand({
      id: 'secret',
      aliases: ['我的秘密'],
      roles: 'any',
      privateOnly: true,
      help: { summary: '测试', usage: '我的秘密', examples: [] },
      async handle() {
        return { text: '只给您看' };
      },
    });
    const b = new Bot(deps, new Registry([secret]));
    const inGroup = await b.handle({
      ...text('p1', 'c1', '我的秘密'),
      chatType: 'group',
      chatId: 'g1',
      channel: 'bot',
    });
    expect(inGroup.reply?.text).toContain('只在与本助手的单聊中回复');
    expect((await b.handle(text('p2', 'c1', '我的秘密'))).reply).toEqual({ text: '只给您看' });
  });
});

describe('Registry', () => {
  it('refuses duplicate aliases at start', () => {
    expect(() => new Registry([mark, { ...orgOnly, id: 'x', aliases: ['MARK'.toLowerCase()] }])).toThrow(
      /already used/,
    );
  });
});
