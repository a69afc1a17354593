/**
 * The callback edge: WeCom's POSTs to `/wecom/app` and `/wecom/bot` answered straight from Node's HTTP server,
 * in front of Koa. They are almost all the traffic a county sends, and Koa's context, middleware chain and
 * router cost as much CPU per callback as the rest of the edge together; what the POSTs need from them is a
 * query string, the raw body and a status, type and body written back. Everything else (URL verification, the
 * check-in page, health, the sandbox, other methods and paths) goes on to Koa.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import { isStorageError } from '../redis/errors.js';
import { readRawBody } from './body.js';
import type { CallbackAnswer, ChannelName, RawQuery, WecomCallbacks } from './wecom-routes.js';

/** Handles the request and answers true, or leaves it alone and answers false. */
export type Edge = (req: IncomingMessage, res: ServerResponse) => boolean;

const PATHS: Record<string, ChannelName> = { '/wecom/app': 'app', '/wecom/bot': 'bot' };
const QUERY_NAMES = ['msg_signature', 'timestamp', 'nonce'] as const;

/** The signed values of the query, as Koa's `ctx.query` gives them (one value, or every value when repeated). */
function readQuery(search: string): RawQuery {
  const params = new URLSearchParams(search);
  const out: RawQuery = {};
  for (const name of QUERY_NAMES) {
    const all = params.getAll(name);
    out[name] = all.length <= 1 ? all[0] : all;
  }
  return out;
}

/**
 * The same headers Koa writes for these answers, with the charset spelled out. The body goes as a string: Node
 * then sends it with the headers in one write, where a Buffer makes a second chunk and a vectored write.
 */
function write(res: ServerResponse, answer: CallbackAnswer): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(answer.status, {
    'content-type': `${answer.type}; charset=utf-8`,
    'content-length': Buffer.byteLength(answer.body, 'utf8'),
  });
  res.end(answer.body, 'utf8');
}

export function wecomEdge(callbacks: WecomCallbacks, log: Logger): Edge {
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const mark = url.indexOf('?');
    const path = mark < 0 ? url : url.slice(0, mark);
    const channel = PATHS[path];
    if (!channel) return false;
    const started = performance.now();
    callbacks
      .post(channel, readQuery(mark < 0 ? '' : url.slice(mark + 1)), path, () => readRawBody(req))
      .then(
        (answer) => write(res, answer),
        (err: unknown) => {
          // As Koa's error middleware does (server.ts): storage trouble is 503 so that WeCom retries, never 200.
          const status = isStorageError(err) ? 503 : 500;
          log.error({ err, method: 'POST', path }, 'request failed');
          write(res, { status, type: 'text/plain', body: 'internal error' });
        },
      )
      .finally(() =>
        log.debug(
          { method: 'POST', path, status: res.statusCode, ms: Math.round(performance.now() - started) },
          'http',
        ),
      );
    return true;
  };
}
