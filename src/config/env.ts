/**
 * Configuration from the environment, validated once at start. Every variable is documented in `.env.example`.
 * A bad value stops start-up with the variable's name and what is wrong with it.
 */
import { z } from 'zod';

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** An integer with a default; an empty string counts as unset. */
function int(def: number, min: number, max: number) {
  return optional.transform((v, ctx) => {
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return n;
  });
}

const aesKey = optional.refine((v) => v === undefined || /^[A-Za-z0-9]{43}$/.test(v), {
  message: 'EncodingAESKey must be 43 letters and digits, exactly as shown in the WeCom admin console',
});

const schema = z.object({
  WECOM_CORP_ID: optional,
  WECOM_AGENT_ID: optional,
  WECOM_APP_SECRET: optional,
  WECOM_APP_TOKEN: optional,
  WECOM_APP_AES_KEY: aesKey,
  WECOM_BOT_TOKEN: optional,
  WECOM_BOT_AES_KEY: aesKey,
  WECOM_API_BASE: optional.transform((v) => (v ?? 'https://qyapi.weixin.qq.com').replace(/\/+$/, '')),
  WECOM_TIMESTAMP_TOLERANCE_S: int(300, 0, 86400),
  PORT: int(3000, 0, 65535),
  HOST: optional.transform((v) => v ?? '127.0.0.1'),
  PUBLIC_URL: optional,
  REDIS_URL: optional,
  REDIS_CLUSTER_NODES: optional,
  ZHUCUN_DATA_DIR: optional.transform((v) => v ?? './var'),
  ADMIN_TOKEN: optional,
  TRUST_PROXY: optional.refine((v) => v === undefined || v === '0' || v === '1', { message: 'must be 1 (behind a reverse proxy that sets X-Forwarded-For) or 0' }),
  ZHUCUN_ROSTER: optional,
  ZHUCUN_POLICY: optional.transform((v) => v ?? 'config/policy.yaml'),
  ZHUCUN_HOLIDAYS: optional,
  ZHUCUN_SANDBOX: optional,
  ZHUCUN_NAMESPACE: optional.transform((v) => v ?? 'zc'),
  LOG_LEVEL: optional.transform((v) => v ?? 'info'),
});

export type Env = z.output<typeof schema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse and check the environment; throws ConfigError naming each wrong variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

/** True when the self-built app is fully configured for sending (corp id, agent id and secret). */
export function hasAppCredentials(env: Env): boolean {
  return Boolean(env.WECOM_CORP_ID && env.WECOM_AGENT_ID && env.WECOM_APP_SECRET);
}

/** True when any WeCom credential is set; without any the bot runs in sandbox mode. */
export function hasAnyWecomCredentials(env: Env): boolean {
  return Boolean(env.WECOM_CORP_ID || env.WECOM_APP_TOKEN || env.WECOM_BOT_TOKEN || env.WECOM_APP_SECRET);
}

/** Sandbox: on without credentials, or with credentials when ZHUCUN_SANDBOX=1. */
export function sandboxEnabled(env: Env): boolean {
  if (env.ZHUCUN_SANDBOX === '0') return false;
  return env.ZHUCUN_SANDBOX === '1' || !hasAnyWecomCredentials(env);
}
