/**
 * The dated policy history. Each distinct policy file (its values and its `effectiveFrom`) is registered once in
 * Redis as a version with the first day it applies; `versionAt(date)` is the version in force on a date: the
 * latest registered one effective on or before it (the earliest one for dates before any). Registering is
 * idempotent, so several instances starting at once with the same file register it once. A version that would
 * take effect inside (or before the end of) a closed month is refused: closed months keep their figures.
 */
import { createHash } from 'node:crypto';
import { localDate, monthDates, startOfLocalDay } from '../kit/dates.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Policy } from './schema.js';

/** One registered policy. */
export interface PolicyVersion {
  /** Hash of the values and the file's `effectiveFrom` (and the day, for an undated file registered again). */
  id: string;
  /** The first day it applies (`YYYY-MM-DD`). */
  effectiveFrom: string;
  /** Whether the file named the date; otherwise it is the day the file was first registered. */
  dated: boolean;
  /** Registration order, which breaks ties between versions of the same date (the later one wins). */
  seq: number;
  registeredAt: number;
  /** Who registered it: `serve`, `cli:<user>@<host>`. */
  actor: string;
  policy: Policy;
}

/** A version refused because it would change a closed month. */
export class PolicyHistoryError extends Error {
  override name = 'PolicyHistoryError';
}

/** The sentence for a version dated inside or before a closed month. */
export function closedMonthRefusal(effectiveFrom: string, latestClosed: string): string {
  const next = monthDates(latestClosed).at(-1)!;
  return (
    `effectiveFrom ${effectiveFrom} is not after ${latestClosed}, which is closed (a closed month keeps the ` +
    `figures it was closed with); choose a date after ${next}`
  );
}

