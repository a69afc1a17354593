/**
 * Leave requests in Redis: one hash per cadre (number → JSON), an owner index so `同意 Q1024` finds the
 * request without a scan, and each approver's inbox of requests waiting on them. Writes go into the update's Tx.
 */
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { Sequence } from '../redis/sequence.js';
import type { Saved, Tx } from '../redis/tx.js';
import { currentStep, type LeaveRequest } from './workflow.js';

export class LeaveRepo {
  private readonly numbers: Sequence;

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
    const raw = await this.redis.hget(this.keys.leaves(owner), id);
    return raw ? (JSON.parse(raw) as LeaveRequest) : undefined;
  }

  /** All requests of one cadre, newest first. */
  async ofUser(userId: string): Promise<LeaveRequest[]> {
    const all = await this.redis.hvals(this.keys.leaves(userId));
    return all.map((r) => JSON.parse(r) as LeaveRequest).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Requests of many cadres (digests, accounting), batched. */
  async ofUsers(userIds: string[]): Promise<Map<string, LeaveRequest[]>> {
    const rows = await Promise.all(userIds.map((u) => this.redis.hvals(this.keys.leaves(u))));
    return new Map(userIds.map((u, i) => [u, rows[i]!.map((r) => JSON.parse(r) as LeaveRequest)]));
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
    tx.expect(key, r.no, previous ? JSON.stringify(previous) : null);
    tx.hset(key, r.no, JSON.stringify(r));
    if (!previous) tx.hset(this.keys.owner('leave'), r.no, r.userId);
    for (const a of currentStep(previous ?? r)?.approvers ?? []) tx.srem(this.keys.inbox(a), r.no);
    for (const a of currentStep(r)?.approvers ?? []) tx.sadd(this.keys.inbox(a), r.no);
  }
}
