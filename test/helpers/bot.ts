/**
 * The one way tests build a bot: the core's real `Bot` on real Redis (the file's own namespace), a `TestClock`
 * the test moves, an outbox that records what would be sent, and short-hands that build updates exactly as the
 * WeCom edge does (text in the one-to-one chat, text to the robot in a group, a card button click).
 */
import { Bot } from '../../src/core/bot.js';
import type { Deps } from '../../src/core/deps.js';
import type { OutboxPort } from '../../src/core/outbox-port.js';
import { Registry } from '../../src/core/registry.js';
import type { Reply } from '../../src/core/reply.js';
import type { Update } from '../../src/core/update.js';
import type { HolidayCalendar } from '../../src/calendar/calendar.js';
import type { Logger } from '../../src/log.js';
import type { Policy } from '../../src/policy/policy.js';
import type { RosterData } from '../../src/roster/schema.js';
import { TestClock } from './clock.js';
import { RecordingOutbox, sampleRosterData, testDeps } from './deps.js';
import type { TestRedis } from './redis.js';

/** The sample roster's group chat of 新田乡 (the smart robot is in it). */
export const SAMPLE_GROUP = 'wrkSFfCgAAxTn4Qb7LmRzK2d';

export interface TestBotOptions {
  /** The commands the bot knows: a registry, or the specs to build one from. */
  commands: Registry | ConstructorParameters<typeof Registry>[0];
  /** Where the clock starts (default TEST_START); ignored when `clock` is given. */
  start?: Date | string | number;
  clock?: TestClock;
  outbox?: OutboxPort;
  log?: Logger;
  policy?: Policy;
  calendar?: HolidayCalendar;
  /** Prefix of the generated update ids, so a file with several bots never replays another's updates. */
  idPrefix?: string;
}

export interface TestBot<O extends OutboxPort = RecordingOutbox> {
  bot: Bot;
  deps: Deps;
  clock: TestClock;
  outbox: O;
  /** Store a roster (the sample roster unless given). Call it in `beforeAll`. */
  setup(roster?: RosterData): Promise<void>;
  /** A fresh update id. */
  nextId(): string;
  /** A one-to-one text from `userId` at the clock's time; the reply. */
  say(userId: string, text: string): Promise<Reply | null>;
  /** As `say`, the reply's text ('' for no reply). */
  ask(userId: string, text: string): Promise<string>;
  /** A text to the smart robot in a group chat (the sample 新田乡 group unless given); the reply. */
  sayInGroup(userId: string, text: string, chatId?: string): Promise<Reply | null>;
  /** A click on a template card's button; the reply. */
  click(userId: string, key: string, taskId: string): Promise<Reply | null>;
}

/** Build a bot for a test file; see `TestBot`. One per file is the rule (update ids count per bot). */
export function testBot<O extends OutboxPort = RecordingOutbox>(
  t: TestRedis,
  opts: TestBotOptions & { outbox?: O },
): TestBot<O> {
  const clock = opts.clock ?? new TestClock(opts.start);
  const outbox = (opts.outbox ?? new RecordingOutbox()) as O;
  const base = testDeps(t, { clock, outbox, policy: opts.policy, calendar: opts.calendar });
  const deps: Deps = opts.log ? { ...base, log: opts.log } : base;
  const bot = new Bot(deps, opts.commands instanceof Registry ? opts.commands : new Registry(opts.commands));
  let n = 0;
  const nextId = () => `${opts.idPrefix ?? 'u'}${++n}`;
  const say = async (userId: string, text: string) =>
    (await bot.handle(textUpdate(nextId(), userId, text, clock.now()))).reply;
  return {
    bot,
    deps,
    clock,
    outbox,
    setup: async (roster = sampleRosterData()) => {
      await deps.roster.replace(roster);
    },
    nextId,
    say,
    ask: async (userId, text) => (await say(userId, text))?.text ?? '',
    sayInGroup: async (userId, text, chatId = SAMPLE_GROUP) =>
      (await bot.handle(groupUpdate(nextId(), userId, text, clock.now(), chatId))).reply,
    click: async (userId, key, taskId) =>
      (await bot.handle(clickUpdate(nextId(), userId, key, taskId, clock.now()))).reply,
  };
}

/** A text in the one-to-one chat with the app (自建应用). */
export function textUpdate(id: string, userId: string, text: string, time: Date): Update {
  return { id, channel: 'app', userId, chatType: 'single', kind: 'text', text, time };
}

/** A text to the smart robot in a group chat (after the @-mention is stripped). */
export function groupUpdate(id: string, userId: string, text: string, time: Date, chatId = SAMPLE_GROUP): Update {
  return { id, channel: 'bot', userId, chatId, chatType: 'group', kind: 'text', text, time };
}

/** A click on a button of a template card (`button_interaction`), as the app callback reports it. */
export function clickUpdate(id: string, userId: string, key: string, taskId: string, time: Date): Update {
  return {
    id,
    channel: 'app',
    userId,
    chatType: 'single',
    kind: 'event',
    event: { type: 'template_card_event', key, taskId, responseCode: `rc-${id}`, cardType: 'button_interaction' },
    time,
  };
}
