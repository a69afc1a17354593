/**
 * The WeCom server API client of the self-built app: calls any endpoint of the table in `endpoints.ts`, adds
 * the shared access_token, refreshes it once and calls again when WeCom says it is invalid or expired
 * (40014/42001), and reports configuration errors (40001/40013/60020) loudly with the fix instead of looping.
 * `WECOM_API_BASE` selects the host, so tests and the sandbox talk to the fake WeCom.
 */
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import type { Logger } from '../../log.js';
import type { RedisClient } from '../../redis/client.js';
import type { Keys } from '../../redis/keys.js';
import { unreachable } from '../../../templates/sending.js';
import { SharedCredential } from './credential.js';
import { ENDPOINTS, type EndpointName } from './endpoints.js';
import { WecomApiError, WecomConfigError, WecomHttpError } from './errors.js';
import { requestWecom, type MediaPart, type WecomAnswer } from './http.js';
import { CredentialSeal } from './seal.js';

export interface WecomApiOptions {
  /** `WECOM_API_BASE`, without a trailing slash. */
  base: string;
  corpId: string;
  agentId: string;
  secret: string;
  redis: RedisClient;
  keys: Keys;
  log: Logger;
  clock?: Clock;
  /** Time limit of one HTTP request (ms); default 10 s. */
  timeoutMs?: number;
}

export interface CallParams {
  /** Query parameters besides access_token (e.g. `key` of a webhook, `type` of media, `code` of OAuth). */
  query?: Record<string, string>;
  /** JSON body of a POST. */
  body?: unknown;
  /** File of an upload endpoint. */
  media?: MediaPart;
}

export class WecomApi {
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly token: SharedCredential;
  private readonly tickets: Record<'corp' | 'agent', SharedCredential>;

  constructor(private readonly opts: WecomApiOptions) {
    this.clock = opts.clock ?? systemClock;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    const { redis, keys, corpId, agentId } = opts;
    // Sealed under a key from the app secret: every instance has it, a Redis reader does not.
    const shared = { redis, clock: this.clock, waitMs: this.timeoutMs, seal: new CredentialSeal(opts.secret) };
    this.token = new SharedCredential({
      ...shared,
      name: 'access_token',
      cacheKey: keys.accessToken(corpId, agentId),
      lockKey: keys.tokenLock(corpId, agentId),
      fetch: () => this.fetchToken(),
    });
    const ticket = (kind: 'corp' | 'agent') =>
      new SharedCredential({
        ...shared,
        name: kind === 'corp' ? 'jsapi_ticket' : 'agent_config ticket',
        cacheKey: keys.jsTicket(corpId, agentId, kind),
        lockKey: keys.tokenLock(corpId, agentId, `ticket-${kind}`),
        fetch: async () => {
          const res =
            kind === 'corp'
              ? await this.call('get_jsapi_ticket')
              : await this.call('ticket/get', { query: { type: 'agent_config' } });
          return { value: String(res.ticket), expiresInS: Number(res.expires_in) };
        },
      });
    this.tickets = { corp: ticket('corp'), agent: ticket('agent') };
  }

  /**
   * Call one endpoint and return WeCom's answer (errcode 0). Throws `WecomApiError` (with errcode, errmsg and
   * endpoint), `WecomConfigError` (with `fix`) or `WecomHttpError` (no answer).
   */
  async call(name: EndpointName, params: CallParams = {}): Promise<WecomAnswer> {
    const ep = ENDPOINTS[name];
    if (ep.auth !== 'token') return this.send(name, params);
    const token = await this.token.get();
    try {
      return await this.send(name, params, token);
    } catch (err) {
      if (!(err instanceof WecomApiError) || !err.tokenProblem) throw err;
      this.opts.log.info({ endpoint: name, errcode: err.errcode }, 'access_token refused; refreshing once');
      return this.send(name, params, await this.token.refresh(token));
    }
  }

  /** The JS-SDK ticket of the corp (`wx.config`) or of the app (`wx.agentConfig`), cached and shared. */
  jsTicket(kind: 'corp' | 'agent'): Promise<string> {
    return this.tickets[kind].get();
  }

  /**
   * The access_token at start, to check the configuration. Returns null when it works, otherwise a warning for
   * `/readyz` saying what to fix; never throws, so a bad setting never stops the callbacks from being served.
   * It goes through the shared cache: a fresh token that another instance fetched (sealed with this same
   * secret) shows the corp id and secret work, and instances starting together make one `gettoken` between
   * them (WeCom intercepts frequent ones), as several instances, workers or restarts would otherwise multiply.
   */
  async checkConfig(): Promise<string | null> {
    try {
      await this.token.get();
      return null;
    } catch (err) {
      if (err instanceof WecomConfigError) return err.fix;
      if (err instanceof WecomHttpError) {
        const warning = unreachable(this.opts.base, err.message);
        this.opts.log.error({ endpoint: 'gettoken', reason: err.reason }, warning);
        return warning;
      }
      const warning = err instanceof Error ? err.message : String(err);
      this.opts.log.error({ endpoint: 'gettoken', err }, 'WeCom configuration check failed');
      return warning;
    }
  }

  private async fetchToken(): Promise<{ value: string; expiresInS: number }> {
    const res = await this.send('gettoken', { query: { corpid: this.opts.corpId, corpsecret: this.opts.secret } });
    return { value: String(res.access_token), expiresInS: Number(res.expires_in) };
  }

  private async send(name: EndpointName, params: CallParams, token?: string): Promise<WecomAnswer> {
    const ep = ENDPOINTS[name];
    const url = new URL(this.opts.base + ep.path);
    if (token) url.searchParams.set('access_token', token);
    for (const [k, v] of Object.entries(params.query ?? {})) url.searchParams.set(k, v);
    try {
      return await requestWecom({
        endpoint: name,
        method: ep.method,
        url: url.toString(),
        json: params.body,
        media: params.media,
        timeoutMs: this.timeoutMs,
      });
    } catch (err) {
      // Loud, with the fix: a configuration error stops every message until someone changes a setting.
      if (err instanceof WecomConfigError)
        this.opts.log.error({ endpoint: name, errcode: err.errcode, errmsg: err.errmsg }, err.fix);
      throw err;
    }
  }
}
