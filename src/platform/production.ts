/**
 * The production platform: the real WeCom, with the app's settings and the callback channels read from the
 * environment, the system clock, and a roster that must be imported before the first start.
 */
import { JSSDK_SCRIPTS, WECOM_OAUTH_BASE, WECOM_WEB_LOGIN_BASE } from '../checkin-page/links.js';
import { longConnectionSettings, type Env } from '../config/env.js';
import { systemClock } from '../core/clock.js';
import type { Channels, Platform } from './platform.js';

/** The channels whose settings are all present; `chooseMode` has refused any half-configured one already. */
function channelsOf(env: Env): Channels {
  const { WECOM_APP_TOKEN: token, WECOM_APP_AES_KEY: aesKey, WECOM_CORP_ID: corpId } = env;
  const lc = longConnectionSettings(env);
  return {
    ...(token && aesKey && corpId ? { app: { token, aesKey, corpId } } : {}),
    ...(env.WECOM_BOT_TOKEN && env.WECOM_BOT_AES_KEY
      ? { robot: { token: env.WECOM_BOT_TOKEN, aesKey: env.WECOM_BOT_AES_KEY } }
      : {}),
    ...(lc ? { longConnection: lc } : {}),
  };
}

/** The platform of a real deployment, from the validated environment. */
export function productionPlatform(env: Env): Platform {
  return {
    storeKind: 'production',
    clock: systemClock,
    channels: channelsOf(env),
    jsSdkScripts: JSSDK_SCRIPTS,
    fillEmptyRoster: async () => {
      throw new Error(
        'the roster is empty: set ZHUCUN_ROSTER=path/to/roster.yaml or run `npx zhucun roster import FILE` first',
      );
    },
    startWecom: async () => ({
      base: env.WECOM_API_BASE,
      corpId: env.WECOM_CORP_ID ?? '',
      agentId: env.WECOM_AGENT_ID ?? '',
      secret: env.WECOM_APP_SECRET ?? '',
    }),
    oauthBase: () => WECOM_OAUTH_BASE,
    webLoginBase: () => WECOM_WEB_LOGIN_BASE,
    // Group robot webhook keys live in the environment.
    sendEnv: async () => process.env,
    attach: async () => ({ routers: [], close: async () => {} }),
    close: async () => {},
  };
}
