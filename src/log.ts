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
    {
      level: opts.level ?? 'info',
      redact: { paths: redact, censor: '[redacted]' },
      base: { app: 'zhucun', pid: process.pid },
    },
    dest,
  );
}

/** A logger that drops everything (tests that do not inspect logs). */
export const silentLogger: Logger = pino({ level: 'silent' });

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
/** On a lazy child: the real pino logger (made on first use), and the real logger its chain starts from. */
const REAL = Symbol('real');
const ROOT = Symbol('root');

/**
 * `parent.child(bindings)`, built only when something is logged through it. A callback makes several child
 * loggers (the edge, the core, the command) and, at the default level, usually logs nothing through them:
 * pino serialises a child's bindings when it is made, so making them lazily keeps that off every request.
 * Levels are those of the logger the chain starts from.
 */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  const lazy = parent as Logger & { [REAL]?: Logger; [ROOT]?: Logger };
  const root = lazy[ROOT] ?? parent;
  let real: Logger | undefined;
  const made = () => (real ??= (lazy[REAL] ?? parent).child(bindings));
  const proxy: Logger = new Proxy(root, {
    get(_target, prop) {
      if (prop === REAL) return made();
      if (prop === ROOT) return root;
      if (typeof prop === 'string' && LEVELS.has(prop)) {
        return (...args: unknown[]) => {
          if (!root.isLevelEnabled(prop)) return;
          (made()[prop as 'info'] as (...a: unknown[]) => void)(...args);
        };
      }
      if (prop === 'child') return (more: Record<string, unknown>) => lazyChild(proxy, more);
      const value = Reflect.get(made(), prop) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(made()) : value;
    },
  });
  return proxy;
}
