/**
 * The composition root: connects Redis, loads the roster, policy and calendar, builds the WeCom client, the
 * outbox, the bot and the HTTP app, and returns one `close()` that shuts them down in order. `zhucun serve`
 * and the system tests both start the bot through here. What differs between a real deployment and the local
 * sandbox comes from one `Platform` (platform/platform.ts), chosen once from the run mode.
 */ import type { Server } from 'node:http';
import type Koa from 'koa';
import { once } from 'node:events';
import { HolidayCalendar } from './calendar/calendar.js';
import { checkinStartLink, oauthLink, webLoginLink } from './checkin-page/links.js';
import { createApiRouter } from './dash/api.js';
import { createDashRouter } from './dash/routes.js';
import { createDashPagesRouter } from './dash/page-shell.js';
import { dashAssets } from './dash/assets.js';
import { DashSessions } from './dash/session.js';
import { createCheckinRouter } from './checkin-page/routes.js';
import { createReviewRouter } from './assess-page/routes.js';
import { CodeRefused } from './checkin-page/code-exchange.js';
import { backupDir, type Env } from './config/env.js';
import { chooseMode, type RunMode } from './config/mode.js';
import { claimStore } from './config/store-kind.js';
import { Bot } from './core/bot.js';
import { systemClock, type Clock } from './core/clock.js';
import type { Deps } from './core/deps.js';
import type { FakeWecom } from './fakewecom/server.js';
import { createAdminRouter } from './http/admin-routes.js';
import { createHttpApp, createHttpServer, HTTP_TIMEOUTS } from './http/server.js';
import type { Readiness } from './http/health.js';
import { wecomEdge } from './http/wecom-edge.js';
import { createWecomRouter, WecomCallbacks } from './http/wecom-routes.js';
import type { Logger } from './log.js';
import { Outbox } from './outbox/outbox.js';
import { Relay } from './outbox/relay.js';
import type { Platform } from './platform/platform.js';
import { productionPlatform } from './platform/production.js';
import { migrate } from './migrate/run.js';
import { loadPolicyFile } from './policy/policy.js';
import { bindPolicy, PolicyHistory, withOverrides } from './policy/history.js';
import { registerAtStart } from './policy/register.js';
import { connectRedis } from './redis/connect.js';
import { Keys } from './redis/keys.js';
import { LeaseHolder } from './redis/lease-holder.js';
import type { LeaseTimings } from './redis/lease.js';
import { loadRoster } from './roster/load.js';
import { diffCountsLine } from '../templates/roster.js';
import { RosterStore } from './roster/store.js';
import { WecomApi } from './wecom/api/client.js';
import { LongConnection } from './wecom/longconn/channel.js';
import { createRegistry } from '../handlers/index.js';
import { JOBS } from './jobs/index.js';
import { Scheduler } from './schedule/scheduler.js';
import { createRepos } from './repos.js';
import { LoggedOutbox } from './schedule/push-log.js';
import { sandboxPlatform } from './sandbox/index.js';
import { Alerts } from './alerts/alerts.js';
import { alertTargetFromEnv, NO_TARGET_WARNING } from './alerts/target.js';

export interface RunningApp {
  url: string;
  deps: Deps;
  bot: Bot;
  scheduler: Scheduler;
  /** The BullMQ outbox itself (`deps.outbox` wraps it with the push log). */
  outbox: Outbox;
  /** The smart robot's long connection (WECOM_BOT_MODE=long-connection), started with the app. */
  longConnection?: LongConnection;
  /** The lease that decides which instance holds the long connection (held or standby). */
  longConnectionLease?: LeaseHolder;
  /** The sandbox's fake WeCom; absent in production. */
  fake?: FakeWecom;
  /** Production or sandbox, and whether the sandbox was chosen only because nothing is configured. */
  mode: RunMode;
  /** The Koa application; its middleware holds every router the server dispatches to. */
  koa: Koa;
  close(): Promise<void>;
}

