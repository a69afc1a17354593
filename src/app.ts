/**
 * The composition root: connects Redis, loads the roster, policy and calendar, builds the WeCom client, the
 * outbox, the bot and the HTTP app, and returns one `close()` that shuts them down in order. `zhucun serve`
 * and the system tests both start the bot through here.
 */
import type { Server } from 'node:http';
import type Koa from 'koa';
import { once } from 'node:events';
import { HolidayCalendar } from './calendar/calendar.js';
import { createCheckinRouter } from './checkin-page/routes.js';
import { ConfigError, type Env } from './config/env.js';
import { chooseMode, IMPLICIT_SANDBOX_WARNING, type RunMode } from './config/mode.js';
import { claimStore } from './config/store-kind.js';
import { isLoopback } from './http/guard.js';
import { Bot } from './core/bot.js';
import { OffsetClock, systemClock, type Clock } from './core/clock.js';
import type { Deps } from './core/deps.js';
import { createAdminRouter } from './http/admin-routes.js';
import { createHttpApp, createHttpServer } from './http/server.js';
import { createWecomRouter } from './http/wecom-routes.js';
import type { Logger } from './log.js';
import { Outbox } from './outbox/outbox.js';
import { loadPolicy } from './policy/policy.js';
import { connectRedis } from './redis/connect.js';
import { Keys } from './redis/keys.js';
import { loadRosterFile } from './roster/load.js';
import { RosterStore } from './roster/store.js';
import { WecomApi } from './wecom/api/client.js';
import { startFakeWecom, type FakeWecom } from './fakewecom/server.js';
import { createRegistry } from '../handlers/index.js';
import { JOBS } from './jobs/index.js';
import { Scheduler } from './schedule/scheduler.js';
import { createRepos } from './repos.js';
import { LoggedOutbox } from './schedule/push-log.js';
import { SANDBOX_APP, SANDBOX_ROBOT, sandboxAuthorizeBase } from './sandbox/config.js';
import { createWecomSideRouter } from './sandbox/wecom-side.js';
import { sandboxJobs, sandboxWebhookEnv, startSandbox, type SandboxPart } from './sandbox/index.js';

export const SAMPLE_ROSTER = 'config/roster.sample.yaml';

export interface RunningApp {
  url: string;
  deps: Deps;
  bot: Bot;
  scheduler: Scheduler;
  /** The BullMQ outbox itself (`deps.outbox` wraps it with the push log). */
  outbox: Outbox;
  fake?: FakeWecom;
  /** Production or sandbox, and whether the sandbox was chosen only because nothing is configured. */
  mode: RunMode;
  /** The Koa application; its middleware holds every router the server dispatches to. */
  koa: Koa;
  close(): Promise<void>;
}

