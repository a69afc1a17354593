/**
 * Configuration from the environment, validated once at start. Every variable is documented in `.env.example`.
 * A bad value stops start-up with the variable's name and what is wrong with it.
 */
import { join } from 'node:path';
import { closest, distance } from 'fastest-levenshtein';
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

/** A 0/1 switch; anything else is refused rather than guessed. */
function flag(what: string) {
  return optional.refine((v) => v === undefined || v === '0' || v === '1', { message: `must be 0 or 1 (${what})` });
}

/** WeCom userids (letters, digits, `_-@.`, at most 64), separated by `|` or `,`; null when one is malformed. */
export function alertUserIds(value: string): string[] | null {
  const ids = value.split(/[|,]/).map((v) => v.trim());
  return ids.every((id) => /^[A-Za-z0-9_.@-]{1,64}$/.test(id)) ? [...new Set(ids)] : null;
}

const schema = z.object({
  WECOM_CORP_ID: optional,
  WECOM_AGENT_ID: optional,
  WECOM_APP_SECRET: optional,
  WECOM_APP_TOKEN: optional,
  WECOM_APP_AES_KEY: aesKey,
  WECOM_BOT_TOKEN: optional,
  WECOM_BOT_AES_KEY: aesKey,
  // The smart robot: `callback` (WECOM_BOT_TOKEN/AES_KEY, needs a public URL) or `long-connection` (dials out).
  WECOM_BOT_MODE: optional
    .refine((v) => v === undefined || v === 'callback' || v === 'long-connection', {
      message: 'must be callback (WeCom posts to /wecom/bot) or long-connection (the bot dials out, no public URL)',
    })
    .transform((v) => (v ?? 'callback') as 'callback' | 'long-connection'),
  WECOM_BOT_ID: optional,
  WECOM_BOT_SECRET: optional,
  WECOM_BOT_WS_URL: optional
    .refine((v) => v === undefined || /^wss?:\/\/[^\s/]+(\/\S*)?$/.test(v), {
      message: 'must be a ws:// or wss:// URL, e.g. wss://openws.work.weixin.qq.com',
    })
    .transform((v) => v ?? 'wss://openws.work.weixin.qq.com'),
  WECOM_API_BASE: optional.transform((v) => (v ?? 'https://qyapi.weixin.qq.com').replace(/\/+$/, '')),
  WECOM_TIMESTAMP_TOLERANCE_S: int(300, 0, 86400),
  PORT: int(3000, 0, 65535),
  HOST: optional.transform((v) => v ?? '127.0.0.1'),
  PUBLIC_URL: optional,
  REDIS_URL: optional,
  REDIS_CLUSTER_NODES: optional,
  // Sentinel: the sentinels' host:port list and the name of the master they watch (see src/redis/connect.ts).
  REDIS_SENTINELS: optional,
  REDIS_SENTINEL_NAME: optional,
  REDIS_SENTINEL_PASSWORD: optional,
  // At most this many connected replicas must hold an update's commit before it is answered (Sentinel; default 1).
  REDIS_WAIT_REPLICAS: optional.refine((v) => v === undefined || /^[0-9]$/.test(v), {
    message: 'must be a number of replicas from 0 to 9 (0: answer without waiting for a replica)',
  }),
  // Credentials and TLS for an external Redis, in every mode (they override those in REDIS_URL).
  REDIS_USERNAME: optional,
  REDIS_PASSWORD: optional,
  REDIS_TLS: flag('1 speaks TLS to every Redis node and sentinel, as rediss:// does for REDIS_URL'),
  REDIS_TLS_CA: optional,
  REDIS_TLS_SERVERNAME: optional,
  ZHUCUN_DATA_DIR: optional.transform((v) => v ?? './var'),
  ZHUCUN_BACKUP_DIR: optional,
  ADMIN_TOKEN: optional,
  TRUST_PROXY: optional.refine((v) => v === undefined || v === '0' || v === '1', {
    message: 'must be 1 (behind a reverse proxy that sets X-Forwarded-For) or 0',
  }),
  ZHUCUN_ROSTER: optional,
  ZHUCUN_POLICY: optional.transform((v) => v ?? 'config/policy.yaml'),
  ZHUCUN_HOLIDAYS: optional,
  ZHUCUN_SANDBOX: flag('1 runs the sandbox, 0 never; unset: only when nothing at all is configured'),
  ZHUCUN_SANDBOX_CHANNEL: optional
    .refine((v) => v === undefined || v === 'callback' || v === 'long-connection', {
      message: 'must be callback (the robot posts to /wecom/bot) or long-connection (over the fake WeCom WebSocket)',
    })
    .transform((v) => (v ?? 'callback') as 'callback' | 'long-connection'),
  ZHUCUN_SANDBOX_OPEN: flag('1 lets other machines than this one use the sandbox page and its API'),
  // The prefix of every key; a namespace is all keys under `<ns>:{`, so a name of letters, digits, _ and - only.
  ZHUCUN_NAMESPACE: optional
    .refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,64}$/.test(v), {
      message: 'must be letters, digits, _ or - (at most 64), e.g. zc or county_north',
    })
    .transform((v) => v ?? 'zc'),
  LOG_LEVEL: optional.transform((v) => v ?? 'info'),
  // Operator alerts: members who get them as app messages, and/or the variable holding a group robot's key.
  // HTTP worker processes of `zhucun serve`: a number from 1 to 64, or `auto` for one per CPU core.
  ZHUCUN_WORKERS: optional.refine((v) => v === undefined || v === 'auto' || /^([1-9]|[1-5]\d|6[0-4])$/.test(v), {
    message: 'must be a number of processes from 1 to 64, or auto (one per CPU core)',
  }),
  ZHUCUN_ALERT_TO: optional.refine((v) => v === undefined || alertUserIds(v) !== null, {
    message: 'must be WeCom userids (letters, digits, _ - @ .) separated by | or , e.g. ZhangSan|LiSi',
  }),
  ZHUCUN_ALERT_WEBHOOK_ENV: optional.refine((v) => v === undefined || /^(?!WECOM_|ZHUCUN_)[A-Z][A-Z0-9_]*$/.test(v), {
    message: 'must name the environment variable holding a group robot webhook key, e.g. WEBHOOK_OPS',
  }),
});

