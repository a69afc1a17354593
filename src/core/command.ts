/**
 * The declarative shape of a command (Hubot CommandBus style): id, Chinese aliases first, who may use it, help
 * text from templates/, an argument parser and the handler. `帮助` and usage errors are generated from these.
 */
import type { Logger } from '../log.js';
import type { Tx } from '../redis/tx.js';
import type { Repos } from '../repos.js';
import type { Person, Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import type { Deps } from './deps.js';
import type { Outbound } from './outbound.js';
import type { Question } from './questions.js';
import type { Reply } from './reply.js';
import type { CommandHelp } from '../kit/command-help.js';
import type { Role } from '../kit/roles.js';
import type { CommandCatalog } from './types.js';
import type { Update, UpdateKind } from './update.js';

export type { CommandHelp };

export interface Context {
  update: Update;
  person: Person;
  roster: Roster;
  /** The domain clock's "now", read once per update. */
  now: Date;
  deps: Deps;
  /** All commands (for `帮助`). */
  registry: CommandCatalog;
  /** The repositories: reads, and writes staged in `tx`. */
  repos: Repos;
  /** Writes to commit with the update's de-duplication record. */
  tx: Tx;
  log: Logger;
  /** Queue an outbound message; it is handed to the outbox only after the commit. */
  send(message: Outbound): void;
  readonly outbound: Outbound[];
  /**
   * The question the bot asked this person in this chat and still waits on, if any (see `followUp`): for an
   * answer, the question being answered; for a card click, what was asked when the card was sent.
   */
  readonly pending?: Question;
  /**
   * Ask a question with this reply: the person's next message in this chat (unless it is a command of its
   * own) re-runs `command` with `${keep} ${answer}`, within the policy's `conversation.questionMinutes`.
   */
  ask(command: string, keep: string): void;
}

/** A person on the roster who holds a cadre record. */
export type CadrePerson = Person & { cadre: Cadre };

/** The context of a command only cadres may run: the role middleware has checked the cadre record. */
export interface CadreContext extends Context {
  person: CadrePerson;
}

/** Roles only a cadre holds (a team leader is a cadre who leads the township's work group). */
export type CadreRole = 'cadre' | 'team-leader';
const CADRE_ROLES: readonly Role[] = ['cadre', 'team-leader'] satisfies CadreRole[];

/** The context a command with these `roles` gets: a cadre context when only cadres may run it. */
export type ContextFor<R extends readonly Role[] | 'any'> = [R] extends [readonly CadreRole[]] ? CadreContext : Context;

/** What recognising a free sentence may read: the county's policy. A handler's Context is one. */
export interface RecogniseContext {
  readonly deps: Pick<Deps, 'policy'>;
}

/**
 * The specification of a command. `C` is the context its parser and handler get: `CadreContext` when `roles`
 * names only cadre roles (`defineCommand` works that out from `roles`), otherwise `Context`.
 */
export interface CommandSpec<A = string, C extends Context = Context> {
  id: string;
  /** Words that start the command, Chinese first (`签到`, `打卡`, …). Matched longest first. */
  aliases: string[];
  /** Roles allowed to run it; `any` = anyone on the roster. Only cadre roles: the handler gets a CadreContext. */
  roles: readonly Role[] | 'any';
  help: CommandHelp;
  /** Hidden from `帮助` (card-button actions, replies such as `收到`). */
  hidden?: boolean;
  /**
   * Answers with one person's names or figures, so it runs only in the one-to-one chat: in a group chat the
   * core refuses it (a group sees totals only; docs/rules.md, 减轻负担).
   */
  privateOnly?: boolean;
  /**
   * A refusal of this command is a question: its sentence asks for what is missing, and the person's next
   * message in the same chat (unless it is a command of its own) runs the command again with what was written
   * so far and the answer (`${keep} ${answer}`). Only a refusal whose context carries `keep` (a string) asks;
   * any other refusal of the command is final. The question lapses after the policy's `conversation.questionMinutes`,
   * and 取消/算了 drops it.
   */
  followUp?: boolean;
  /**
   * What `帮助` shows a person who holds no cadre role, for a command open to everyone whose cadre half they
   * cannot use (`汇报`: cadres file reports, supervisors read them). Default: `help`.
   */
  supervisorHelp?: CommandHelp;
  /**
   * Short answers this command takes while its question waits, before any command's word: 好的 answers "要作为工作
   *汇报提交吗？" rather than acknowledging an announcement.
   */
  answers?: (text: string) => boolean;
  /** Turn the text after the alias into arguments; throw a BotError for a usage error. Default: the text. */
  parse?: (rest: string, ctx: C) => A | Promise<A>;
  /**
   * Recognise a free-form sentence that does not start with an alias (`明天请一天病假 感冒`) by the county's
   * policy. Returns the text to hand to `parse`, or undefined.
   */
  recognise?: (text: string, ctx: RecogniseContext) => string | undefined;
  /** Non-text updates this command takes (e.g. `location` for check-in). */
  kinds?: UpdateKind[];
  /**
   * Of the non-text updates of its `kinds`, those this command takes (default: all): a location from a visiting
   * leader goes to the visit, a cadre's to the check-in. The first command in the registry that takes it wins.
   */
  takes?: (update: Update, who: { person?: Person; roster?: Roster }) => boolean;
  /**
   * Whom `帮助` lists the command for, beyond `roles` (default: everyone `roles` allows): a command open to
   * people by what the roster says of them (a village's contacts) rather than by a role.
   */
  usableBy?: (person: Person, roster: Roster) => boolean;
  /**
   * For someone `roles` refuses: a sentence pointing them to the command meant for them (a sending unit's leader
   * asking for `全县考勤` is shown `本单位情况`), or undefined for the generic refusal.
   */
  pointer?: (person: Person, roster: Roster) => string | undefined;
  /** Card-button actions (`EventKey` prefix before the colon) this command takes. */
  actions?: string[];
  /** The answer, or null for an update that gets none (e.g. an automatic location report that changes nothing). */
  handle(ctx: C, args: A): Promise<Reply | null>;
}

/**
 * Declare a command in a handler file. The argument type comes from `parse`, and the context type from `roles`:
 * `roles: ['cadre']` hands the handler a context whose `person.cadre` is there.
 */
export function defineCommand<A = string, const R extends readonly Role[] | 'any' = readonly Role[] | 'any'>(
  spec: CommandSpec<A, ContextFor<R>> & { roles: R },
): CommandSpec<A, ContextFor<R>> {
  return spec;
}

/** True when only cadres may run the command, so its handler is given a CadreContext. */
export function requiresCadre(spec: { roles: readonly Role[] | 'any' }): boolean {
  return spec.roles !== 'any' && spec.roles.every((r) => CADRE_ROLES.includes(r));
}

/** True when the context's person holds a cadre record. */
export function isCadreContext(ctx: Context): ctx is CadreContext {
  return ctx.person.cadre !== undefined;
}
