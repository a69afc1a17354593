/**
 * `visit-due`: every morning, the sending units' leaders whose visiting obligation (docs/rules.md, 到村调研: the
 * main leader once a term, the deputy in charge once every half year) falls due within
 * `visits.remindDaysBefore` days (default 30) with no visit recorded are reminded privately. The message key
 * names the unit, the leader's place, the period and the person, so each obligation is reminded once however
 * often the job runs (and a reminder held back by the quiet hours goes out on a later morning of the window).
 */
import type { Outbound } from '../core/outbound.js';
import { localDate } from '../kit/dates.js';
import { Tx } from '../redis/tx.js';
import type { Job } from '../schedule/job.js';
import { policyCutOff } from '../schedule/windows.js';
import { dueSoon, obligations, type Obligation } from '../visits/obligations.js';
import { villagesOfUnit } from '../visits/visitors.js';
import { dueReminder } from '../../templates/visits.js';

export interface VisitDueItem {
  obligation: Obligation;
  name: string;
  villages: string[];
}

export interface VisitDueState {
  today: string;
  /** From the holiday calendar: true on an official day off, undefined when the year is not covered. */
  dayOff?: boolean;
  due: VisitDueItem[];
  /** Reminded obligations whose period is over: forgotten by this run. */
  ended: string[];
}

/** One obligation's reminder key, the same every day of its window. */
export const reminderKey = (o: Obligation) => `visit-due:${o.unit}:${o.as}:${o.period.start}:${o.userid}`;

/** The reminder of one obligation; its key is the same every day of the window. */
export function dueMessage(item: VisitDueItem, today: string): Outbound {
  const o = item.obligation;
  return {
    key: reminderKey(o),
    to: { kind: 'user', userIds: [o.userid] },
    body: {
      type: 'text',
      content: dueReminder({
        name: item.name,
        unit: o.unit,
        as: o.as,
        period: o.period,
        villages: item.villages,
        today,
      }),
    },
    purpose: 'reminder',
  };
}

export const visitDue: Job<VisitDueState> = {
  id: 'visit-due',
  policyJob: 'visitDue',
  summary: "remind sending units' leaders of a visit falling due (main leader a term, deputy a half year)",
  catchUpUntil: policyCutOff('visitDue'),

  async load(ctx, now) {
    const today = localDate(now);
    const roster = await ctx.roster.get();
    const units = (roster.data.sendingUnits ?? []).map((u) => u.name);
    const visits = await ctx.repos.visits.ofUnits(units);
    const { halfYear, remindDaysBefore } = ctx.policy.visits;
    const reminded = await ctx.redis.hgetall(ctx.keys.visitReminded());
    const due = dueSoon(obligations(roster, today, halfYear, visits), today, remindDaysBefore)
      .filter((o) => !(reminderKey(o) in reminded))
      .map((o) => ({
        obligation: o,
        name: roster.person(o.userid)?.name ?? o.userid,
        villages: villagesOfUnit(roster, o.unit).map((id) => roster.villages.get(id)?.name ?? id),
      }));
    const ended = Object.entries(reminded)
      .filter(([, end]) => end < today)
      .map(([key]) => key);
    return { today, dayOff: ctx.calendar.isDayOff(today), due, ended };
  },

  plan(_now, state) {
    // Not on an official day off (减负): the window lasts until the due date, so the next working day sends it.
    if (state.dayOff === true) return [];
    return state.due.map((item) => dueMessage(item, state.today));
  },

  // Each obligation is reminded once: remembered until its period ends, then forgotten.
  writes: {
    describe(_now, state) {
      return state.dayOff === true ? [] : state.due.map((d) => `mark ${reminderKey(d.obligation)} reminded`);
    },
    async apply(ctx, _now, state) {
      const key = ctx.keys.visitReminded();
      const tx = new Tx();
      if (state.dayOff !== true)
        for (const d of state.due) tx.hset(key, reminderKey(d.obligation), d.obligation.period.end);
      for (const field of state.ended) tx.hdel(key, field);
      await tx.commit(ctx.redis);
    },
  },
};
