import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { localDate } from '../src/kit/dates.js';
import { loadPoints } from '../src/points/load.js';
import { pointsView, readHalf } from '../src/points/view.js';
import * as T from '../templates/points.js';

/**
 * `我的积分` [上半年|下半年|2026H2]: the cadre's own points of the current (or the named) half year, with the
 * events behind them. One person's figures: one-to-one chat only.
 */
export default defineCommand({
  id: 'my-points',
  aliases: ['我的积分'],
  roles: ['cadre'],
  privateOnly: true,
  help: T.help.mine,
  async handle(ctx, rest) {
    const today = localDate(ctx.now);
    const half = readHalf(rest, today);
    if (half === null) refuse('points_usage', T.mineUsage);
    const cadre = ctx.person.cadre;
    const [mine] = await loadPoints({ ...ctx.deps, repos: ctx.repos }, ctx.roster, [cadre], half, ctx.now);
    if (!mine) refuse('points_no_half', T.noHalf(rest.trim()));
    return { text: T.pointsDetail(pointsView(mine, ctx.roster, today), true) };
  },
});
