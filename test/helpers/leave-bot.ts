/**
 * The one leave-bot builder: a `testBot` with the leave commands on the sample roster and the leave repository,
 * plus what the leave tests check with (a recording logger, a snapshot of the namespace's data so a refusal can
 * be shown to change nothing).
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
import { Registry } from '../../src/core/registry.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import type { Logger } from '../../src/log.js';
import type { Policy } from '../../src/policy/policy.js';
import { testBot } from './bot.js';
import type { TestRedis } from './redis.js';

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
  const log = pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { log, lines };
}

/** A bot with the leave commands (or `registry`), its clock at `start`, and the leave repository as `repo`. */
export function leaveBot(
  t: TestRedis,
  start: string,
  opts: { registry?: Registry; log?: Logger; policy?: Policy } = {},
) {
  const b = testBot(t, { commands: opts.registry ?? leaveRegistry(), start, log: opts.log, policy: opts.policy });
  return { ...b, repo: new LeaveRepo(t.redis, t.keys) };
}

/** Every key of the namespace but the per-update records, with its serialised value. */
export async function dataSnapshot(t: TestRedis): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const keys = await t.redis.keys(`${t.keys.ns}:*`);
  for (const key of keys.sort()) {
    // Per-update records (the outcome kept for retries, the relay of committed messages on their way to the
    // queue), and the questions the bot waits on (conversation, not data: a refusal may ask one).
    if (/:(seen|busy):|:questions$|:relay$/.test(key)) continue;
    out[key] = (await t.redis.dumpBuffer(key))?.toString('hex') ?? '';
  }
  return out;
}
