/**
 * What the fake WeCom remembers: issued access tokens and tickets (which expire by its clock), uploaded media,
 * one-time codes (OAuth codes, response_url codes), check-in records given by the test or the sandbox, the
 * sliding windows behind its frequency limits, and every message it delivered.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';

export type Channel =
  | 'app'
  | 'appchat'
  | 'webhook'
  | 'response_url'
  | 'card_update'
  | 'recall'
  /** Long connection: a reply (`to` = the chat of the callback) and a push (`aibot_send_msg`, `to` = chatid). */
  | 'robot_reply'
  | 'robot_push';

/** One message the fake accepted, as a person in WeCom would see it. */
export interface Delivered {
  seq: number;
  /** Fake clock, ms. */
  at: number;
  channel: Channel;
  /** Member ids (app, card_update), chat id (appchat, robot_*), webhook key, or response code. */
  to: string[];
  msgtype: string;
  /** The request body as sent (the whole message JSON). */
  payload: Record<string, unknown>;
  /** App messages over a member's 30/min limit: WeCom accepts the call and silently drops them [D:90454]. */
  dropped: string[];
}

/** A 打卡 record in the shape of `checkin/getcheckindata` [D:90262]; `checkin_time` in unix seconds. */
export interface CheckinRecord {
  userid: string;
  checkin_type: string;
  checkin_time: number;
  exception_type?: string;
  groupname?: string;
  location_title?: string;
  location_detail?: string;
  lat?: number;
  lng?: number;
  notes?: string;
  [field: string]: unknown;
}

/**
 * The corp's address book as far as the roster check reads it: members and their departments, the department
 * tree, tags, and the app's visibility range (`agent/get`). Without one, the fake's members are `knownUsers`,
 * all in department 1, which the app sees whole.
 */
export interface FakeDirectory {
  members: { userid: string; name?: string; department: number[] }[];
  departments: { id: number; parentid: number }[];
  tags: { tagid: number; users: string[]; parties: number[] }[];
  visible: { users: string[]; parties: number[]; tags: number[] };
  /** Answer `user/list_id` with 48002, as WeCom does for a secret that may not list members. */
  listIdRefused?: boolean;
}

export interface FakeConfig {
  corpId: string;
  agentId: string;
  secret: string;
  tokenTtlS: number;
  knownUsers?: Set<string>;
  directory?: FakeDirectory;
  webhookKeys?: Set<string>;
  webhookPerMinute: number;
  memberPerMinute: number;
}

interface Expiring {
  expiresAt: number;
  used?: boolean;
  value?: string;
}

export class FakeState {
  token?: { value: string; expiresAt: number };
  /** Every token ever issued, so an old one answers 42001 (expired) rather than 40014 (never valid). */
  readonly tokens = new Map<string, number>();
  readonly tickets = new Map<'corp' | 'agent', { value: string; expiresAt: number }>();
  readonly media = new Map<string, { type: string; key?: string; expiresAt: number; data?: Buffer }>();
  /** OAuth codes: single use, 5 minutes [D:91023]. */
  readonly oauthCodes = new Map<string, Expiring>();
  /** Smart robot response_url codes: single use, 1 hour [D:101138]. */
  readonly robotCodes = new Map<string, Expiring>();
  /** Card response codes for update_template_card: single use, 72 hours [D:94888]. */
  readonly cardCodes = new Map<string, Expiring>();
  readonly checkins: CheckinRecord[] = [];
  readonly delivered: Delivered[] = [];
  /** App messages by the msgid `message/send` answered with: when, and the delivery (for `message/recall`). */
  readonly messages = new Map<string, { at: number; seq: number }>();
  /** Msgids taken back by `message/recall`, in order, so tests can assert the recall [D:94867]. */
  readonly recalled: string[] = [];
  private readonly windows = new Map<string, number[]>();
  private seq = 0;

  constructor(
    readonly config: FakeConfig,
    readonly clock: Clock,
  ) {}

  now(): number {
    return this.clock.now().getTime();
  }

  nextSeq(): number {
    return ++this.seq;
  }

  id(prefix: string): string {
    return `${prefix}${randomBytes(12).toString('base64url')}`;
  }

  /** Count one call against a per-minute limit; false when it is over (the call still counts, as WeCom's do). */
  countCall(window: string, perMinute: number): boolean {
    const now = this.now();
    const times = (this.windows.get(window) ?? []).filter((t) => t > now - 60_000);
    const allowed = times.length < perMinute;
    times.push(now);
    this.windows.set(window, times);
    return allowed;
  }

  /** Peek without counting: how many calls in the last minute. */
  callsInLastMinute(window: string): number {
    const now = this.now();
    return (this.windows.get(window) ?? []).filter((t) => t > now - 60_000).length;
  }

  /** A single-use code valid for `ttlS` seconds of the fake's clock. */
  issueCode(map: Map<string, Expiring>, ttlS: number, value?: string): string {
    const code = this.id('');
    map.set(code, { expiresAt: this.now() + ttlS * 1000, value });
    return code;
  }

  /** Use a code once; undefined when it is unknown, used or expired. */
  useCode(map: Map<string, Expiring>, code: string): Expiring | undefined {
    const entry = map.get(code);
    if (!entry || entry.used || entry.expiresAt <= this.now()) return undefined;
    entry.used = true;
    return entry;
  }

  deliver(d: Omit<Delivered, 'seq' | 'at'>): Delivered {
    const full: Delivered = { ...d, seq: this.nextSeq(), at: this.now() };
    this.delivered.push(full);
    return full;
  }
}
