/**
 * Production or sandbox, decided once at start. The sandbox runs only when asked for (`ZHUCUN_SANDBOX=1`) or
 * when nothing at all is configured (a first `npm start` to look around); anything in between is a
 * configuration mistake and stops start-up, because running the sandbox by accident would answer real
 * callbacks with known keys and write sample history into real storage.
 */
import { ConfigError, longConnectionSettings, type Env } from './env.js';

export type RunMode = { sandbox: false } | { sandbox: true; implicit: boolean };

const HOW_TO_SANDBOX = 'to run the local sandbox instead, set ZHUCUN_SANDBOX=1 (see .env.example)';

/** What is missing for each WeCom channel that is only partly configured. */
export function channelProblems(env: Env): string[] {
  const out: string[] = [];
  const pair = (a: keyof Env, b: keyof Env, what: string) => {
    if (Boolean(env[a]) !== Boolean(env[b]))
      out.push(`${env[a] ? a : b} is set but ${env[a] ? b : a} is not (${what})`);
  };
  pair('WECOM_APP_TOKEN', 'WECOM_APP_AES_KEY', 'app callbacks');
  pair('WECOM_AGENT_ID', 'WECOM_APP_SECRET', 'sending as the app');
  pair('WECOM_BOT_TOKEN', 'WECOM_BOT_AES_KEY', 'smart robot callbacks');
  const appParts = ['WECOM_APP_TOKEN', 'WECOM_APP_AES_KEY', 'WECOM_AGENT_ID', 'WECOM_APP_SECRET'] as const;
  const usesApp = appParts.filter((k) => env[k]);
  if (usesApp.length && !env.WECOM_CORP_ID)
    out.push(`${usesApp.join(', ')} ${usesApp.length > 1 ? 'are' : 'is'} set but WECOM_CORP_ID is not`);
  if (env.WECOM_CORP_ID && !usesApp.length)
    out.push(
      'WECOM_CORP_ID is set but neither the app callback (WECOM_APP_TOKEN, WECOM_APP_AES_KEY) nor sending (WECOM_AGENT_ID, WECOM_APP_SECRET) is',
    );
  return out;
}

/** True when at least one WeCom channel (app callbacks, app sending, robot callbacks or long connection) is fully configured. */
export function hasChannel(env: Env): boolean {
  const appCallbacks = Boolean(env.WECOM_CORP_ID && env.WECOM_APP_TOKEN && env.WECOM_APP_AES_KEY);
  const sending = Boolean(env.WECOM_CORP_ID && env.WECOM_AGENT_ID && env.WECOM_APP_SECRET);
  const robot = Boolean(env.WECOM_BOT_TOKEN && env.WECOM_BOT_AES_KEY);
  const longConnection = Boolean(longConnectionSettings(env));
  return appCallbacks || sending || robot || longConnection;
}

/** Choose the mode; throws ConfigError saying what is missing and how to get the sandbox explicitly. */
export function chooseMode(env: Env): RunMode {
  if (env.ZHUCUN_SANDBOX === '1') return { sandbox: true, implicit: false };
  if (env.ZHUCUN_SANDBOX_OPEN === '1') {
    throw new ConfigError(
      'ZHUCUN_SANDBOX_OPEN=1 is set but the sandbox is not: it applies only together with ZHUCUN_SANDBOX=1',
    );
  }
  const problems = channelProblems(env);
  if (problems.length) {
    throw new ConfigError(`the WeCom configuration is incomplete:\n  ${problems.join('\n  ')}\n${HOW_TO_SANDBOX}`);
  }
  if (hasChannel(env)) return { sandbox: false };
  if (env.configured.length === 0) return { sandbox: true, implicit: true };
  const why =
    env.ZHUCUN_SANDBOX === '0'
      ? 'ZHUCUN_SANDBOX=0 is set'
      : `the sandbox runs only when asked for and these are set: ${env.configured.join(', ')}`;
  throw new ConfigError(
    `no WeCom channel is configured (WECOM_CORP_ID with WECOM_APP_TOKEN and WECOM_APP_AES_KEY, or with WECOM_AGENT_ID and WECOM_APP_SECRET, or WECOM_BOT_TOKEN and WECOM_BOT_AES_KEY), and ${why}\n${HOW_TO_SANDBOX}`,
  );
}

/** The warning an implicit sandbox prints, on the console and in the log. */
export const IMPLICIT_SANDBOX_WARNING = [
  '**************************************************************************************************',
  '* SANDBOX MODE: nothing is configured, so this is the local sandbox, not a WeCom bot.',
  '* It runs on invented sample data and a fake WeCom whose keys are public: whoever reaches this port',
  '* can act as anyone. It answers only to this machine (HOST=127.0.0.1).',
  '* For a real deployment set the WECOM_* variables (see .env.example);',
  '* set ZHUCUN_SANDBOX=1 to choose the sandbox explicitly and silence this warning.',
  '**************************************************************************************************',
].join('\n');
