/**
 * Request guards shared by the bot's own JSON APIs (the sandbox page, the check-in page) and the sandbox's
 * local-only endpoints. A refused request gets a status code and a log line and reaches no handler.
 */
import { isIPv4 } from 'node:net';
import type { Context, Middleware, Next } from 'koa';
import type { Logger } from '../log.js';

/** True for 127.0.0.0/8 and ::1, including IPv4 addresses written IPv6-mapped (`::ffff:127.0.0.1`). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return address === '::1';
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** Origins a page of this bot is served from: PUBLIC_URL's, and the loopback names on the port asked. */
function ownOrigins(ctx: Context, publicUrl: string | undefined): Set<string> {
  const port = ctx.req.socket.localPort;
  const own = new Set(LOOPBACK_NAMES.map((h) => `http://${h}:${port}`));
  if (publicUrl) own.add(new URL(publicUrl).origin);
  return own;
}

function refuse(ctx: Context, log: Logger, status: number, why: string): void {
  log.warn(
    {
      method: ctx.method,
      path: ctx.path,
      remote: ctx.req.socket.remoteAddress,
      origin: ctx.get('origin') || undefined,
      status,
    },
    why,
  );
  ctx.status = status;
  ctx.body = { error: why };
}

/**
 * Only callers on this machine: the socket's remote address must be loopback (a proxy's X-Forwarded-For is not
 * looked at, so a reverse proxy in front makes everything remote), and the Host header must name this machine
 * or PUBLIC_URL, so that a web page whose domain is re-pointed at 127.0.0.1 (DNS rebinding) is refused too.
 */
export function localOnly(opts: { log: Logger; publicUrl?: string }): Middleware {
  const publicHost = opts.publicUrl ? new URL(opts.publicUrl).host : undefined;
  return async (ctx: Context, next: Next) => {
    if (!isLoopback(ctx.req.socket.remoteAddress))
      return refuse(
        ctx,
        opts.log,
        403,
        'only callers on this machine may use the sandbox (ZHUCUN_SANDBOX_OPEN=1 opens it)',
      );
    const host = ctx.get('host').toLowerCase();
    const name = host.replace(/:\d+$/, '');
    if (host !== publicHost && !LOOPBACK_NAMES.includes(name))
      return refuse(ctx, opts.log, 403, `the sandbox answers only to localhost, not to the host name ${name}`);
    await next();
  };
}

/**
 * A JSON API: a request with a body must say `Content-Type: application/json` (415 otherwise: a form or
 * `text/plain` post is what another site can send without asking), and a request carrying `Origin` must come
 * from one of the bot's own pages (403). A request without `Origin` passes: browsers send it on every
 * cross-origin request and on every POST, so only non-browser clients (curl, scripts) lack it, and those can
 * set any header they like anyway. A browser's `Sec-Fetch-Site: cross-site` is refused as well.
 */
export function jsonApi(opts: { log: Logger; publicUrl?: string }): Middleware {
  return async (ctx: Context, next: Next) => {
    const origin = ctx.get('origin');
    if (origin && !ownOrigins(ctx, opts.publicUrl).has(origin))
      return refuse(ctx, opts.log, 403, `requests from ${origin} are not accepted`);
    if (ctx.get('sec-fetch-site') === 'cross-site')
      return refuse(ctx, opts.log, 403, 'cross-site requests are not accepted');
    const hasBody = !['GET', 'HEAD', 'OPTIONS'].includes(ctx.method);
    if (hasBody && ctx.is('application/json') !== 'application/json')
      return refuse(ctx, opts.log, 415, 'the body must be application/json');
    await next();
  };
}

/**
 * A failure on our side (storage down, a bug) is answered 503 by `answer` with a log line naming `what`, never a
 * bare 500: nothing was recorded, and the person or WeCom may simply try again. A client error (body too large,
 * bad JSON) keeps its own status.
 */
export function unavailableOnFailure(log: Logger, what: string, answer: (ctx: Context) => void): Middleware {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status !== undefined && status < 500) throw err;
      log.error({ err, method: ctx.method, path: ctx.path }, `${what}: request failed`);
      ctx.status = 503;
      answer(ctx);
    }
  };
}
