/**
 * The help text of a command, as templates/ write it and `帮助` shows it. A leaf type so that templates need not
 * import the command engine to describe a command.
 */
export interface CommandHelp {
  /** One line: what the command does. */
  summary: string;
  /** How to write it, e.g. `请假 类型 日期 事由`. */
  usage: string;
  examples: string[];
}
