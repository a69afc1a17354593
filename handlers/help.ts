import { defineCommand } from '../src/core/command.js';
import { normaliseText } from '../src/kit/text.js';
import * as T from '../templates/common.js';
import { help } from '../templates/help.js';

/** `帮助`: generated from the command specs, filtered by what the asker may run. */
export default defineCommand({
  id: 'help',
  aliases: ['帮助', 'help', '菜单', '?'],
  roles: 'any',
  help: help.help,
  async handle(ctx, rest) {
    const visible = ctx.registry.visibleTo(ctx.person.roles, { person: ctx.person, roster: ctx.roster });
    const wanted = normaliseText(rest);
    if (wanted) {
      const spec = visible.find((s) => s.aliases.some((a) => normaliseText(a) === wanted));
      if (spec) return { text: T.helpOne(spec.aliases, spec.help) };
    }
    return { text: T.helpList(ctx.person.name, visible) };
  },
});