/** JSON with every object's keys sorted, so equal values always give the same text (and the same hash). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The id of a policy with its file date (null: undated): the first 16 hex digits of a SHA-256. */
export function versionId(policy: Policy, effectiveFrom: string | undefined): string {
  const text = canonicalJson({ effectiveFrom: effectiveFrom ?? null, policy });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Order of application: by date, then by registration. */
function byDate(a: PolicyVersion, b: PolicyVersion): number {
  return a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : a.seq - b.seq;
}

/** The version in force on `date` among `versions` (any order); undefined when there is none at all. Pure. */
export function versionAt(versions: readonly PolicyVersion[], date: string): PolicyVersion | undefined {
  const sorted = [...versions].sort(byDate);
  return sorted.filter((v) => v.effectiveFrom <= date).at(-1) ?? sorted[0];
}

// Registers atomically with the check against closed months (both keys share one slot). Returns
// {'known', json}, {'closed', latest month} or {'registered', json}; the stored JSON gets its seq here.
const REGISTER = `
local have = redis.call('HGET', KEYS[1], ARGV[1])
if have then return {'known', have} end
local latest = ''
for _, m in ipairs(redis.call('HKEYS', KEYS[2])) do if m > latest then latest = m end end
if latest ~= '' and string.sub(ARGV[3], 1, 7) <= latest then return {'closed', latest} end
local json = '{"seq":' .. (redis.call('HLEN', KEYS[1]) + 1) .. ',' .. string.sub(ARGV[2], 2)
redis.call('HSET', KEYS[1], ARGV[1], json)
return {'registered', json}
`;

/** What registering a file did. */
export interface Registration {
  status: 'registered' | 'known';
  version: PolicyVersion;
}

/** The stored versions and closed months of one deployment. */
export class PolicyHistory {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** Every registered version, in order of application. */
  async versions(): Promise<PolicyVersion[]> {
    const all = await this.redis.hvals(this.keys.policyVersions());
    return all.map((j) => JSON.parse(j) as PolicyVersion).sort(byDate);
  }

  /** The latest closed month (`YYYY-MM`), if any. */
  async latestClosed(): Promise<string | undefined> {
    const months = await this.redis.hkeys(this.keys.closedMonths());
    return months.sort().at(-1);
  }

  /**
   * What registering would do, changing nothing: the version's id and date, whether it is known, and the refusal
   * when it falls in a closed month.
   */
  async preview(policy: Policy, effectiveFrom: string | undefined, now: Date) {
    const plan = await this.plan(policy, effectiveFrom, now);
    const latest = await this.latestClosed();
    const refused =
      !plan.known && latest && plan.effectiveFrom.slice(0, 7) <= latest
        ? closedMonthRefusal(plan.effectiveFrom, latest)
        : undefined;
    return { ...plan, refused };
  }

  /**
   * Register `policy` (with the file's `effectiveFrom`, or from today when it has none). A version already
   * registered is left alone; an undated file whose version was since superseded is registered again from
   * today, so going back to an earlier file takes effect. Throws PolicyHistoryError for a date in a closed month.
   */
  async register(
    policy: Policy,
    effectiveFrom: string | undefined,
    opts: { now: Date; actor: string },
  ): Promise<Registration> {
    const plan = await this.plan(policy, effectiveFrom, opts.now);
    if (plan.known) return { status: 'known', version: plan.known };
    const draft = {
      id: plan.id,
      effectiveFrom: plan.effectiveFrom,
      dated: effectiveFrom !== undefined,
      registeredAt: opts.now.getTime(),
      actor: opts.actor,
      policy,
    };
    const [status, payload] = (await this.redis.eval(
      REGISTER,
      2,
      this.keys.policyVersions(),
      this.keys.closedMonths(),
      plan.id,
      JSON.stringify(draft),
      plan.effectiveFrom,
    )) as [string, string];
    if (status === 'closed') throw new PolicyHistoryError(closedMonthRefusal(plan.effectiveFrom, payload));
    return { status: status === 'known' ? 'known' : 'registered', version: JSON.parse(payload) as PolicyVersion };
  }

  /** The id and date a file would be registered under, and the version already standing for it, if any. */
  private async plan(policy: Policy, effectiveFrom: string | undefined, now: Date) {
    const base = versionId(policy, effectiveFrom);
    const today = localDate(now);
    const versions = await this.versions();
    if (effectiveFrom !== undefined) {
      return { id: base, effectiveFrom, known: versions.find((v) => v.id === base) };
    }
    // Undated: the file is meant from now on. Known and still (or already) in force: nothing to do.
    const current = versionAt(versions, today);
    const mine = versions.filter((v) => v.id === base || v.id.startsWith(`${base}@`));
    if (current && mine.some((v) => v.id === current.id))
      return { id: current.id, effectiveFrom: current.effectiveFrom, known: current };
    const id = mine.length ? `${base}@${today}` : base;
    return { id, effectiveFrom: today, known: versions.find((v) => v.id === id) };
  }
}

/**
 * The versions in memory, for the running bot's `deps.policy`: the version in force at an instant, found
 * without any date arithmetic per call (the policy is read many times per update).
 */
export class PolicyBook {
  private starts: { from: number; policy: Policy }[] = [];

  constructor(
    versions: readonly PolicyVersion[],
    private readonly fallback: Policy,
  ) {
    this.load(versions);
  }

  /** Replace the versions (re-read from Redis: another instance or `zhucun policy register` added one). */
  load(versions: readonly PolicyVersion[]): void {
    this.starts = [...versions]
      .sort(byDate)
      .map((v) => ({ from: startOfLocalDay(v.effectiveFrom).getTime(), policy: v.policy }));
  }

  /** The policy in force at `at` (the fallback, i.e. the file read at start, when nothing is registered). */
  inForce(at: Date): Policy {
    const t = at.getTime();
    let found = this.starts[0]?.policy ?? this.fallback;
    for (const s of this.starts) if (s.from <= t) found = s.policy;
    return found;
  }
}

/**
 * Make `target.policy` the version in force at `target.clock.now()`, read at every access, so a version dated
 * in the future takes over on its day without a restart. Spread copies (`{ ...deps }`) would freeze it: copy
 * such objects with `withOverrides`.
 */
export function bindPolicy<T extends { clock: { now(): Date }; policy: Policy }>(target: T, book: PolicyBook): T {
  Object.defineProperty(target, 'policy', {
    get(this: T) {
      return book.inForce(this.clock.now());
    },
    enumerable: true,
    configurable: true,
  });
  return target;
}

/** A copy of `base` that keeps its getters (a bound `policy` keeps following the copy's clock), with `extra` laid over. */
export function withOverrides<T extends object, E extends object>(base: T, extra: E): T & E {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(base)) as T;
  for (const [k, v] of Object.entries(extra)) {
    Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return copy as T & E;
}
