/**
 * Leave requests in Redis: one hash per cadre (number → JSON), an owner index so `同意 Q1024` finds the
 * request without a scan, each approver's inbox of requests waiting on them, and the cadre's approved-leave index
 * for the figures (src/leave/day-index.ts). Writes go into the update's Tx.
 *
 * Requests that have ended (rejected, withdrawn, or approved and reported back from) before the retention cutoff
 * are packed by the retention job into one field of the cadre's hash (`~`): their JSON array deflated (node:zlib,
 * raw deflate, a small preset dictionary) in base64 behind a version prefix, `l1:`. Every reader unpacks it and
 * sees the same requests; saving a packed request (a correction) takes it out of the archive in the same commit.
 * NEVER change `DICTIONARY_V1`: archives written with it are read with it; a better one is an `l2:`.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { Sequence } from '../redis/sequence.js';
import type { Saved, Tx } from '../redis/tx.js';
import { newVersionToken } from '../redis/version-token.js';
import { leaveDayEntry } from './day-index.js';
import { currentStep, type LeaveRequest } from './workflow.js';

/** The field of a cadre's leaves hash holding the packed requests. */
export const LEAVE_ARCHIVE = '~';

const DICTIONARY_V1 = Buffer.from(
  '{"no":"Q1","userId":"","type":"事假","class":"personal","start":"2026-","end":"2026-","days":1,"reason":"",' +
    '"createdAt":"2026-","status":"approved","steps":[{"role":"township","approvers":[""],"decision":' +
    '{"by":"","result":"approved","at":"2026-"}}],"judged":{},"returnedOn":"2026-","returnedAt":"2026-',
  'utf8',
);

/** Pack requests into an archive value. Pure. */
export function packLeaves(requests: readonly LeaveRequest[]): string {
  const json = Buffer.from(JSON.stringify(requests), 'utf8');
  return `l1:${deflateRawSync(json, { level: 9, dictionary: DICTIONARY_V1 }).toString('base64')}`;
}

/** The requests of an archive value; throws on a value this release cannot read. */
export function unpackLeaves(raw: string): LeaveRequest[] {
  if (!raw.startsWith('l1:')) throw new Error(`not a leave archive this release reads: ${raw.slice(0, 8)}…`);
  const json = inflateRawSync(Buffer.from(raw.slice(3), 'base64'), { dictionary: DICTIONARY_V1 });
  return JSON.parse(json.toString('utf8')) as LeaveRequest[];
}

/**
 * The requests of a stored leaves hash (HGETALL): its own fields, then the archive's (a request on its own
 * wins: it was written after packing).
 */
export function requestsOfHash(
  all: Record<string, string>,
  unpack: (archive: string) => LeaveRequest[] = unpackLeaves,
): LeaveRequest[] {
  const own = Object.entries(all)
    .filter(([f]) => f !== LEAVE_ARCHIVE)
    .map(([, raw]) => JSON.parse(raw) as LeaveRequest);
  const archive = all[LEAVE_ARCHIVE];
  if (!archive) return own;
  const mine = new Set(own.map((r) => r.no));
  return [...own, ...unpack(archive).filter((r) => !mine.has(r.no))];
}

/** True for a request that can no longer change by the workflow: refused, withdrawn, or reported back from. */
export function leaveEnded(r: LeaveRequest): boolean {
  return r.status === 'rejected' || r.status === 'withdrawn' || (r.status === 'approved' && !!r.returnedAt);
}

