/** Who acted on the command line, for the audit trail. */
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';

/** `cli:<os user>@<host>`: the operating-system account that ran a `zhucun` subcommand, and where. */
export function cliActor(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // A uid without a passwd entry (some containers): the environment's name, else the number.
    user = process.env.USER || process.env.LOGNAME || String(process.getuid?.() ?? 'unknown');
  }
  return `cli:${user}@${hostname()}`;
}

/**
 * The id of an entry for a one-off action outside a chat update (an export on the command line or over the
 * admin API): each run is its own action, so the id only has to be unique.
 */
export function oneOffId(kind: string, ref: string): string {
  return `${kind}:${ref}:${randomUUID()}`;
}
