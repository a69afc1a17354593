/**
 * Reading a callback body ourselves (no body parser): WeCom posts XML or JSON that must reach the signature check
 * byte for byte, and a size cap keeps an unauthenticated sender from making us buffer without limit.
 */
import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
import { CallbackError } from '../wecom/crypto.js';

/** Largest callback body accepted; real WeCom callbacks are a few kilobytes. */
export const CALLBACK_BODY_LIMIT = 256 * 1024;

/** Longest a callback body may take to arrive once the headers are in; WeCom sends it at once. */
export const CALLBACK_BODY_TIMEOUT_MS = 10_000;

/** Node's own answer to a request that took too long, written before the connection is closed. */
const REQUEST_TIMEOUT_RESPONSE = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * The deadlines of the bodies being read, checked by one timer every DEADLINE_TICK_MS while any is pending, rather
 * than a timer of each request's own: arming and clearing one on every callback showed in a callback's profile. A
 * deadline is met up to one tick late. Measured on the monotonic clock, as timers are: a step of the wall clock
 * neither expires every pending body at once nor lets a slow one stay.
 */
const DEADLINE_TICK_MS = 250;
interface Deadline {
  at: number;
  expire: () => void;
}
const deadlines = new Set<Deadline>();
let sweeper: NodeJS.Timeout | undefined;

function sweep(): void {
  const now = performance.now();
  for (const d of deadlines) {
    if (d.at > now) continue;
    deadlines.delete(d);
    d.expire();
  }
  if (!deadlines.size) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

function addDeadline(ms: number, expire: () => void): Deadline {
  const d = { at: performance.now() + ms, expire };
  deadlines.add(d);
  // Unreferenced: a connection still open keeps the process alive by itself.
  sweeper ??= setInterval(sweep, DEADLINE_TICK_MS).unref();
  return d;
}

/**
 * The whole request body as UTF-8 text. Over `limit` bytes is a `CallbackError` 'too_large' (413), refused from
 * Content-Length alone when the sender declares it; an aborted or inconsistent body is 'bad_body' (400). A body
 * not complete within `timeoutMs` is 'body_timeout' (408): the 408 goes out at once and the connection is closed,
 * so a sender that trickles or stalls holds nothing (nothing else has been written to the response yet).
 */
export async function readRawBody(
  req: IncomingMessage,
  limit = CALLBACK_BODY_LIMIT,
  timeoutMs = CALLBACK_BODY_TIMEOUT_MS,
): Promise<string> {
  const declared = req.headers['content-length'];
  const reading = getRawBody(req, { limit, length: declared ?? null, encoding: 'utf-8' });
  let entry: Deadline | undefined;
  const deadline = new Promise<never>((_, reject) => {
    entry = addDeadline(timeoutMs, () => {
      reading.catch(() => undefined); // it fails once the socket is gone; the timeout is the answer
      req.socket.end(REQUEST_TIMEOUT_RESPONSE);
      req.socket.destroySoon();
      reject(new CallbackError('body_timeout', 'body not complete in time', { timeoutMs, declared }));
    });
  });
  try {
    return await Promise.race([reading, deadline]);
  } catch (err) {
    if (err instanceof CallbackError) throw err;
    const e = err as { type?: string; message?: string };
    if (e.type === 'entity.too.large') throw new CallbackError('too_large', 'body too large', { limit, declared });
    throw new CallbackError('bad_body', 'body could not be read', { cause: e.type ?? e.message });
  } finally {
    deadlines.delete(entry!);
  }
}
