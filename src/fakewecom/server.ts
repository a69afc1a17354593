/**
 * A local fake of WeCom's server API, for tests and the sandbox, because the real one cannot be reached from
 * here. It implements every endpoint the bot calls (see `src/wecom/api/endpoints.ts`) with WeCom's request
 * and answer shapes, issues tokens that expire by its clock, enforces the group robot's 20/min limit and the
 * 30/min per member limit, records every request, and can be told to fail the next N calls in the ways the
 * real one does (45009, 42001, -1, HTTP 500, connection resets, stalls).
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../core/clock.js';
import { fail, type FakeAnswer, type Route } from './answer.js';
import { parseMultipart } from './multipart.js';
import { appRoutes } from './routes-app.js';
import { robotRoutes } from './routes-robot.js';
import { FakeState, type Channel, type CheckinRecord, type Delivered, type FakeDirectory } from './state.js';
import { FakeControls, type Injection, type InjectOptions, type Recorded } from './controls.js';
import { FakeLongConnection, LONGCONN_PATH } from './longconn.js';

export type { Channel, CheckinRecord, Delivered, FakeDirectory, Injection, InjectOptions, Recorded };

export interface FakeWecomOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Lifetime of access tokens and JS-SDK tickets; WeCom's is 7200 s. */
  tokenTtlS?: number;
  clock?: Clock;
  corpId?: string;
  agentId?: string;
  secret?: string;
  /** When given, other user ids are invalid (invaliduser, 81013). */
  knownUsers?: string[];
  /** When given, other webhook keys are refused with 93000. */
  webhookKeys?: string[];
  webhookPerMinute?: number;
  memberPerMinute?: number;
  /** Smart robots that may open the long connection: bot id → secret (default: the sandbox's robot). */
  robotBots?: Record<string, string>;
}

/** The smart robot the fake's long connection knows unless told otherwise. */
export const FAKE_ROBOT = { botId: 'fake-aibot-0001', secret: 'fake-aibot-secret' } as const;

const routes: Record<string, Route> = { ...appRoutes, ...robotRoutes };

/** Check the access_token of a token route: 41001 missing, 40014 never issued, 42001 expired [D:90455]. */
function tokenProblem(state: FakeState, token: string | undefined): FakeAnswer | null {
  if (!token) return fail(41001, 'access_token missing');
  const expiresAt = state.tokens.get(token);
  if (expiresAt === undefined) return fail(40014, 'invalid access_token');
  return expiresAt <= state.now() ? fail(42001, 'access_token expired') : null;
}

export class FakeWecom extends FakeControls {
  readonly corpId: string;
  readonly agentId: string;
  readonly secret: string;
  url = '';
  /** The smart robot's long connection (WebSocket at `wsUrl`). */
  readonly longConnection: FakeLongConnection;
  private readonly server = createServer((req, res) => {
    // A bug in the fake must show as a failed request, never as an unhandled rejection in the test process.
    this.serve(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(
        JSON.stringify({
          errcode: 500,
          errmsg: `fake WeCom failed: ${err instanceof Error ? err.message : String(err)}`,
        }),
      );
    });
  });

  constructor(opts: FakeWecomOptions = {}) {
    const config = {
      corpId: opts.corpId ?? 'wwfakecorp0000001',
      agentId: opts.agentId ?? '1000002',
      secret: opts.secret ?? 'fake-app-secret',
      tokenTtlS: opts.tokenTtlS ?? 7200,
      knownUsers: opts.knownUsers ? new Set(opts.knownUsers) : undefined,
      webhookKeys: opts.webhookKeys ? new Set(opts.webhookKeys) : undefined,
      webhookPerMinute: opts.webhookPerMinute ?? 20,
      memberPerMinute: opts.memberPerMinute ?? 30,
    };
    super(new FakeState(config, opts.clock ?? systemClock), new EventEmitter());
    this.corpId = config.corpId;
    this.agentId = config.agentId;
    this.secret = config.secret;
    this.longConnection = new FakeLongConnection(this.state, (d) => this.events.emit('sent', d));
    for (const [id, secret] of Object.entries(opts.robotBots ?? { [FAKE_ROBOT.botId]: FAKE_ROBOT.secret }))
      this.longConnection.bots.set(id, secret);
    this.server.on('upgrade', (req, socket, head: Buffer) => {
      if (new URL(req.url ?? '/', 'http://fake').pathname === LONGCONN_PATH)
        this.longConnection.upgrade(req, socket, head);
      else socket.destroy();
    });
  }

  /** The long connection's WebSocket URL (what WECOM_BOT_WS_URL points at). */
  get wsUrl(): string {
    return `${this.url.replace(/^http/, 'ws')}${LONGCONN_PATH}`;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, host, resolve));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** A smart-robot response_url on this fake (what a callback would carry), valid once for an hour. */
  issueResponseUrl(): string {
    return `${this.url}/cgi-bin/aibot/response?response_code=${this.issueRobotCode()}`;
  }

  async stop(): Promise<void> {
    this.releaseStalled();
    this.longConnection.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const contentType = String(req.headers['content-type'] ?? '');
    const files = parseMultipart(contentType, raw);
    let json: Record<string, unknown> = {};
    let badJson = false;
    if (!files.length && raw.length) {
      try {
        json = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        badJson = true;
      }
    }
    const rec: Recorded = {
      seq: this.state.nextSeq(),
      at: this.state.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: files.length
        ? {
            files: files.map((f) => ({
              name: f.name,
              filename: f.filename,
              contentType: f.contentType,
              size: f.data.length,
            })),
          }
        : json,
      outcome: 'answered',
    };
    this.requests.push(rec);
    if (this.applyInjection(rec, req, res)) return;
    const route = routes[url.pathname];
    let answer: FakeAnswer;
    if (!route) answer = { status: 404, json: { errcode: 404, errmsg: `fake WeCom has no ${url.pathname}` } };
    else if (route.method !== req.method)
      answer = { status: 405, json: { errcode: 405, errmsg: `${url.pathname} needs ${route.method}` } };
    else if (badJson) answer = fail(47001, 'data format error');
    else
      answer =
        (route.auth === 'token' && tokenProblem(this.state, rec.query.access_token)) ||
        route.handle({ query: rec.query, json, files, state: this.state });
    rec.status = answer.status;
    rec.response = answer.json;
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(answer.json));
    this.events.emit('request', rec);
    if (answer.delivered) this.events.emit('sent', answer.delivered);
  }
}

/** Start a fake WeCom on a local port; `stop()` it after use. */
export async function startFakeWecom(opts: FakeWecomOptions = {}): Promise<FakeWecom> {
  return new FakeWecom(opts).listen(opts.port, opts.host);
}
