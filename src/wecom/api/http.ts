/**
 * One HTTP exchange with WeCom: JSON or multipart out, JSON back, a hard time limit, and every way it can go
 * wrong turned into a `WecomHttpError` (no answer) or a `WecomApiError` (an answer with a non-zero errcode).
 * Uses Node's global fetch, so nothing here depends on the host being the real WeCom or the fake one.
 */
import { apiError, WecomHttpError } from './errors.js';

/** A file for `media/upload` or `webhook/upload_media` (multipart field "media" [D:90253]). */
export interface MediaPart {
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface HttpRequest {
  endpoint: string;
  method: 'GET' | 'POST';
  url: string;
  json?: unknown;
  media?: MediaPart;
  timeoutMs: number;
}

export type WecomAnswer = Record<string, unknown> & { errcode?: number; errmsg?: string };

/** Send one request and return WeCom's JSON answer when its errcode is 0 (or absent). */
export async function requestWecom(req: HttpRequest): Promise<WecomAnswer> {
  const init: RequestInit = { method: req.method, signal: AbortSignal.timeout(req.timeoutMs) };
  if (req.media) {
    const form = new FormData();
    form.append(
      'media',
      new Blob([new Uint8Array(req.media.data)], { type: req.media.contentType }),
      req.media.filename,
    );
    init.body = form;
  } else if (req.json !== undefined) {
    init.body = JSON.stringify(req.json);
    init.headers = { 'content-type': 'application/json; charset=utf-8' };
  }
  let text: string;
  let status: number;
  try {
    const res = await fetch(req.url, init);
    status = res.status;
    text = await res.text();
  } catch (err) {
    throw transportError(req.endpoint, err);
  }
  if (status < 200 || status >= 300) throw new WecomHttpError(req.endpoint, 'status', text.slice(0, 200), status);
  let body: WecomAnswer;
  try {
    body = JSON.parse(text) as WecomAnswer;
  } catch {
    throw new WecomHttpError(req.endpoint, 'bad_response', `not JSON: ${text.slice(0, 100)}`, status);
  }
  if (typeof body.errcode === 'number' && body.errcode !== 0) {
    throw apiError(req.endpoint, body.errcode, String(body.errmsg ?? ''));
  }
  return body;
}

/** Classify a fetch failure: our own time limit, the peer closing the connection, or any other network error. */
function transportError(endpoint: string, err: unknown): WecomHttpError {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError')
    return new WecomHttpError(endpoint, 'timeout', 'no answer in time');
  const code = e.cause?.code ?? '';
  const detail = `${e.message ?? String(err)}${e.cause?.message ? ` (${e.cause.message})` : ''}`;
  if (['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'].includes(code))
    return new WecomHttpError(endpoint, 'reset', detail);
  return new WecomHttpError(endpoint, 'network', detail);
}
