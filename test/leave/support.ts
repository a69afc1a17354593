/**
 * A bot with the leave commands on the sample roster, a clock the test moves, and helpers to build updates and
 * to snapshot the namespace's data (everything but the de-duplication records) so a refusal can be shown to
 * change nothing.
 */
import { pino } from 'pino';
import backfill from '../../handlers/backfill.js';
import { confirmBackfill, rejectBackfill } from '../../handlers/backfill-decide.js';
import help from '../../handlers/help.js';
import leave from '../../handlers/leave.js';
import { approveLeave, rejectLeave } from '../../handlers/leave-decide.js';
import leaveReturn from '../../handlers/leave-return.js';
import leaveWithdraw from '../../handlers/leave-withdraw.js';
import myLeave from '../../handlers/my-leave.js';
import { Bot } from '../../src/core/bot.js';
import type { Clock } from '../../src/core/clock.js';
import { Registry } from '../../src/core/registry.js';
import type { Update } from '../../src/core/update.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import type { Logger } from '../../src/log.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import type { TestRedis } from '../helpers/redis.js';

export class MovableClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
  set(iso: string): void {
    this.at = new Date(iso);
  }
}

export function leaveRegistry(): Registry {
  return new Registry([help, leave, approveLeave, rejectLeave, leaveWithdraw, leaveReturn, myLeave]);
}

/** The leave commands and the back-fill ones, which share the approvers' inbox and the cadre's days. */
export function leaveAndBackfillRegistry(): Registry {
  return new Registry([...leaveRegistry().specs, backfill, confirmBackfill, rejectBackfill]);
}

/** A logger that keeps every line (as parsed JSON), for tests that check what is logged. */
export function recordingLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

export function leaveBot(t: TestRedis, start: string, opts: { registry?: Registry; log?: Logger } = {}) {
  const clock = new MovableClock(new Date(start));
  const outbox = new RecordingOutbox();
  const deps = { ...testDeps(t, { clock, outbox }), ...(opts.log ? { log: opts.log } : {}) };
  const bot = new Bot(deps, opts.registry ?? leaveRegistry());
  const repo = new LeaveRepo(t.redis, t.keys);
  let n = 0;
  const nextId = () => `u${++n}`;
  return {
    clock,
    outbox,
    deps,
    bot,
    repo,
    setup: () => deps.roster.replace(sampleRosterData()),
    say: async (userId: string, text: string) => (await bot.handle(textUpdate(nextId(), userId, text, clock.now()))).reply,
    sayInGroup: async (userId: string, text: string) => (await bot.handle(groupUpdate(nextId(), userId, text, clock.now()))).reply,
    click: async (userId: string, key: string, taskId: string) =>
      (await bot.handle(clickUpdate(nextId(), userId, key, taskId, clock.now()))).reply,
  };
}

export function textUpdate(id: string, userId: string, text: string, time: Date): Update {
  return { id, channel: 'app', userId, chatType: 'single', kind: 'text', text, time };
}

/** A text to the smart robot in a group chat (after the @-mention is stripped). */
export function groupUpdate(id: string, userId: string, text: string, time: Date): Update {
  return { id, channel: 'bot', userId, chatId: 'wrkSFfCgAAxTn4Qb7LmRzK2d', chatType: 'group', kind: 'text', text, time };
}

export function clickUpdate(id: string, userId: string, key: string, taskId: string, time: Date): Update {
  return {
    id,
    channel: 'app',
    userId,
    chatType: 'single',
    kind: 'event',
    event: { type: 'template_card_event', key, taskId, responseCode: `rc-${id}`, cardType: 'button_interaction' },
    time,
  };
}

/** Every key of the namespace but the per-update records, with its serialised value. */
export async function dataSnapshot(t: TestRedis): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const keys = await t.redis.keys(`${t.keys.ns}:*`);
  for (const key of keys.sort()) {
    if (/:(seen|busy):/.test(key)) continue;
    out[key] = (await t.redis.dumpBuffer(key))?.toString('hex') ?? '';
  }
  return out;
}