/** The validated variables, plus which configuration variables were set at all (for choosing the sandbox). */
export type Env = z.output<typeof schema> & { readonly configured: readonly string[] };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Every variable the bot reads; an unknown `WECOM_*` or `ZHUCUN_*` is taken for a typo of one of these. */
export const KNOWN_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** Variables whose presence means "this is meant to be a real deployment", so no sandbox by default. */
const CONFIGURATION = /^(WECOM_|ZHUCUN_|REDIS_)|^(ADMIN_TOKEN|PUBLIC_URL)$/;

/** Parse and check the environment; throws ConfigError naming each wrong or unknown variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  const lines = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  lines.push(...unknownVariables(source));
  const hookEnv = parsed.success ? parsed.data.ZHUCUN_ALERT_WEBHOOK_ENV : undefined;
  if (hookEnv && !(source[hookEnv] ?? '').trim())
    lines.push(
      `ZHUCUN_ALERT_WEBHOOK_ENV: names ${hookEnv}, which is not set (put the group robot's webhook key there)`,
    );
  if (parsed.success) lines.push(...longConnectionProblems(parsed.data));
  if (!parsed.success || lines.length) throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  const configured = Object.keys(source).filter((k) => CONFIGURATION.test(k) && (source[k] ?? '').trim() !== '');
  return { ...parsed.data, configured };
}

/**
 * A set `WECOM_*`/`ZHUCUN_*` variable the bot does not read is almost always a misspelt one, and the setting
 * meant is then silently missing: each is reported with the nearest known name.
 */
export function unknownVariables(source: NodeJS.ProcessEnv): string[] {
  return Object.keys(source)
    .filter((k) => /^(WECOM|ZHUCUN)_/.test(k) && !KNOWN_VARIABLES.includes(k) && (source[k] ?? '').trim() !== '')
    .sort()
    .map((k) => {
      const near = closest(k, KNOWN_VARIABLES as string[]);
      const hint =
        distance(k, near) <= Math.max(3, Math.floor(k.length / 3))
          ? `did you mean ${near}?`
          : 'see .env.example for the variables';
      return `${k} is not a known variable: ${hint}`;
    });
}

/** The smart robot's long connection settings: both or neither of id and secret, and only in that mode. */
function longConnectionProblems(env: z.output<typeof schema>): string[] {
  const out: string[] = [];
  if (env.WECOM_BOT_MODE === 'long-connection') {
    for (const name of ['WECOM_BOT_ID', 'WECOM_BOT_SECRET'] as const)
      if (!env[name])
        out.push(
          `${name}: must be set with WECOM_BOT_MODE=long-connection (the smart robot's Bot ID and Secret in API mode)`,
        );
    if (env.WECOM_BOT_TOKEN || env.WECOM_BOT_AES_KEY)
      out.push(
        'WECOM_BOT_TOKEN / WECOM_BOT_AES_KEY: the robot answers over the long connection, not callbacks; remove them or set WECOM_BOT_MODE=callback',
      );
  } else {
    for (const name of ['WECOM_BOT_ID', 'WECOM_BOT_SECRET'] as const)
      if (env[name])
        out.push(`${name}: is set but WECOM_BOT_MODE is not long-connection (set WECOM_BOT_MODE=long-connection)`);
  }
  return out;
}

/** The long connection's settings when WECOM_BOT_MODE=long-connection (validated by `loadEnv`). */
export function longConnectionSettings(env: Env): { botId: string; secret: string; wsUrl: string } | undefined {
  if (env.WECOM_BOT_MODE !== 'long-connection' || !env.WECOM_BOT_ID || !env.WECOM_BOT_SECRET) return undefined;
  return { botId: env.WECOM_BOT_ID, secret: env.WECOM_BOT_SECRET, wsUrl: env.WECOM_BOT_WS_URL };
}

/** True when the self-built app is fully configured for sending (corp id, agent id and secret). */
export function hasAppCredentials(env: Env): boolean {
  return Boolean(env.WECOM_CORP_ID && env.WECOM_AGENT_ID && env.WECOM_APP_SECRET);
}

/** Where the backup job writes its snapshots: ZHUCUN_BACKUP_DIR, by default `backups` in ZHUCUN_DATA_DIR. */
export function backupDir(env: Pick<Env, 'ZHUCUN_BACKUP_DIR' | 'ZHUCUN_DATA_DIR'>): string {
  return env.ZHUCUN_BACKUP_DIR ?? join(env.ZHUCUN_DATA_DIR, 'backups');
}
