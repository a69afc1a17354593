/**
 * The set of commands: refuses duplicate aliases and actions at start, finds the command for an update, and
 * lists what a person may run (for `帮助`).
 */
import type { CommandSpec, RecogniseContext } from './command.js';
import type { Role } from '../kit/roles.js';
import { normaliseText } from '../kit/text.js';
import type { CommandListing } from './types.js';
import type { Person, Roster } from '../roster/roster.js';
import type { Update } from './update.js';

// The registry stores specs of different argument and context types side by side; the role middleware checks
// what a spec's context type promises (a cadre record) before the spec runs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySpec = CommandSpec<any, any>;

export interface Match {
  spec: AnySpec;
  /** Text after the alias (or the recognised sentence), or the action's argument for a card click. */
  rest: string;
  /** Found by the spec's `recognise` (a free sentence), not by its word: it may be the answer to its question. */
  recognised?: boolean;
}

export class Registry {
  private readonly byAlias = new Map<string, AnySpec>();
  private readonly byAction = new Map<string, AnySpec>();
  private readonly ids = new Set<string>();
  private aliasesLongestFirst: string[] = [];

  constructor(readonly specs: AnySpec[]) {
    for (const spec of specs) {
      if (this.ids.has(spec.id)) throw new Error(`duplicate command id "${spec.id}"`);
      this.ids.add(spec.id);
      for (const alias of spec.aliases) {
        const a = normaliseText(alias);
        const other = this.byAlias.get(a);
        if (other) throw new Error(`alias "${alias}" of command "${spec.id}" is already used by "${other.id}"`);
        this.byAlias.set(a, spec);
      }
      for (const action of spec.actions ?? []) {
        const other = this.byAction.get(action);
        if (other) throw new Error(`action "${action}" of command "${spec.id}" is already used by "${other.id}"`);
        this.byAction.set(action, spec);
      }
    }
    this.aliasesLongestFirst = [...this.byAlias.keys()].sort((a, b) => b.length - a.length);
  }

  /** The command an update asks for, or undefined when nothing matches; free sentences are read by `ctx`'s policy. */
  match(update: Update, ctx: RecogniseContext & { person?: Person; roster?: Roster }): Match | undefined {
    if ((update.kind === 'text' || update.kind === 'mixed') && update.text !== undefined)
      return this.matchText(update.text, ctx);
    if (update.kind === 'event' && update.event?.key) {
      const [action, ...arg] = update.event.key.split(':');
      const spec = this.byAction.get(action!);
      return spec ? { spec, rest: arg.join(':') } : undefined;
    }
    const spec = this.specs.find((s) => s.kinds?.includes(update.kind) && (s.takes?.(update, ctx) ?? true));
    return spec ? { spec, rest: '' } : undefined;
  }

  /** The command a text asks for: by its first word, else by the first spec that recognises the sentence. */
  matchText(raw: string, ctx: RecogniseContext): Match | undefined {
    const text = normaliseText(raw);
    for (const alias of this.aliasesLongestFirst) {
      if (!text.startsWith(alias)) continue;
      const rest = text
        .slice(alias.length)
        .replace(/^[\s:,，。]+/, '')
        .trim();
      return { spec: this.byAlias.get(alias)!, rest };
    }
    for (const spec of this.specs) {
      const rest = spec.recognise?.(text, ctx);
      if (rest !== undefined) return { spec, rest, recognised: true };
    }
    return undefined;
  }

  /**
   * Commands this person may run and see in `帮助`, each with the help their roles need: someone without a
   * cadre role reads a command's `supervisorHelp` where it has one.
   */
  visibleTo(roles: readonly Role[], who?: { person: Person; roster: Roster }): CommandListing[] {
    const cadre = roles.includes('cadre') || roles.includes('team-leader');
    return this.specs
      .filter((s) => !s.hidden && allowed(s, roles) && (!s.usableBy || !who || s.usableBy(who.person, who.roster)))
      .map((s) => ({ id: s.id, aliases: s.aliases, help: (!cadre && s.supervisorHelp) || s.help }));
  }

  get(id: string): AnySpec | undefined {
    return this.specs.find((s) => s.id === id);
  }
}

/** Whether someone with these roles may run the command. */
export function allowed(spec: AnySpec, roles: readonly Role[]): boolean {
  return spec.roles === 'any' || spec.roles.some((r) => roles.includes(r));
}
