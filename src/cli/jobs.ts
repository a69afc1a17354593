/**
 * `zhucun jobs list [--now ISO] [--json]` shows each scheduled job with its schedule, next run and last run;
 * `zhucun jobs run ID [--now ISO] [--dry-run] [--json]` runs one job now, as the scheduler would, and prints
 * what it sends (recipients and text) and what the burden rules dropped. `--now` runs it as of another time
 * (Asia/Shanghai when the time has no offset); `--dry-run` sends, charges and writes nothing.
 * `zhucun jobs burden [--month YYYY-MM] [--now ISO] [--json]` prints the burden figures (减负) of a month
 * (default: the current one) from the push log, in Chinese for the county's officers: pushes by purpose, the
 * median per cadre and week, the daily budget, quiet hours, the reminders dropped, who got reminders on
 * weekends and days off, any reminder to a cadre on approved leave that day, and the reminders day by day.
 */
import { parseArgs } from 'node:util';
import { checkinStartLink } from '../checkin-page/links.js';
import { backupDir, hasAppCredentials, loadEnv } from '../config/env.js';
import { fixedClock, systemClock } from '../core/clock.js';
import { dayjs, localMonth, parseMonth, TZ } from '../kit/dates.js';
import type { Outbound } from '../core/outbound.js';
import { burdenFigures, type BurdenFigures } from '../jobs/burden-figures.js';
import { JOBS, findJob } from '../jobs/index.js';
import { Outbox } from '../outbox/outbox.js';
import { burdenReport, type BurdenView } from '../../templates/jobs.js';
import { RedisRunCoordinator } from '../schedule/coordinator.js';
import type { AnyJob, JobContext, RunResult } from '../schedule/job.js';
import { jobRows, scheduleOf } from '../schedule/registry.js';
import { JobRunner } from '../schedule/runner.js';
import { WecomApi } from '../wecom/api/client.js';
import { withOverrides } from '../policy/history.js';
import { Alerts } from '../alerts/alerts.js';
import { alertTargetFromEnv } from '../alerts/target.js';
import { printJson, UsageError, type CliIO } from './io.js';
import { parseNow } from './options.js';
import { openCliRedis } from './open.js';
import { cliJobContext } from './job-context.js';

/** What the subcommand needs from the caller: the jobs' context on the deployment's Redis, and how to close it. */
export interface JobsCliConnection {
  ctx: JobContext;
  close(): Promise<void>;
}

const USAGE = [
  'usage: zhucun jobs list [--now ISO] [--json]',
  '       zhucun jobs run ID [--now ISO] [--dry-run] [--json]',
  '       zhucun jobs burden [--month YYYY-MM] [--now ISO] [--json]',
].join('\n');

const DROP = { 'quiet-hours': 'quiet hours', budget: 'daily push budget used up' } as const;

/** `--now`: an ISO time; without an offset it is Asia/Shanghai time. */
const local = (iso: string | null | undefined) => (iso ? dayjs(iso).tz(TZ).format('YYYY-MM-DD HH:mm') : '-');

function bodyText(m: Outbound): string {
  const b = m.body;
  return b.type === 'text' || b.type === 'markdown'
    ? b.content
    : b.type === 'card'
      ? JSON.stringify(b.card)
      : `[${b.type}]`;
}

function recipients(m: Outbound): string[] {
  const to = m.to;
  return to.kind === 'user' || to.kind === 'card_update'
    ? to.userIds
    : to.kind === 'webhook'
      ? [`webhook ${to.keyEnv}`]
      : ['response_url'];
}

/** Run the subcommand; `open` gives the jobs' context (wired by `src/cli/main.ts`). */
export async function run(
  argv: string[],
  io: CliIO,
  open: () => Promise<JobsCliConnection>,
  jobs: readonly AnyJob[] = JOBS,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      now: { type: 'string' },
      'dry-run': { type: 'boolean' },
      month: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const [action, id, ...extra] = positionals;
  if (action !== 'list' && action !== 'run' && action !== 'burden')
    throw new UsageError(action ? `unknown action "${action}"\n${USAGE}` : USAGE);
  if (action === 'burden' && (id !== undefined || values['dry-run']))
    throw new UsageError(`burden takes no job id or --dry-run\n${USAGE}`);
  if (action !== 'burden' && values.month !== undefined)
    throw new UsageError(`--month goes with burden only\n${USAGE}`);
  if (values.month !== undefined) checkMonth(values.month);
  if (action === 'list' && (id !== undefined || values['dry-run']))
    throw new UsageError(`list takes no job id or --dry-run\n${USAGE}`);
  if (action === 'run' && (!id || extra.length)) throw new UsageError(`run needs exactly one job id\n${USAGE}`);
  const job = id === undefined ? undefined : findJob(id, jobs);
  if (action === 'run' && !job) throw new UsageError(`no job "${id}"; jobs: ${jobs.map((j) => j.id).join(', ')}`);
  const at = values.now === undefined ? undefined : parseNow(values.now);

  const conn = await open();
  try {
    // Copied with its getters: the policy is the version in force at --now.
    const ctx: JobContext = at ? withOverrides(conn.ctx, { clock: fixedClock(at) }) : conn.ctx;
    const runner = new JobRunner(ctx, new RedisRunCoordinator(ctx.redis, ctx.keys, ctx.clock, () => 0));
    if (action === 'list') return await list(io, ctx, runner, jobs, values.json ?? false);
    if (action === 'burden') {
      const figures = await burdenFigures(ctx, values.month ?? localMonth(ctx.clock.now()));
      if (values.json) printJson(io, figures);
      else io.out(burdenReport(await burdenView(ctx, figures)));
      return 0;
    }
    const result = await runner.runManual(job!, { dryRun: values['dry-run'] ?? false });
    if (values.json) printJson(io, toJson(result));
    else io.out(await describe(ctx, job!, result));
    return 0;
  } finally {
    await conn.close();
  }
}

