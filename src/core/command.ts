/**
 * The declarative shape of a command (Hubot CommandBus style): id, Chinese aliases first, who may use it, help
 * text from templates/, an argument parser and the handler. `帮助` and usage errors are generated from these.
 */
import type { Logger } from '../log.js';
import type { Tx } from '../redis/tx.js';
import type { Repos } from '../repos.js';
import type { Person, Roster } from '../roster/roster.js';
import type { Deps } from './deps.js';
import type { Outbound } from './outbound.js';
import type { Registry } from './registry.js';
import type { Reply } from './reply.js';
import type { Role } from './roles.js';
import type { Update, UpdateKind } from './update.js';

export interface CommandHelp {
  /** One line: what the command does. */
  summary: string;
  /** How to write it, e.g. `请假 类型 日期 事由`. */
  usage: string;
  examples: string[];
}

export interface Context {
  update: Update;
  person: Person;
  roster: Roster;
  /** The domain clock's "now", read once per update. */
  now: Date;
  deps: Deps;
  /** All commands (for `帮助`). */
  registry: Registry;
  /** The repositories: reads, and writes staged in `tx`. */
  repos: Repos;
  /** Writes to commit with the update's de-duplication record. */
  tx: Tx;
  log: Logger;
  /** Queue an outbound message; it is handed to the outbox only after the commit. */
  send(message: Outbound): void;
  readonly outbound: Outbound[];
}

export interface CommandSpec<A = string> {
  id: string;
  /** Words that start the command, Chinese first (`签到`, `打卡`, …). Matched longest first. */
  aliases: string[];
  /** Roles allowed to run it; `any` = anyone on the roster. */
  roles: readonly Role[] | 'any';
  help: CommandHelp;
  /** Hidden from `帮助` (card-button actions, replies such as `收到`). */
  hidden?: boolean;
  /**
   * Answers with one person's names or figures, so it runs only in the one-to-one chat: in a group chat the
   * core refuses it (a group sees totals only; domain.md, burden and privacy).
   */
  privateOnly?: boolean;
  /** Turn the text after the alias into arguments; throw a BotError for a usage error. Default: the text. */
  parse?: (rest: string, ctx: Context) => A | Promise<A>;
  /**
   * Recognise a free-form sentence that does not start with an alias (`明天请一天病假 感冒`). Returns the text
   * to hand to `parse`, or undefined.
   */
  recognise?: (text: string) => string | undefined;
  /** Non-text updates this command takes (e.g. `location` for check-in). */
  kinds?: UpdateKind[];
  /** Card-button actions (`EventKey` prefix before the colon) this command takes. */
  actions?: string[];
  handle(ctx: Context, args: A): Promise<Reply>;
}

/** Helper for type inference in handler files. */
export function defineCommand<A = string>(spec: CommandSpec<A>): CommandSpec<A> {
  return spec;
}
