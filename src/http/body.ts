/**
 * Reading a callback body ourselves (no body parser): WeCom posts XML or JSON that must reach the signature check
 * byte for byte, and a size cap keeps an unauthenticated sender from making us buffer without limit.
 */
import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
import { CallbackError } from '../wecom/crypto.js';

/** Largest callback body accepted; real WeCom callbacks are a few kilobytes. */
export const CALLBACK_BODY_LIMIT = 256 * 1024;

/**
 * The whole request body as UTF-8 text. Over `limit` bytes is a `CallbackError` 'too_large' (413), refused from
 * Content-Length alone when the sender declares it; an aborted or inconsistent body is 'bad_body' (400).
 */
export async function readRawBody(req: IncomingMessage, limit = CALLBACK_BODY_LIMIT): Promise<string> {
  const declared = req.headers['content-length'];
  try {
    return await getRawBody(req, { limit, length: declared ?? null, encoding: 'utf-8' });
  } catch (err) {
    const e = err as { type?: string; message?: string };
    if (e.type === 'entity.too.large') throw new CallbackError('too_large', 'body too large', { limit, declared });
    throw new CallbackError('bad_body', 'body could not be read', { cause: e.type ?? e.message });
  }
}
