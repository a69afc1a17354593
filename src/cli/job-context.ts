/**
 * The job context a subcommand runs job steps with (`zhucun jobs run`, the retention step of `zhucun restore`):
 * the deployment's store, the rules from the same environment as the server, the system clock, and the policy
 * following the dated history as the server's does (the version in force on the day a step runs).
 */
import { systemClock } from '../core/clock.js';
import type { OutboxPort } from '../core/outbox-port.js';
import { bindPolicy, PolicyBook, PolicyHistory } from '../policy/history.js';
import { createRepos } from '../repos.js';
import type { JobContext } from '../schedule/job.js';
import type { CliIO, CliStore } from './io.js';
import { loadRules } from './options.js';

/** A context on `conn` sending through `outbox`, with `extra` (WeCom client, alerts, …) laid over. */
export async function cliJobContext(
  conn: CliStore,
  io: CliIO,
  outbox: OutboxPort,
  extra: Partial<JobContext> = {},
): Promise<JobContext> {
  const { policy, calendar } = await loadRules(io.env);
  const { redis, keys, roster } = conn;
  const ctx: JobContext = {
    redis,
    keys,
    repos: createRepos(redis, keys),
    clock: systemClock,
    log: io.log,
    roster,
    outbox,
    policy,
    calendar,
    ...extra,
  };
  return bindPolicy(ctx, new PolicyBook(await new PolicyHistory(redis, keys).versions(), policy));
}
