/**
 * `month-close`: from the policy's `monthly.closeDay` of a month on, closes the month before it once (关账): its
 * figures are stored with the policy version that applied and stay as they are (src/close/close.ts). Runs every
 * morning, so a close missed on its day is done the next; once closed, a run finds nothing to do.
 */
import { localDate } from '../kit/dates.js';
import type { Job } from '../schedule/job.js';
import { policyCutOff } from '../schedule/windows.js';
import { closeMonth, dueMonth } from '../close/close.js';
import { ClosedMonthStore, type ClosedMonth } from '../close/store.js';

export interface MonthCloseState {
  today: string;
  closeDay: number;
  /** The month due to be closed today, if any. */
  month?: string;
  /** How it was closed, when it is closed already. */
  closed?: ClosedMonth;
}

export const monthClose: Job<MonthCloseState> = {
  id: 'month-close',
  policyJob: 'monthClose',
  summary: 'close last month from monthly.closeDay on: its figures are then kept as they stand',
  catchUpUntil: policyCutOff('monthClose'),

  async load(ctx, now) {
    const today = localDate(now);
    const closeDay = ctx.policy.monthly.closeDay;
    const month = dueMonth(today, closeDay);
    const closed = month ? await new ClosedMonthStore(ctx.redis, ctx.keys).get(month) : undefined;
    return { today, closeDay, ...(month ? { month } : {}), ...(closed ? { closed } : {}) };
  },

  plan: () => [],

  writes: {
    describe(_now, s) {
      if (!s.month) return [`nothing to close: closing starts on day ${s.closeDay} of the month (today ${s.today})`];
      if (s.closed) return [`${s.month} is closed already (${s.closed.cadres} cadre(s), by ${s.closed.actor})`];
      return [`close ${s.month}: store every cadre's figures as they stand under the policy of its last day`];
    },

    async apply(ctx, now, s) {
      if (!s.month || s.closed) return;
      const result = await closeMonth(ctx, await ctx.roster.get(), s.month, { now, actor: 'job:month-close' });
      ctx.log.info(
        {
          job: 'month-close',
          month: s.month,
          status: result.status,
          cadres: result.meta.cadres,
          version: result.meta.version?.id,
        },
        result.status === 'closed' ? 'month closed' : 'month was closed already',
      );
    },
  },
};
