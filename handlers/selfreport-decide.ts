import type { Backfill } from '../src/attendance/backfill.js';
import { backfillDecision, type BackfillStatus } from '../src/attendance/backfill-decision.js';
import { applyDecision } from '../src/attendance/review.js';
import { auditReview } from '../src/audit/review.js';
import { defineCommand, type Context } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import type { Reply } from '../src/core/reply.js';
import * as T from '../templates/selfreport.js';

/**
 * Confirming self-reported locations (policy `checkin.selfReported: confirm`): the buttons of the evening card
 * (`selfreport-all:<cut>` confirms every location listed on it, `selfreport-list:<cut>` lists them one by one)
 * and the typed `确认签到 姓名`, `驳回签到 姓名 原因`, `确认全部签到`. Each request is a back-fill of kind
 * `location`, decided by the same pure `backfillDecision` as a 补登: only its confirmers, the first decision wins.
 */

/** The locations waiting on this person, created no later than `cut` (the card's time, or now). */
async function waiting(ctx: Context, cut: Date): Promise<Backfill[]> {
  const list = await ctx.repos.backfills.waitingOn(ctx.person.userid);
  return list.filter((b) => b.kind === 'location' && Date.parse(b.createdAt) <= cut.getTime());
}

function view(ctx: Context, b: Backfill): T.PendingView {
  const cadre = ctx.roster.cadres.get(b.userId);
  return {
    no: b.no,
    name: cadre?.name ?? b.userId,
    village: cadre ? ctx.roster.villageOf(cadre).name : '',
    date: b.date,
    at: b.checkin?.at ?? b.createdAt,
    ...(b.checkin?.distanceM !== undefined ? { distanceM: b.checkin.distanceM } : {}),
    ...(b.checkin?.label ? { label: b.checkin.label } : {}),
  };
}

/** Decide every request of `list` the same way; a rejected cadre is told. Returns the ones decided. */
async function decideAll(ctx: Context, list: Backfill[], status: BackfillStatus, comment: string): Promise<Backfill[]> {
  const done: Backfill[] = [];
  for (const b of list) {
    const outcome = backfillDecision(b, ctx.person.userid, status, ctx.now, comment);
    if (!outcome.ok) continue;
    await applyDecision(ctx.repos, ctx.tx, b, outcome.decided);
    auditReview(ctx, b, outcome.decided);
    done.push(b);
    if (status === 'rejected') {
      ctx.send({
        key: `backfill:${b.no}:rejected`,
        to: { kind: 'user', userIds: [b.userId] },
        purpose: 'approval',
        body: { type: 'text', content: T.toCadreRejected(view(ctx, b), ctx.person.name, comment) },
      });
    }
  }
  ctx.log.info({ nos: done.map((b) => b.no), status }, 'self-reported locations decided');
  return done;
}

/** The card's time from a button key's argument (unix seconds); a broken one means now. */
function cutOf(ctx: Context, arg: string): Date {
  const s = Number(arg);
  return Number.isFinite(s) && s > 0 ? new Date(s * 1000) : ctx.now;
}

/** `确认签到 姓名` / `驳回签到 姓名 原因`: the requests of the cadre named (or numbered B…) waiting on this person. */
async function decideNamed(ctx: Context, status: BackfillStatus, rest: string): Promise<Reply> {
  const [who = '', ...words] = rest.trim().split(/\s+/).filter(Boolean);
  const list = await waiting(ctx, ctx.now);
  if (!who) {
    if (status === 'rejected') refuse('selfreport_name_needed', T.nameNeeded);
    return confirmEvery(ctx, list);
  }
  const mine = list.filter((b) => b.no === who.toUpperCase() || view(ctx, b).name === who || b.userId === who);
  if (!mine.length) refuse('selfreport_none_of', list.length ? T.noneOf(who) : T.nothingWaiting, { who });
  const done = await decideAll(ctx, mine, status, words.join(' '));
  const views = done.map((b) => view(ctx, b));
  return { text: status === 'confirmed' ? T.confirmed(views) : T.rejected(views) };
}

async function confirmEvery(ctx: Context, list: Backfill[]): Promise<Reply> {
  if (!list.length) return { text: T.nothingWaiting };
  const done = await decideAll(ctx, list, 'confirmed', '');
  return { text: T.confirmed(done.map((b) => view(ctx, b))) };
}

const roles = ['team-leader', 'township'] as const;

/** `确认签到 姓名` (no name: all of them). */
export const confirmSelfReport = defineCommand({
  id: 'selfreport-confirm',
  aliases: ['确认签到'],
  roles: [...roles],
  privateOnly: true,
  help: T.help.confirm,
  handle: (ctx, rest) => decideNamed(ctx, 'confirmed', rest),
});

/** `驳回签到 姓名 原因`. */
export const rejectSelfReport = defineCommand({
  id: 'selfreport-reject',
  aliases: ['驳回签到'],
  roles: [...roles],
  privateOnly: true,
  help: T.help.reject,
  handle: (ctx, rest) => decideNamed(ctx, 'rejected', rest),
});

/** `确认全部签到` and the card's 全部确认 button (`selfreport-all:<cut>`): every listed location counts. */
export const confirmAllSelfReports = defineCommand({
  id: 'selfreport-all',
  aliases: ['确认全部签到', '全部确认签到'],
  roles: [...roles],
  privateOnly: true,
  help: T.help.confirmAll,
  actions: ['selfreport-all'],
  async handle(ctx, rest) {
    const clicked = ctx.update.kind === 'event';
    const reply = await confirmEvery(ctx, await waiting(ctx, clicked ? cutOf(ctx, rest) : ctx.now));
    return clicked ? { ...reply, replaceButton: T.buttonDone.all } : reply;
  },
});

/** The card's 逐条处理 button (`selfreport-list:<cut>`): the listed locations one by one, with their words. */
export const listSelfReports = defineCommand({
  id: 'selfreport-list',
  aliases: [],
  roles: [...roles],
  hidden: true,
  help: T.help.confirm,
  actions: ['selfreport-list'],
  async handle(ctx, rest) {
    const list = (await waiting(ctx, cutOf(ctx, rest))).map((b) => view(ctx, b));
    const text = T.itemList(list);
    ctx.send({
      key: `selfreport-list:${ctx.person.userid}:${ctx.update.id}`,
      to: { kind: 'user', userIds: [ctx.person.userid] },
      purpose: 'approval',
      body: { type: 'text', content: text },
    });
    return { text, replaceButton: T.buttonDone.each };
  },
});
