import { monthWord } from '../src/attendance/query.js';
import { defineCommand } from '../src/core/command.js';
import { localDate } from '../src/kit/dates.js';
import { refuse } from '../src/core/errors.js';
import { loadRollup, rollupScope, unitsOf } from '../src/rollup/service.js';
import * as T from '../templates/rollup.js';

/**
 * `全县考勤` / `全县汇总` / `考勤汇总` / `汇总` [月份]: the attendance roll-up. The organisation department sees
 * the county by township and the cadres who need attention; a township supervisor the same for their own
 * township. In a group chat everyone gets totals only: names and figures of individuals never go into a group,
 * and townships side by side there would read as a ranking.
 */
export default defineCommand<string>({
  id: 'county-rollup',
  aliases: ['全县考勤', '全县汇总', '考勤汇总', '汇总'],
  roles: ['org', 'township'],
  // A sending unit's leader has a roll-up of their own: say which, rather than only "not for you".
  pointer: (person, roster) => (unitsOf(person, roster).length ? T.unitPointer : undefined),
  help: T.rollupHelp,
  parse(rest, ctx) {
    const today = localDate(ctx.now);
    const words = rest.split(/\s+/).filter(Boolean);
    if (words.length > 1) refuse('rollup_usage', T.tooManyWords);
    const month = words[0] === undefined ? today.slice(0, 7) : monthWord(words[0], today);
    if (month === undefined) refuse('rollup_usage', T.tooManyWords, { word: words[0] });
    if (month === 'bad') refuse('rollup_bad_month', T.badMonth, { word: words[0] });
    if (month > today.slice(0, 7)) refuse('rollup_future_month', T.futureMonth(month), { month });
    return month;
  },
  async handle(ctx, month) {
    const scope = rollupScope(ctx.person, ctx.roster);
    if (!scope.townships.length) refuse('rollup_no_scope', T.noScope);
    const rollup = await loadRollup(ctx.deps, ctx.roster, scope, month, ctx.now);
    const inGroup = ctx.update.chatType === 'group';
    const scopeName = scope.county
      ? T.COUNTY
      : scope.townships.map((id) => ctx.roster.townships.get(id)!.name).join('、');
    return { text: T.rollupReport(rollup, { scopeName, perTownship: !inGroup, names: !inGroup, inGroup }) };
  },
});
