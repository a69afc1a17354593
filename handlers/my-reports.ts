import { defineCommand } from '../src/core/command.js';
import * as T from '../templates/reports.js';

/** How many reports `我的汇报` lists. */
const LIST_LIMIT = 10;

/** `我的汇报`: the cadre's latest reports with their numbers, for reference and for `修改汇报`. */
export default defineCommand({
  id: 'my-reports',
  aliases: ['我的汇报', '我的日志'],
  roles: ['cadre'],
  help: T.help.myReports,
  privateOnly: true,
  async handle(ctx) {
    const all = await ctx.repos.reports.ofUser(ctx.person.userid);
    return { text: T.myReports(all.slice(0, LIST_LIMIT), all.length, ctx.deps.policy.reports.editHours) };
  },
});
