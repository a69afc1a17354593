/**
 * Errors of WeCom API calls. Each carries the endpoint it came from; answers from WeCom carry `errcode` and
 * `errmsg` exactly as returned (go-workwx's `errcodes/`). `transient` tells the outbox whether trying again
 * later can help. Codes are from the global error code table [D:90455].
 */
import { configFix } from '../../../templates/sending.js';

/** Busy (-1), data version conflict (6000), frequency limit (45009), concurrency limit (45033): retry later. */
const TRANSIENT = new Set([-1, 6000, 45009, 45033]);
/** Invalid (40014) or expired (42001) access_token: refresh once and call again. */
const TOKEN = new Set([40014, 42001]);
/** Fixed only by changing a setting: corp id, secret, trusted IP, API permission. Never retried in a loop. */
const CONFIG = new Set([40001, 40013, 60020, 48002]);

/** WeCom answered with a non-zero errcode. */
export class WecomApiError extends Error {
  override name = 'WecomApiError';
  constructor(
    readonly endpoint: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`${endpoint}: errcode ${errcode}: ${errmsg}`);
  }
  get transient(): boolean {
    return TRANSIENT.has(this.errcode);
  }
  get tokenProblem(): boolean {
    return TOKEN.has(this.errcode);
  }
}

/** A configuration error; `fix` says in plain words what to change. */
export class WecomConfigError extends WecomApiError {
  override name = 'WecomConfigError';
  readonly fix: string;
  constructor(endpoint: string, errcode: number, errmsg: string) {
    super(endpoint, errcode, errmsg);
    this.fix = configFix(errcode, errmsg);
    this.message = `${this.message} — ${this.fix}`;
  }
}

export type HttpFailure = 'timeout' | 'reset' | 'network' | 'status' | 'bad_response';

/** The call did not get a WeCom answer: timeout, connection reset, HTTP error status or a body that is not JSON. */
export class WecomHttpError extends Error {
  override name = 'WecomHttpError';
  constructor(
    readonly endpoint: string,
    readonly reason: HttpFailure,
    detail: string,
    readonly status?: number,
  ) {
    super(`${endpoint}: ${reason}${status ? ` ${status}` : ''}: ${detail}`);
  }
  /** A 4xx other than 429 means the request itself is wrong; everything else may pass later. */
  get transient(): boolean {
    if (this.reason !== 'status' || this.status === undefined) return true;
    return this.status >= 500 || this.status === 429;
  }
}

/** Build the right error class for a WeCom answer with a non-zero errcode. */
export function apiError(endpoint: string, errcode: number, errmsg: string): WecomApiError {
  return CONFIG.has(errcode)
    ? new WecomConfigError(endpoint, errcode, errmsg)
    : new WecomApiError(endpoint, errcode, errmsg);
}

/**
 * True when trying again cannot help: a configuration error, a parameter WeCom refused (81013 all recipients
 * invalid, 40003, 40008, 40058, …) or an HTTP 4xx. Token errors that survive a refresh, busy answers, HTTP 5xx,
 * timeouts, resets and anything that is not a WeCom error (a Redis hiccup) are worth another attempt.
 */
export function isPermanent(err: unknown): boolean {
  if (err instanceof WecomConfigError) return true;
  if (err instanceof WecomApiError) return !err.transient && !err.tokenProblem;
  if (err instanceof WecomHttpError) return !err.transient;
  return false;
}
