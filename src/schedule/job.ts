/**
 * The shape of a scheduled job. A job reads what it needs (`load`, Redis and WeCom reads only), decides what
 * to say in a pure `plan(now, state)`, and leaves sending, the burden rules and once-only runs to the runner
 * (`runner.ts`). A job that changes data besides sending messages (the WeCom 打卡 sync) does it in `writes`,
 * whose `describe` is what `zhucun jobs run --dry-run` prints instead of writing.
 */
import type { Alerts } from '../alerts/alerts.js';
import type { Deps } from '../core/deps.js';
import type { Outbound } from '../core/outbound.js';
import type { JobName, Policy } from '../policy/policy.js';
import type { WecomApi } from '../wecom/api/client.js';

/**
 * Everything a job and its runner use from the outside world: the core's dependencies, plus the WeCom client
 * (without it the 打卡 sync has nothing to pull and says so). `checkinLink` is offered in the morning reminder.
 */
export type JobContext = Pick<
  Deps,
  'redis' | 'keys' | 'repos' | 'clock' | 'log' | 'roster' | 'outbox' | 'policy' | 'calendar'
> & {
  wecom?: Pick<WecomApi, 'call'>;
  checkinLink?: string;
  /** Operator alerts (failed and missed runs, the ops-watch and holiday-watch findings); absent: the log only. */
  alerts?: Alerts;
  /** The whole job table, for the ops-watch job's missed-slot check (the scheduler fills it in). */
  jobTable?: readonly AnyJob[];
  /** The folder the backup job writes its snapshots to (ZHUCUN_BACKUP_DIR); without it the job fails. */
  backupDir?: string;
};

/** Data changes a job makes besides messages. */
export interface JobWrites<S> {
  /** One line per change the run makes (or would make, in a dry run). Pure. */
  describe(now: Date, state: S): string[];
  apply(ctx: JobContext, now: Date, state: S): Promise<void>;
}

export interface Job<S> {
  /** Kebab-case id used on the command line and in Redis keys, e.g. `morning-remind`. */
  id: string;
  /** The policy's name for the job: its schedule is `policy.jobs[policyJob]`. */
  policyJob: JobName;
  /** One line for `zhucun jobs list`. */
  summary: string;
  /**
   * Until when a slot missed while every instance was down is still worth running on start, or null for
   * never (a morning reminder is pointless after noon; a digest an hour late is still useful). Jobs with a
   * cut-off in the policy (`catchUpUntil.<job>`) read it from `policy` (`policyCutOff`).
   */
  catchUpUntil(slot: Date, policy: Policy): Date | null;
  load(ctx: JobContext, now: Date): Promise<S>;
  /** Pure: the messages to send. Keys are deterministic per job, period and recipient. */
  plan(now: Date, state: S): Outbound[];
  writes?: JobWrites<S>;
}

/**
 * A job of any state type, as the job table holds them. The state only flows from a job's own `load` to its
 * own `plan`, so the table does not need to know it (the methods are declared as methods, so a `Job<S>` is
 * one of these).
 */
export type AnyJob = Job<unknown>;

/** Why a run happened: the cron fire, a slot caught up on start, or an operator's `zhucun jobs run`. */
export type { Dropped, RunResult, Trigger } from './run-result.js';
