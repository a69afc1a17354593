/**
 * The sandbox's part of the server: a browser page that plays WeCom for every person of the roster.
 * `startSandbox` restores the simulated clock, fills a month of sample history on first start, follows what the
 * fake WeCom delivers, and returns its routers; everything the page sends to the bot is signed and encrypted as
 * WeCom does and posted to the real callback endpoints.
 */
import { withOverrides } from '../policy/history.js';
import type Router from '@koa/router';
import type { Bot } from '../core/bot.js';
import { systemClock } from '../core/clock.js';
import type { Deps } from '../core/deps.js';
import type { Registry } from '../core/registry.js';
import type { FakeWecom } from '../fakewecom/server.js';
import type { Group } from '../roster/schema.js';
import { WecomApi } from '../wecom/api/client.js';
import { SandboxActions } from './actions.js';
import { createSandboxApi } from './api.js';
import { captureDeliveries } from './capture.js';
import { ChatLog } from './chatlog.js';
import { defaultStart, SimulatedClock } from './clock.js';
import type { SandboxJobs } from './jobs.js';
import { createPageRouter } from './page.js';
import { wipeDomainData } from './reset.js';
import { ConfigError } from '../config/env.js';
import { isSandboxStore } from '../config/store-kind.js';
import { localOnly } from '../http/guard.js';
import { ensureSeeded, type SeedOptions } from './seed.js';
import { SandboxWecom } from './wecom-client.js';

export interface SandboxOptions {
  deps: Deps;
  bot: Bot;
  registry: Registry;
  fake: FakeWecom;
  /** The robot's bot id on the fake's long connection, when the sandbox runs it (ZHUCUN_SANDBOX_CHANNEL). */
  longConnection?: { botId: string };
  app: { corpId: string; agentId: string; token: string; aesKey: string };
  robot: { token: string; aesKey: string };
  /** Environment the outbox resolves webhook keys from (includes the sandbox's own keys). */
  sendEnv: Record<string, string | undefined>;
  /** The scheduled jobs, for the clock panel's "run now" buttons; without it the panel shows none. */
  jobs?: SandboxJobs;
  /** The bytes of an image uploaded to the fake WeCom (`media/upload`), to show app image messages. */
  mediaBytes?: (mediaId: string) => Buffer | undefined;
  /** ZHUCUN_SANDBOX_OPEN=1: the page and its API answer callers on other machines too. */
  open?: boolean;
}

export interface SandboxPart {
  routers: Router[];
  close(): Promise<void>;
}

/** A webhook key per sample group (`sandbox-<chatid>`), unless the environment already names one. */
export function sandboxWebhookEnv(groups: Group[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const g of groups) if (g.webhookKeyEnv) env[g.webhookKeyEnv] = `sandbox-${g.chatid}`;
  return env;
}

/**
 * Start the sandbox's part of the server. The first start of a namespace seeds the history (a few seconds for
 * the sample roster's term so far) before the page is served, so digests and forecasts show something real at
 * once. Call it before the scheduler starts, so that its catch-up runs on the sample history.
 */
export async function startSandbox(opts: SandboxOptions): Promise<SandboxPart> {
  const { deps, fake } = opts;
  const log = deps.log.child({ component: 'sandbox' });
  const roster = await deps.roster.get();
  const clock = new SimulatedClock(deps.redis, deps.keys, deps.clock);
  await clock.restore(defaultStart(roster, new Date()));
  // Everyone on the roster is a member, the county leaders of `people` too (so `roster verify` passes).
  fake.setKnownUsers(roster.userids());

  // The 打卡 sync of the seed reads the records back from the fake WeCom through the real API client.
  const api = new WecomApi({
    base: fake.url,
    corpId: fake.corpId,
    agentId: fake.agentId,
    secret: fake.secret,
    redis: deps.redis,
    keys: deps.keys,
    log,
    clock: systemClock,
  });
  // Thousands of check-ins at info level would bury the start-up log: the seed logs warnings and its summary
  // (never more than the server's own level allows).
  const seedLevel = deps.log.levelVal >= 40 ? deps.log.level : 'warn';
  const seedDeps = withOverrides(deps, { log: deps.log.child({ component: 'sandbox-seed' }, { level: seedLevel }) });
  const seedOptions = (): SeedOptions => ({
    deps: seedDeps,
    registry: opts.registry,
    now: clock.now(),
    wecomCheckin: { add: (records) => fake.addCheckinRecords(records), api },
  });
  // Seeding and the reset write and wipe: only ever on a store marked as the sandbox's (see config/store-kind).
  const ownStore = async () => {
    if (!(await isSandboxStore(deps.redis, deps.keys)))
      throw new ConfigError(
        `the Redis namespace "${deps.keys.ns}" is not marked as a sandbox store: not seeding or wiping it`,
      );
  };
  const seed = async () => {
    await ownStore();
    const started = Date.now();
    const result = await ensureSeeded(seedOptions());
    if (result)
      log.info(
        { ms: Date.now() - started, from: result.plan.from, to: result.plan.to, problems: result.problems },
        'sandbox: sample history seeded',
      );
    return { problems: result?.problems ?? [] };
  };
  await seed();

  const chatLog = new ChatLog(deps.redis, deps.keys, deps.clock);
  const media = opts.mediaBytes;
  const stopCapture = captureDeliveries(fake, {
    log: chatLog,
    roster: deps.roster,
    sendEnv: opts.sendEnv,
    logger: log,
    media: (id: string) => {
      const bytes = media?.(id);
      return bytes ? `data:image/png;base64,${bytes.toString('base64')}` : undefined;
    },
  });
  const wecom = new SandboxWecom({
    app: opts.app,
    robot: opts.robot,
    clock: deps.clock,
    ...(opts.longConnection
      ? { longConnection: { server: fake.longConnection, botId: opts.longConnection.botId } }
      : {}),
  });
  const router = createSandboxApi({
    deps,
    log: chatLog,
    actions: new SandboxActions(chatLog, wecom, fake),
    clock,
    ...(opts.jobs ? { jobs: opts.jobs } : {}),
    open: opts.open ?? false,
    reset: async () => {
      await ownStore();
      const keys = await wipeDomainData(deps.redis, deps.keys);
      log.info({ keys }, 'sandbox: domain data wiped for a fresh seed');
      return seed();
    },
  });
  log.info(
    { page: `${deps.publicUrl}/sandbox`, now: clock.now().toISOString() },
    'sandbox: open the page to play any person of the roster',
  );
  const guards = opts.open ? [] : [localOnly({ log, publicUrl: deps.publicUrl })];
  return { routers: [createPageRouter(guards), router], close: stopCapture };
}