/** Start everything; `env` is validated already. Throws with a clear message on a configuration error. */
export async function startApp(env: Env, log: Logger, opts: { clock?: Clock } = {}): Promise<RunningApp> {
  const mode = chooseMode(env);
  const sandbox = mode.sandbox;
  const open = env.ZHUCUN_SANDBOX_OPEN === '1';
  // The sandbox's keys are public: on an address other machines reach, anyone could post callbacks as anyone.
  if (sandbox && !open && !isLoopback(env.HOST) && env.HOST !== 'localhost') {
    throw new ConfigError(`the sandbox listens only on this machine, but HOST=${env.HOST}: set HOST=127.0.0.1, or ZHUCUN_SANDBOX_OPEN=1 to let other machines use it`);
  }
  if (mode.sandbox && mode.implicit) log.warn(IMPLICIT_SANDBOX_WARNING);
  const policy = loadPolicy(env.ZHUCUN_POLICY);
  const calendar = await HolidayCalendar.load({ overrides: env.ZHUCUN_HOLIDAYS });
  const conn = await connectRedis(env, log);
  const closers: (() => Promise<void>)[] = [() => conn.close()];
  let closing = false;
  const close = async () => {
    closing = true; // /healthz answers 503 from now on, so the load balancer stops sending work
    for (const c of closers.reverse()) await c().catch((err: unknown) => log.error({ err }, 'error while shutting down'));
  };
  try {
    const keys = new Keys(env.ZHUCUN_NAMESPACE);
    // Before anything is written: the sandbox never runs on production data, production never on sample data.
    await claimStore(conn.redis, keys, sandbox ? 'sandbox' : 'production');
    const roster = new RosterStore(conn.redis, keys);
    await ensureRoster(env, roster, sandbox, log);
    const clock = opts.clock ?? (sandbox ? new OffsetClock() : systemClock);

    // In the sandbox the bot talks to a local fake WeCom exactly as it would to the real one.
    let fake: FakeWecom | undefined;
    if (sandbox) {
      if (env.configured.some((k) => k.startsWith('WECOM_'))) {
        log.warn('ZHUCUN_SANDBOX=1: the sandbox runs with its local fake WeCom; the WeCom credentials set are not used');
      }
      fake = await startFakeWecom({ corpId: SANDBOX_APP.corpId, agentId: SANDBOX_APP.agentId, secret: SANDBOX_APP.secret });
      closers.push(() => fake!.stop());
      log.info({ url: fake.url }, 'sandbox: fake WeCom API started');
    }
    const wecom = {
      base: fake?.url ?? env.WECOM_API_BASE,
      corpId: fake ? SANDBOX_APP.corpId : (env.WECOM_CORP_ID ?? ''),
      agentId: fake ? SANDBOX_APP.agentId : (env.WECOM_AGENT_ID ?? ''),
      secret: fake ? SANDBOX_APP.secret : (env.WECOM_APP_SECRET ?? ''),
    };
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
    // Group robot webhook keys live in the environment; the sandbox gives each sample group a key of its own.
    const sendEnv = fake ? { ...sandboxWebhookEnv((await roster.get()).data.groups), ...process.env } : process.env;
    const outbox = new Outbox({ redis: conn.redis, keys, log, api, agentId: wecom.agentId, env: sendEnv, cardUrl: publicUrl });
    if (wecom.secret) outbox.start();
    closers.push(() => outbox.close());

    const oauthBase = fake ? sandboxAuthorizeBase(publicUrl) : 'https://open.weixin.qq.com';
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
    };
    const registry = createRegistry();
    const bot = new Bot(deps, registry);
    const jobContext = { ...deps, wecom: wecom.secret ? api : undefined, checkinLink: deps.checkinLink };
    // The sandbox seeds its sample history first, so the scheduler's catch-up runs on it rather than on nothing.
    let sandboxPart: SandboxPart | undefined;
    if (fake) {
      const fakeWecom = fake;
      sandboxPart = await startSandbox({
        deps,
        bot,
        registry,
        fake,
        app: SANDBOX_APP,
        robot: SANDBOX_ROBOT,
        sendEnv,
        jobs: sandboxJobs(jobContext, JOBS),
        mediaBytes: (id) => fakeWecom.mediaData(id),
        open,
      });
      closers.push(() => sandboxPart!.close());
    }
    // Every instance runs the schedule; the Redis run coordinator lets exactly one of them run each slot.
    const scheduler = new Scheduler(jobContext, JOBS);
    await scheduler.start();
    closers.push(() => scheduler.stop());

    const appChannel = fake
      ? SANDBOX_APP
      : env.WECOM_APP_TOKEN && env.WECOM_APP_AES_KEY && env.WECOM_CORP_ID
        ? { token: env.WECOM_APP_TOKEN, aesKey: env.WECOM_APP_AES_KEY, corpId: env.WECOM_CORP_ID }
        : undefined;
    const robotChannel = fake
      ? SANDBOX_ROBOT
      : env.WECOM_BOT_TOKEN && env.WECOM_BOT_AES_KEY
        ? { token: env.WECOM_BOT_TOKEN, aesKey: env.WECOM_BOT_AES_KEY }
        : undefined;
    const routers = [
      createAdminRouter({ adminToken: env.ADMIN_TOKEN, deps, log }),
      createWecomRouter({ bot, app: appChannel, robot: robotChannel, toleranceS: env.WECOM_TIMESTAMP_TOLERANCE_S, clock: systemClock, domainClock: clock, log }),
      createCheckinRouter({
        bot,
        redis: conn.redis,
        keys,
        clock,
        log,
        roster,
        publicUrl,
        scripts: fake ? ['/sandbox/jssdk-standin.js'] : JSSDK_SCRIPTS,
        wecom: {
          corpId: wecom.corpId,
          agentId: wecom.agentId,
          authorizeUrl: (state) => oauthLink(oauthBase, wecom.corpId, wecom.agentId, `${publicUrl}/checkin`, state),
          userIdFromCode: async (code) => {
            const res = await api.call('auth/getuserinfo', { query: { code } });
            const id = res.userid ?? res.UserId;
            if (typeof id !== 'string' || !id) throw new Error('not a member of this organisation');
            return id;
          },
          jsapiTicket: () => api.jsTicket('corp'),
          agentTicket: () => api.jsTicket('agent'),
        },
      }),
    ];
    if (fake) routers.push(createWecomSideRouter(fake, { publicUrl, open, log }));
    if (sandboxPart) routers.push(...sandboxPart.routers);
    const readiness = {
      ping: async () => void (await conn.redis.ping()),
      warnings: () => warnings,
      notServing: () => (closing ? 'shutting down' : conn.redis.status === 'ready' ? null : `redis connection ${conn.redis.status}`),
    };
    const http = createHttpApp({ log, routers, readiness, adminToken: env.ADMIN_TOKEN, trustProxy: env.TRUST_PROXY === '1' });
    const server: Server = createHttpServer(http).listen(env.PORT, env.HOST);
    await once(server, 'listening');
    closers.push(() => closeServer(server));
    const address = server.address() as { port: number };
    const url = `http://${env.HOST}:${address.port}`;
    log.info({ url, sandbox, redis: conn.mode, channels: { app: Boolean(appChannel), robot: Boolean(robotChannel) } }, 'zhucun-bot is listening');
    return { url, deps, bot, scheduler, outbox, fake, mode, koa: http, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** WeCom's JS-SDK: the base SDK for `wx.config` and the WeCom one for `wx.agentConfig`. */
const JSSDK_SCRIPTS = ['https://res.wx.qq.com/open/js/jweixin-1.2.0.js', 'https://open.work.weixin.qq.com/wwopen/js/jwxwork-1.0.0.js'];

/**
 * The OAuth link that opens a page inside WeCom signed in ([D:91022] 构造网页授权链接). `state` is the
 * per-opening nonce the check-in page issues and checks (`a-zA-Z0-9`, at most 128 bytes).
 */
export function oauthLink(base: string, corpId: string, agentId: string, redirect: string, state: string): string {
  const q = new URLSearchParams({ appid: corpId, redirect_uri: redirect, response_type: 'code', scope: 'snsapi_base', state, agentid: agentId });
  return `${base}/connect/oauth2/authorize?${q.toString()}#wechat_redirect`;
}

/** The check-in link posted in chat: it issues a fresh OAuth `state` and goes on to WeCom's authorize URL. */
export function checkinStartLink(publicUrl: string): string {
  return `${publicUrl}/checkin/start`;
}

async function ensureRoster(env: Env, roster: RosterStore, sandbox: boolean, log: Logger): Promise<void> {
  if (env.ZHUCUN_ROSTER) {
    const data = await loadRosterFile(env.ZHUCUN_ROSTER);
    await roster.replace(data);
    log.info({ file: env.ZHUCUN_ROSTER, cadres: data.cadres.length }, 'roster imported');
    return;
  }
  if (!(await roster.get()).isEmpty) return;
  if (!sandbox) {
    throw new Error('the roster is empty: set ZHUCUN_ROSTER=path/to/roster.yaml or run `npx zhucun roster import FILE` first');
  }
  const data = await loadRosterFile(SAMPLE_ROSTER);
  await roster.replace(data);
  log.info({ file: SAMPLE_ROSTER }, 'sandbox: the roster was empty, imported the sample roster (invented people)');
}

async function closeServer(server: Server): Promise<void> {
  // Stop accepting, let in-flight requests finish, then drop idle keep-alive sockets.
  const closed = once(server, 'close');
  server.close();
  server.closeIdleConnections();
  await closed;
}
