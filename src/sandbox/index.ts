/**
 * The sandbox, as the platform app.ts runs on when asked for (see platform/platform.ts): a local fake WeCom with the fixed keys of config.ts, the sample roster when the store has
 * none, a clock the sandbox page can move, a webhook key per sample group, and the sandbox's own pages (the one
 * that plays every person, and the parts of WeCom a browser meets). It runs only on a store marked as the
 * sandbox's and, unless ZHUCUN_SANDBOX_OPEN=1, answers only this machine.
 */
import { ConfigError, type Env } from '../config/env.js';
import { IMPLICIT_SANDBOX_WARNING } from '../config/mode.js';
import { OffsetClock } from '../core/clock.js';
import { FAKE_ROBOT, startFakeWecom, type FakeWecom } from '../fakewecom/server.js';
import { isLoopback } from '../http/guard.js';
import type { Logger } from '../log.js';
import type { Platform } from '../platform/platform.js';
import { loadRosterFile } from '../roster/load.js';
import { SANDBOX_APP, SANDBOX_ROBOT, sandboxAuthorizeBase } from './config.js';
import { sandboxWebhookEnv, startSandbox } from './start.js';
import { sandboxJobs } from './jobs.js';
import { createWecomSideRouter, JSSDK_STANDIN_URL } from './wecom-side.js';

export const SAMPLE_ROSTER = 'config/roster.sample.yaml';

/**
 * The sandbox's platform. Throws ConfigError when the sandbox would listen on an address other machines reach
 * without ZHUCUN_SANDBOX_OPEN=1; warns when it was chosen only because nothing is configured.
 */
export function sandboxPlatform(env: Env, log: Logger, implicit: boolean): Platform {
  const open = env.ZHUCUN_SANDBOX_OPEN === '1';
  // The sandbox's keys are public: on an address other machines reach, anyone could post callbacks as anyone.
  if (!open && !isLoopback(env.HOST) && env.HOST !== 'localhost') {
    throw new ConfigError(
      `the sandbox listens only on this machine, but HOST=${env.HOST}: set HOST=127.0.0.1, or ZHUCUN_SANDBOX_OPEN=1 to let other machines use it`,
    );
  }
  if (implicit) log.warn(IMPLICIT_SANDBOX_WARNING);
  let fake: FakeWecom | undefined;
  const started = (): FakeWecom => {
    if (!fake) throw new Error('the sandbox platform is used before startWecom');
    return fake;
  };
  const longConnection = env.ZHUCUN_SANDBOX_CHANNEL === 'long-connection';
  return {
    storeKind: 'sandbox',
    clock: new OffsetClock(),
    // With ZHUCUN_SANDBOX_CHANNEL=long-connection the robot dials the fake WeCom's WebSocket (known once it runs).
    get channels() {
      return longConnection
        ? {
            app: SANDBOX_APP,
            ...(fake
              ? { longConnection: { botId: FAKE_ROBOT.botId, secret: FAKE_ROBOT.secret, wsUrl: fake.wsUrl } }
              : {}),
          }
        : { app: SANDBOX_APP, robot: SANDBOX_ROBOT };
    },
    jsSdkScripts: [JSSDK_STANDIN_URL],
    get fake() {
      return fake;
    },
    async fillEmptyRoster(roster) {
      const data = await loadRosterFile(SAMPLE_ROSTER);
      await roster.replace(data);
      log.info({ file: SAMPLE_ROSTER }, 'sandbox: the roster was empty, imported the sample roster (invented people)');
    },
    // The bot talks to a local fake WeCom exactly as it would to the real one.
    async startWecom() {
      if (env.configured.some((k) => k.startsWith('WECOM_'))) {
        log.warn(
          'ZHUCUN_SANDBOX=1: the sandbox runs with its local fake WeCom; the WeCom credentials set are not used',
        );
      }
      fake = await startFakeWecom({
        corpId: SANDBOX_APP.corpId,
        agentId: SANDBOX_APP.agentId,
        secret: SANDBOX_APP.secret,
      });
      log.info({ url: fake.url }, 'sandbox: fake WeCom API started');
      return { base: fake.url, corpId: SANDBOX_APP.corpId, agentId: SANDBOX_APP.agentId, secret: SANDBOX_APP.secret };
    },
    oauthBase: sandboxAuthorizeBase,
    // The web login (扫码登录) is answered by the same stand-in: the person chosen on the sandbox page.
    webLoginBase: sandboxAuthorizeBase,
    // Each sample group gets a webhook key of its own, unless the environment names one.
    sendEnv: async (roster) => ({ ...sandboxWebhookEnv((await roster.get()).data.groups), ...process.env }),
    // Seeds its sample history first, so the scheduler's catch-up runs on it rather than on nothing.
    async attach({ deps, bot, registry, jobs, sendEnv }) {
      const fakeWecom = started();
      const part = await startSandbox({
        deps,
        bot,
        registry,
        fake: fakeWecom,
        ...(longConnection ? { longConnection: { botId: FAKE_ROBOT.botId } } : {}),
        app: SANDBOX_APP,
        robot: SANDBOX_ROBOT,
        sendEnv,
        jobs: sandboxJobs(jobs.context, jobs.table),
        mediaBytes: (id) => fakeWecom.mediaData(id),
        open,
      });
      const wecomSide = createWecomSideRouter(fakeWecom, { publicUrl: deps.publicUrl, open, log });
      return { routers: [wecomSide, ...part.routers], close: () => part.close() };
    },
    close: async () => {
      await fake?.stop();
    },
  };
}
