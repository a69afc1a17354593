/**
 * Structured JSON logs (pino). Secrets are redacted by path so that a logged config or request never leaks them.
 * `serve` logs to stdout; other CLI subcommands log to stderr so that `--json` output stays one document.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

const redact = [
  'secret',
  'token',
  'aesKey',
  'access_token',
  '*.secret',
  '*.token',
  '*.aesKey',
  '*.access_token',
  '*.WECOM_APP_SECRET',
  '*.WECOM_APP_AES_KEY',
  '*.WECOM_BOT_AES_KEY',
  '*.WECOM_APP_TOKEN',
  '*.WECOM_BOT_TOKEN',
  '*.ADMIN_TOKEN',
];

export function createLogger(opts: { level?: string; stream?: 'stdout' | 'stderr' } = {}): Logger {
  const dest = pino.destination({ fd: opts.stream === 'stderr' ? 2 : 1, sync: true });
  return pino(
    { level: opts.level ?? 'info', redact: { paths: redact, censor: '[redacted]' }, base: { app: 'zhucun' } },
    dest,
  );
}

/** A logger that drops everything (tests that do not inspect logs). */
export const silentLogger: Logger = pino({ level: 'silent' });
