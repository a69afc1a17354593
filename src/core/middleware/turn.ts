/**
 * The context that travels through the middleware chain. It is the handler's context in the making: the
 * known-person middleware adds the person and the roster, the route middleware the command; the same object
 * is then handed to the command's handler.
 */
import type { Person, Roster } from '../../roster/roster.js';
import type { Context } from '../command.js';
import type { BotError } from '../errors.js';
import type { Question } from '../questions.js';
import type { Match, Registry } from '../registry.js';
import type { Reply } from '../reply.js';

export interface Turn extends Omit<Context, 'person' | 'roster' | 'registry' | 'pending'> {
  /** The whole registry (routing needs `match`); a handler sees it only as the list of commands. */
  registry: Registry;
  person?: Person;
  roster?: Roster;
  /** The command the update asks for, once routed. */
  command?: Match;
  /** What to answer; null answers nothing. A middleware that answers sets it and does not call `next`. */
  reply: Reply | null;
  /** The question this person's chat waits on (set by the follow-up middleware). */
  pending?: Question;
  /** The question the command asked with its reply (`ctx.ask`). */
  asked?: Pick<Question, 'command' | 'keep'>;
  /** The refusal the command ended in, as the refusal middleware turned it into the reply. */
  refused?: BotError;
}

/** A turn whose writer is on the roster. */
export type PersonTurn = Turn & Pick<Context, 'person' | 'roster'>;

/** A turn routed to a command. */
export type CommandTurn = PersonTurn & { command: Match };

/** Guard for `when`: the writer is known. */
export function hasPerson(ctx: Turn): ctx is PersonTurn {
  return ctx.person !== undefined && ctx.roster !== undefined;
}

/** Guard for `when`: the update was routed to a command. */
export function hasCommand(ctx: PersonTurn): ctx is CommandTurn {
  return ctx.command !== undefined;
}