/** Start everything; `env` is validated already. Throws with a clear message on a configuration error. */
export async function startApp(
  env: Env,
  log: Logger,
  opts: { clock?: Clock; lease?: Partial<LeaseTimings> } = {},
): Promise<RunningApp> {
  const mode = chooseMode(env);
  // The one place that tells production from the sandbox: everything below runs the same on either platform.
  const platform: Platform = mode.sandbox ? sandboxPlatform(env, log, mode.implicit) : productionPlatform(env);
  const policyFile = loadPolicyFile(env.ZHUCUN_POLICY, (line) => log.warn(line));
  const policy = policyFile.policy;
  const calendar = await HolidayCalendar.load({ overrides: env.ZHUCUN_HOLIDAYS });
  const conn = await connectRedis(env, log);
  const closers: (() => Promise<void>)[] = [() => conn.close()];
  let closing = false;
  const close = async () => {
    closing = true; // /healthz answers 503 from now on, so the load balancer stops sending work
    for (const c of closers.reverse())
      await c().catch((err: unknown) => log.error({ err }, 'error while shutting down'));
  };
  try {
    const keys = new Keys(env.ZHUCUN_NAMESPACE);
    // Before anything is written: the sandbox never runs on production data, production never on sample data.
    await claimStore(conn.redis, keys, platform.storeKind);
    // Before anything reads the data: bring it to this code's schema version, once, under a lock (src/migrate/).
    await migrate(conn.redis, keys, { log, clock: opts.clock ?? platform.clock });
    const roster = new RosterStore(conn.redis, keys, opts.clock ?? platform.clock);
    await ensureRoster(env, roster, platform, log, (opts.clock ?? platform.clock).now(), policy.roster.strictGroups);
    const clock = opts.clock ?? platform.clock;
    // The file joins the dated history once; the bot then follows the version in force on the clock's day.
    const { book, registration } = await registerAtStart(conn.redis, keys, policyFile, clock.now(), env.ZHUCUN_POLICY);
    log.info(
      {
        version: registration.version.id,
        effectiveFrom: registration.version.effectiveFrom,
        status: registration.status,
      },
      'policy version',
    );

    closers.push(() => platform.close());
    const wecom = await platform.startWecom();
    const api = new WecomApi({ ...wecom, redis: conn.redis, keys, log, clock: systemClock });
    const warnings: string[] = [];
    if (wecom.secret && wecom.corpId && wecom.agentId) {
      void api.checkConfig().then((w) => {
        if (w) {
          warnings.push(w);
          log.error({ warning: w }, 'WeCom configuration check failed; callbacks are still served');
        }
      });
    } else {
      warnings.push('WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_APP_SECRET are not all set: the bot cannot send messages');
    }

    const publicUrl = (env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`).replace(/\/+$/, '');
    const sendEnv = await platform.sendEnv(roster);
    const lc = platform.channels.longConnection;
    // The channel is built before the bot (the outbox needs it) and starts once the bot is there.
    const built: { bot?: Bot } = {};
    const longConnection = lc
      ? new LongConnection({
          ...lc,
          bot: {
            handle: (u) => {
              if (!built.bot) throw new Error('the bot is not built yet');
              return built.bot.handle(u);
            },
          },
          redis: conn.redis,
          keys,
          clock: opts.clock ?? platform.clock,
          log,
        })
      : undefined;
    const outbox = new Outbox({
      redis: conn.redis,
      keys,
      log,
      api,
      agentId: wecom.agentId,
      env: sendEnv,
      cardUrl: publicUrl,
      // With the long connection, members who wrote to the robot get their messages there (the others by the app).
      ...(longConnection ? { robot: longConnection } : {}),
      // A message given up on is an operator alert (an alert message itself is only logged).
      onGivenUp: (msg, reason, exhausted): Promise<unknown> => alerts.outboxGaveUp(msg, reason, exhausted),
    });
    const alerts: Alerts = new Alerts({
      redis: conn.redis,
      keys,
      clock,
      log,
      // The alert settings of the version in force when an alert is raised, as for everything else.
      policy: {
        get alerts() {
          return book.inForce(clock.now()).alerts;
        },
      },
      outbox,
      target: alertTargetFromEnv(env),
    });
    if (!alerts.configured) {
      warnings.push(NO_TARGET_WARNING);
      log.warn(NO_TARGET_WARNING);
    }
    if (wecom.secret || longConnection) outbox.start();
    closers.push(() => outbox.close());

    const repos = createRepos(conn.redis, keys);
    const deps: Deps = {
      redis: conn.redis,
      keys,
      repos,
      clock,
      log,
      roster,
      // Everything queued is also written to the push log, for the burden figures.
      outbox: new LoggedOutbox(outbox, repos.pushLog, clock),
      policy,
      calendar,
      publicUrl,
      checkinLink: checkinStartLink(publicUrl),
      notices: repos.notices,
      // Sentinel: an update is acknowledged once a replica holds it (src/redis/replicas.ts).
      replicaWait: conn.replicaWait,
    };
    bindPolicy(deps, book);
    // Versions registered meanwhile (another instance started with a new file, `zhucun policy register`) are
    // picked up within a minute, so every instance follows the same history.
    const history = new PolicyHistory(conn.redis, keys);
    const reread = setInterval(() => {
      history
        .versions()
        .then((v) => book.load(v))
        .catch((err: unknown) => log.warn({ err }, 'could not re-read the policy history; keeping the versions known'));
    }, 60_000);
    reread.unref();
    closers.push(async () => clearInterval(reread));
    const registry = createRegistry();
    const bot = new Bot(deps, registry);
    built.bot = bot;
    // One connection per robot, however many instances: the one holding the Redis lease dials out; the others
    // stand by and take over within 20 s when it dies (src/redis/lease-holder.ts).
    const longConnectionLease = longConnection
      ? new LeaseHolder({
          redis: conn.redis,
          key: keys.lease('longconn'),
          fenceKey: keys.leaseFence('longconn'),
          ...opts.lease,
          service: { start: async () => longConnection.start(), stop: () => longConnection.stop() },
          log,
          name: 'long connection',
        })
      : undefined;
    if (longConnectionLease) {
      longConnectionLease.start();
      closers.push(() => longConnectionLease.stop());
    }
    // Messages an update committed but could not hand to the queue (a crash, the queue down) are queued later.
    const relay = new Relay({ redis: conn.redis, keys, outbox: deps.outbox, log });
    relay.start();
    closers.push(async () => {
      await bot.idle();
      await relay.stop();
    });
    // Copied with its getters, so jobs too read the version in force on the day they run.
    const jobContext = withOverrides(deps, {
      wecom: wecom.secret ? api : undefined,
      checkinLink: deps.checkinLink,
      alerts,
      backupDir: backupDir(env),
    });
    // The platform's part comes first, so the scheduler's catch-up runs on whatever it put in place.
    const attached = await platform.attach({
      deps,
      bot,
      registry,
      jobs: { context: jobContext, table: JOBS },
      sendEnv,
    });
    closers.push(() => attached.close());
    // Every instance runs the schedule; the Redis run coordinator lets exactly one of them run each slot.
    const scheduler = new Scheduler(jobContext, JOBS);
    await scheduler.start();
    closers.push(() => scheduler.stop());

    const { app: appChannel, robot: robotChannel } = platform.channels;
    const oauthBase = platform.oauthBase(publicUrl);
    const callbacks = new WecomCallbacks({
      bot,
      app: appChannel,
      robot: robotChannel,
      toleranceS: env.WECOM_TIMESTAMP_TOLERANCE_S,
      clock: systemClock,
      domainClock: clock,
      log,
    });
    // [D:91023] auth/getuserinfo: the userid of an OAuth or web-login code, for the check-in page and the dashboard.
    const userIdFromCode = async (code: string): Promise<string> => {
      const res = await api.call('auth/getuserinfo', { query: { code } });
      const id = res.userid ?? res.UserId;
      if (typeof id !== 'string' || !id) throw new CodeRefused(new Error('not a member of this organisation'));
      return id;
    };
    const sessions = new DashSessions({
      redis: conn.redis,
      keys,
      clock,
      idleMinutes: () => deps.policy.dashboard.sessionIdleMinutes,
      secure: publicUrl.startsWith('https:'),
    });
    const webLoginBase = platform.webLoginBase(publicUrl);
    // Bundle the dashboard's browser files now, beside the start, rather than on the first page asked.
    dashAssets().catch((err: unknown) => log.error({ err }, 'dashboard: bundling the browser files failed'));
    const routers = [
      createAdminRouter({ adminToken: env.ADMIN_TOKEN, deps, log }),
      createWecomRouter(callbacks),
      createCheckinRouter({
        bot,
        redis: conn.redis,
        keys,
        clock,
        log,
        roster,
        publicUrl,
        scripts: platform.jsSdkScripts,
        wecom: {
          corpId: wecom.corpId,
          agentId: wecom.agentId,
          authorizeUrl: (state) => oauthLink(oauthBase, wecom.corpId, wecom.agentId, `${publicUrl}/checkin`, state),
          userIdFromCode,
          jsapiTicket: () => api.jsTicket('corp'),
          agentTicket: () => api.jsTicket('agent'),
        },
      }),
      // The dashboard: sign-in (OAuth inside WeCom, web login at a PC), its first page, and the JSON API.
      createDashRouter({
        redis: conn.redis,
        keys,
        log,
        roster,
        publicUrl,
        sessions,
        clock,
        wecom: {
          authorizeUrl: (state) =>
            oauthLink(oauthBase, wecom.corpId, wecom.agentId, `${publicUrl}/dash/callback`, state),
          webLoginUrl: (state) =>
            webLoginLink(webLoginBase, wecom.corpId, wecom.agentId, `${publicUrl}/dash/callback`, state),
          userIdFromCode,
        },
      }),
      createApiRouter({
        src: deps,
        roster,
        clock,
        log,
        sessions,
        adminToken: env.ADMIN_TOKEN,
        publicUrl,
        failedMessages: () => outbox.list({ failed: true, limit: 200 }),
      }),
      // The dashboard's pages and their bundled browser files (built once per process, below).
      createDashPagesRouter({ roster, sessions, log }),
      // The villagers' 评议 page of the assessment (考评): public, one-time codes, no WeCom sign-in.
      createReviewRouter({ redis: conn.redis, keys, repo: deps.repos.assess, clock, log, roster, publicUrl }),
      ...attached.routers,
    ];
    const readiness: Readiness = {
      ping: async () => void (await conn.redis.ping()),
      warnings: () => warnings,
      notServing: () =>
        closing ? 'shutting down' : conn.redis.status === 'ready' ? null : `redis connection ${conn.redis.status}`,
      ...(longConnectionLease ? { longConnection: () => longConnectionLease.state } : {}),
    };
    const http = createHttpApp({
      log,
      routers,
      readiness,
      adminToken: env.ADMIN_TOKEN,
      trustProxy: env.TRUST_PROXY === '1',
    });
    const server: Server = createHttpServer(http, HTTP_TIMEOUTS, wecomEdge(callbacks, log)).listen(env.PORT, env.HOST);
    await once(server, 'listening');
    closers.push(() => closeServer(server));
    const address = server.address() as { port: number };
    const url = `http://${env.HOST}:${address.port}`;
    const channels = {
      app: Boolean(appChannel),
      robot: Boolean(robotChannel),
      longConnection: Boolean(longConnection),
    };
    log.info({ url, sandbox: mode.sandbox, redis: conn.mode, channels }, 'zhucun-bot is listening');
    return {
      url,
      deps,
      bot,
      scheduler,
      outbox,
      longConnection,
      longConnectionLease,
      fake: platform.fake,
      mode,
      koa: http,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Import the roster named by ZHUCUN_ROSTER; otherwise keep the stored one, or let the platform fill an empty one. */
async function ensureRoster(
  env: Env,
  roster: RosterStore,
  platform: Platform,
  log: Logger,
  now: Date,
  strictGroups: boolean,
): Promise<void> {
  if (env.ZHUCUN_ROSTER) {
    const { data, warnings } = await loadRoster(env.ZHUCUN_ROSTER, { strictGroups });
    for (const w of warnings) log.warn(w);
    const unchanged = JSON.stringify((await roster.get()).data) === JSON.stringify(data);
    const plan = await roster.replace(data);
    log.info({ file: env.ZHUCUN_ROSTER, cadres: data.cadres.length }, 'roster imported');
    // Every start imports the file; only one that changed the roster is an import worth recording.
    if (!unchanged) {
      const at = now.getTime();
      await roster.audit({
        kind: 'roster.import',
        actor: 'serve',
        channel: 'cli',
        at,
        id: `roster.import:serve:${at}:${process.pid}`,
        ref: env.ZHUCUN_ROSTER,
        summary: `${data.cadres.length} cadres; ${diffCountsLine(plan.diff)}`,
      });
    }
    return;
  }
  if (!(await roster.get()).isEmpty) return;
  await platform.fillEmptyRoster(roster, log);
}

async function closeServer(server: Server): Promise<void> {
  // Stop accepting, let in-flight requests finish, then drop idle keep-alive sockets.
  const closed = once(server, 'close');
  server.close();
  server.closeIdleConnections();
  await closed;
}
