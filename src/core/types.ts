/**
 * Types shared by the command spec and the registry. `Context` needs "the list of commands" for `帮助` and the
 * registry needs the command spec; typing the former by this narrow view keeps the two files free of a cycle.
 */
import type { CommandHelp } from '../kit/command-help.js';
import type { Role } from '../kit/roles.js';
import type { Person, Roster } from '../roster/roster.js';

/** What `帮助` shows of a command. */
export interface CommandListing {
  id: string;
  aliases: string[];
  help: CommandHelp;
}

/** The commands as a handler sees them: those a person may run (implemented by `Registry`). */
export interface CommandCatalog {
  /** With `who`, a command's `usableBy` is asked too. */
  visibleTo(roles: readonly Role[], who?: { person: Person; roster: Roster }): CommandListing[];
}