async function list(
  io: CliIO,
  ctx: JobContext,
  runner: JobRunner,
  jobs: readonly AnyJob[],
  json: boolean,
): Promise<number> {
  const rows = jobRows(ctx.policy, jobs, ctx.clock.now());
  const last = await Promise.all(rows.map((r) => runner.lastRun(r.id)));
  if (json) {
    printJson(io, { jobs: rows.map((r, i) => ({ ...r, last: last[i] ?? null })) });
    return 0;
  }
  const lines = rows.map((r, i) => {
    const l = last[i];
    const lastText = l ? `${local(l.at)} (${l.trigger}, ${l.sent} sent, ${l.dropped} dropped)` : 'never';
    return [
      r.id.padEnd(15),
      (r.schedule ?? 'off').padEnd(16),
      `next ${local(r.next)}`.padEnd(22),
      `last ${lastText}`,
    ].join(' ');
  });
  io.out(`${lines.join('\n')}\n`);
  return 0;
}

function checkMonth(month: string): void {
  try {
    parseMonth(month);
  } catch {
    throw new UsageError(`--month: not a month: ${month} (e.g. 2026-11)`);
  }
}

/** The figures with people by name, for the text. */
async function burdenView(ctx: JobContext, f: BurdenFigures): Promise<BurdenView> {
  const roster = await ctx.roster.get();
  const name = (id: string) => roster.person(id)?.name ?? id;
  return {
    ...f,
    restDay: f.restDay.map((p) => ({ name: name(p.userId), reminders: p.reminders })),
    onLeave: f.onLeave.map((p) => ({ name: name(p.userId), date: p.date, key: p.key })),
  };
}

function toJson(r: RunResult) {
  return {
    job: r.jobId,
    at: r.at,
    dryRun: r.dryRun,
    messages: r.sent.map((m) => ({ key: m.key, to: recipients(m), purpose: m.purpose, text: bodyText(m) })),
    dropped: r.dropped,
    notes: r.notes,
  };
}

async function describe(ctx: JobContext, job: AnyJob, r: RunResult): Promise<string> {
  const roster = await ctx.roster.get();
  const who = (id: string) => {
    const p = roster.person(id);
    return p ? `${p.name} (${id})` : id;
  };
  const out = [`${job.id} at ${local(r.at)}${r.dryRun ? ' — dry run, nothing sent or written' : ''}`];
  if (!scheduleOf(ctx.policy, job)) out.push('(this job is off in the policy; run by hand)');
  for (const m of r.sent) {
    out.push(`→ ${recipients(m).map(who).join(', ')}  [${m.purpose}] ${m.key}`);
    out.push(
      ...bodyText(m)
        .split('\n')
        .map((l) => `    ${l}`),
    );
  }
  for (const d of r.dropped) out.push(`✗ ${who(d.userId)}  ${d.key}: dropped (${DROP[d.reason]})`);
  out.push(...r.notes);
  out.push(`${r.sent.length} message(s) ${r.dryRun ? 'would be sent' : 'queued'}, ${r.dropped.length} dropped`);
  return `${out.join('\n')}\n`;
}

/**
 * The jobs' context for the command line, from the same environment as the server: its Redis, policy,
 * holiday calendar, an outbox that only queues (the server's workers send), and the WeCom client when the
 * app is configured (the 打卡 sync needs it). In the sandbox the fake WeCom lives in the server process, so a
 * sync from the command line has nothing to pull and the reminder has no link.
 */
export async function openJobsCli(io: CliIO): Promise<JobsCliConnection> {
  const env = loadEnv(io.env);
  const conn = await openCliRedis(io);
  const { redis, keys } = conn;
  const outbox = new Outbox({ redis, keys, log: io.log });
  const app = hasAppCredentials(env)
    ? { corpId: env.WECOM_CORP_ID!, agentId: env.WECOM_AGENT_ID!, secret: env.WECOM_APP_SECRET! }
    : undefined;
  const publicUrl = (env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`).replace(/\/+$/, '');
  const ctx = await cliJobContext(conn, io, outbox, {
    jobTable: JOBS,
    backupDir: backupDir(env),
    ...(app
      ? {
          wecom: new WecomApi({ base: env.WECOM_API_BASE, ...app, redis, keys, log: io.log }),
          checkinLink: checkinStartLink(publicUrl),
        }
      : {}),
  });
  // What ops-watch and holiday-watch find goes to the operator as from the server (queued; its workers send).
  ctx.alerts = new Alerts({
    redis,
    keys,
    clock: systemClock,
    log: io.log,
    policy: {
      get alerts() {
        return ctx.policy.alerts;
      },
    },
    outbox,
    target: alertTargetFromEnv(env),
  });
  return {
    ctx,
    close: async () => {
      await outbox.close();
      await conn.close();
    },
  };
}
