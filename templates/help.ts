/** Help text of each command: what it does, how to write it, examples. Handlers import their entry. */
import type { CommandHelp } from '../src/core/command.js';

export const help = {
  help: { summary: '查看可用命令', usage: '帮助 [命令]', examples: ['帮助', '帮助 请假'] },
} satisfies Record<string, CommandHelp>;
