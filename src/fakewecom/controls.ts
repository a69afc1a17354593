/**
 * What a test or the sandbox does with the fake WeCom besides calling it: read the record of requests and
 * delivered messages, wait for them (on events, not sleeps), hand out codes a real WeCom would give a user
 * (OAuth codes, card response codes, response_urls), add 打卡 records, and make the next N calls fail.
 */
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fail } from './answer.js';
import type { Channel, CheckinRecord, Delivered, FakeDirectory, FakeState } from './state.js';

/** A failure to inject: a WeCom errcode, an HTTP status, a connection reset, or a request never answered. */
export type Injection = { errcode: number; errmsg?: string } | { status: number } | { reset: true } | { stall: true };

export interface InjectOptions {
  /** Only requests to this path (e.g. '/cgi-bin/webhook/send'). Default: any path except gettoken, so that
   * "fail the next call" hits the API call and not the token fetch that may come first. */
  path?: string;
  /** Let this many matching requests through before failing. */
  after?: number;
}

export interface Recorded {
  seq: number;
  /** Fake clock, ms. */
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  outcome: 'answered' | 'injected' | 'reset' | 'stalled';
  status?: number;
  response?: Record<string, unknown>;
}

interface Pending {
  spec: Injection;
  remaining: number;
  path?: string;
  after: number;
}

const DEFAULT_ERRMSG: Record<number, string> = {
  [-1]: 'system busy',
  40014: 'invalid access_token',
  42001: 'access_token expired',
  45009: 'api freq out of limit',
  45033: 'api concurrent out of limit',
  60020: 'not allow to access from your ip, from ip: 203.0.113.7',
};

export class FakeControls {
  readonly requests: Recorded[] = [];
  private readonly pending: Pending[] = [];
  private readonly held = new Set<ServerResponse>();

  constructor(
    protected readonly state: FakeState,
    readonly events: EventEmitter,
  ) {}

  /** Make the next `n` matching requests fail with `spec`. */
  inject(spec: Injection, n = 1, opts: InjectOptions = {}): void {
    this.pending.push({ spec, remaining: n, path: opts.path, after: opts.after ?? 0 });
  }

  /** Forget injections not used yet. */
  clearInjections(): void {
    this.pending.length = 0;
  }

  /** Messages delivered so far, optionally of one channel. */
  sent(channel?: Channel): Delivered[] {
    return this.state.delivered.filter((d) => !channel || d.channel === channel);
  }

  /** App messages taken back by `message/recall`, in order, each with the delivery it was. */
  recalled(): { msgid: string; delivered?: Delivered }[] {
    return this.state.recalled.map((msgid) => {
      const seq = this.state.messages.get(msgid)?.seq;
      return { msgid, delivered: this.state.delivered.find((d) => d.seq === seq) };
    });
  }

  /** How many requests reached `path` (e.g. gettoken calls). */
  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  /** Resolves once at least `n` messages were delivered; rejects after `timeoutMs` as a safety net. */
  waitForSent(n: number, timeoutMs = 20_000): Promise<Delivered[]> {
    return this.waitUntil(
      'sent',
      () => this.state.delivered.length >= n,
      timeoutMs,
      () => `${this.state.delivered.length} of ${n} messages delivered`,
    ).then(() => this.state.delivered);
  }

  /** Resolves with the next recorded request (or stalled request) that matches. */
  waitFor(
    event: 'request' | 'stall',
    match: (r: Recorded) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<Recorded> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off(event, on);
        reject(new Error(`fake WeCom: no matching ${event} in ${timeoutMs} ms`));
      }, timeoutMs);
      const on = (r: Recorded) => {
        if (!match(r)) return;
        clearTimeout(timer);
        this.events.off(event, on);
        resolve(r);
      };
      this.events.on(event, on);
    });
  }

  /** Which user ids exist from now on (the sandbox's roster); undefined accepts every id. */
  setKnownUsers(users: string[] | undefined): void {
    this.state.config.knownUsers = users ? new Set(users) : undefined;
  }

  /** The address book and the app's visibility range the directory APIs answer from (`user/list_id`, `agent/get`). */
  setDirectory(directory: FakeDirectory | undefined): void {
    this.state.config.directory = directory;
  }

  /** The bytes of an uploaded medium while its media_id is valid (the sandbox shows images sent by the app). */
  mediaData(id: string): Buffer | undefined {
    const m = this.state.media.get(id);
    return m && m.expiresAt > this.state.now() ? m.data : undefined;
  }

  addCheckinRecords(records: CheckinRecord[]): void {
    this.state.checkins.push(...records);
  }

  /** An OAuth code for `userid`, as WeCom appends to the redirect after login: once, 5 minutes [D:91023]. */
  issueOAuthCode(userid: string): string {
    return this.state.issueCode(this.state.oauthCodes, 300, userid);
  }

  /** A card ResponseCode, as a template_card_event carries after a click: once, 72 hours [D:94888]. */
  issueCardResponseCode(): string {
    return this.state.issueCode(this.state.cardCodes, 3 * 86_400);
  }

  protected issueRobotCode(): string {
    return this.state.issueCode(this.state.robotCodes, 3600);
  }

  /** Apply the first pending injection that matches; true when the request was handled by it. */
  protected applyInjection(rec: Recorded, req: IncomingMessage, res: ServerResponse): boolean {
    const i = this.pending.findIndex((p) => (p.path ? p.path === rec.path : rec.path !== '/cgi-bin/gettoken'));
    if (i === -1) return false;
    const p = this.pending[i]!;
    if (p.after > 0) {
      p.after -= 1;
      return false;
    }
    if (--p.remaining <= 0) this.pending.splice(i, 1);
    const spec = p.spec;
    if ('stall' in spec) {
      rec.outcome = 'stalled';
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      this.events.emit('stall', rec);
      return true;
    }
    rec.outcome = 'injected';
    if ('reset' in spec) {
      rec.outcome = 'reset';
      req.socket.destroy();
    } else if ('status' in spec) {
      rec.status = spec.status;
      res.writeHead(spec.status, { 'content-type': 'text/html' });
      res.end(`<html><body>${spec.status}</body></html>`);
    } else {
      const answer = fail(spec.errcode, spec.errmsg ?? DEFAULT_ERRMSG[spec.errcode] ?? 'injected error');
      rec.status = 200;
      rec.response = answer.json;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(answer.json));
    }
    this.events.emit('request', rec);
    return true;
  }

  /** Drop every stalled request (their clients see the connection close). */
  protected releaseStalled(): void {
    for (const res of this.held) res.destroy();
    this.held.clear();
  }

  private waitUntil(event: string, done: () => boolean, timeoutMs: number, status: () => string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off(event, on);
        reject(new Error(`fake WeCom: timed out: ${status()}`));
      }, timeoutMs);
      const on = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.events.off(event, on);
        resolve();
      };
      this.events.on(event, on);
    });
  }
}