export class LeaveRepo {
  private readonly numbers: Sequence;
  /** The archive value each request returned from an archive came from, for a save of that request. */
  private readonly from = new WeakMap<LeaveRequest, string>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    this.numbers = new Sequence(redis, keys.sequence('leave'), 'Q');
  }

  /** A new request number such as Q1024, taken in the update's commit (never skipped, never reused). */
  async nextNo(tx: Tx): Promise<string> {
    return this.numbers.next(tx);
  }

  async get(no: string): Promise<LeaveRequest | undefined> {
    const id = no.toUpperCase();
    const owner = await this.redis.hget(this.keys.owner('leave'), id);
    if (!owner) return undefined;
    const [raw, archive] = await this.redis.hmget(this.keys.leaves(owner), id, LEAVE_ARCHIVE);
    if (raw) return JSON.parse(raw) as LeaveRequest;
    return archive ? this.unpack(archive).find((r) => r.no === id) : undefined;
  }

  /** All requests of one cadre, newest first. */
  async ofUser(userId: string): Promise<LeaveRequest[]> {
    const all = await this.redis.hgetall(this.keys.leaves(userId));
    return this.requestsOf(all).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Requests of many cadres (digests, accounting), batched. */
  async ofUsers(userIds: string[]): Promise<Map<string, LeaveRequest[]>> {
    const rows = await Promise.all(userIds.map((u) => this.redis.hgetall(this.keys.leaves(u))));
    return new Map(userIds.map((u, i) => [u, this.requestsOf(rows[i]!)]));
  }

  private requestsOf(all: Record<string, string>): LeaveRequest[] {
    return requestsOfHash(all, (archive) => this.unpack(archive));
  }

  private unpack(archive: string): LeaveRequest[] {
    const requests = unpackLeaves(archive);
    for (const r of requests) this.from.set(r, archive);
    return requests;
  }

  /**
   * Stage packing the requests of `userId` that have ended (`leaveEnded`) and whose last day is before `cutoff`
   * into the archive field, each expected unchanged. Returns how many it moves.
   */
  async archive(tx: Tx, userId: string, cutoff: string): Promise<number> {
    const key = this.keys.leaves(userId);
    const all = await this.redis.hgetall(key);
    const moving = Object.entries(all)
      .filter(([f]) => f !== LEAVE_ARCHIVE)
      .map(([field, raw]) => ({ field, raw, request: JSON.parse(raw) as LeaveRequest }))
      .filter(({ request }) => leaveEnded(request) && request.end < cutoff);
    if (!moving.length) return 0;
    const old = all[LEAVE_ARCHIVE];
    const adding = new Set(moving.map((m) => m.request.no));
    const kept = old ? unpackLeaves(old).filter((r) => !adding.has(r.no)) : [];
    tx.expect(key, LEAVE_ARCHIVE, old ?? null);
    for (const m of moving) tx.expect(key, m.field, m.raw).hdel(key, m.field);
    tx.hset(key, LEAVE_ARCHIVE, packLeaves([...kept, ...moving.map((m) => m.request)]));
    return moving.length;
  }

  /** Numbers waiting on one approver. */
  async inbox(approver: string): Promise<string[]> {
    return this.redis.smembers(this.keys.inbox(approver));
  }

  /**
   * Stage the request and keep the inboxes in step: the current step's approvers have it, nobody else.
   * `previous` is the request as it was read (undefined for a new one): the commit applies only while it is
   * still the stored version, so a card click and a typed 同意 racing on one request cannot both win.
   */
  save(tx: Tx, r: LeaveRequest, { previous }: Saved<LeaveRequest> = {}): void {
    const key = this.keys.leaves(r.userId);
    const archive = previous && this.from.get(previous);
    if (archive) {
      // A packed request: it leaves the archive (expected as read) for a field of its own.
      const rest = unpackLeaves(archive).filter((x) => x.no !== r.no);
      tx.expect(key, r.no, null).expect(key, LEAVE_ARCHIVE, archive);
      if (rest.length) tx.hset(key, LEAVE_ARCHIVE, packLeaves(rest));
      else tx.hdel(key, LEAVE_ARCHIVE);
    } else tx.expect(key, r.no, previous ? JSON.stringify(previous) : null);
    tx.hset(key, r.no, JSON.stringify(r));
    // The approved-leave index (src/leave/day-index.ts) follows the request in the same commit.
    if (r.status === 'approved') tx.hset(this.keys.leaveDays(r.userId), r.no, leaveDayEntry(r));
    else if (previous) tx.hdel(this.keys.leaveDays(r.userId), r.no);
    if (r.status === 'approved' || previous) tx.set(this.keys.leaveVersion(), newVersionToken());
    if (!previous) tx.hset(this.keys.owner('leave'), r.no, r.userId);
    for (const a of currentStep(previous ?? r)?.approvers ?? []) tx.srem(this.keys.inbox(a), r.no);
    for (const a of currentStep(r)?.approvers ?? []) tx.sadd(this.keys.inbox(a), r.no);
  }
}
