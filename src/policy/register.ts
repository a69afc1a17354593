/**
 * Registering a policy file in the dated history, as `zhucun serve` does at start and `zhucun policy register`
 * does by hand: the version is stored once, and a new one leaves a `policy.change` entry in the audit trail
 * naming what changed against the version it follows.
 */
import { appendAudit } from '../audit/trail.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import {
  canonicalJson,
  PolicyBook,
  PolicyHistory,
  PolicyHistoryError,
  versionAt,
  type Registration,
} from './history.js';
import type { PolicyRead } from './policy.js';
import type { Policy } from './schema.js';

function leaves(value: unknown, path: string, out: Map<string, string>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  } else out.set(path, canonicalJson(value));
}

/** The settings that differ between two policies, as `key: old → new` lines, in key order. Pure. */
export function policyDiff(before: Policy | undefined, after: Policy): string[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  if (before) leaves(before, '', a);
  leaves(after, '', b);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys
    .filter((k) => a.get(k) !== b.get(k))
    .map((k) => `${k}: ${a.get(k) ?? '(none)'} → ${b.get(k) ?? '(none)'}`);
}

/**
 * Register the file read (`read.policy`, `read.effectiveFrom`) as of `now`; a new version is audited with
 * `actor` (`serve` or `cli:<user>@<host>`). Throws PolicyHistoryError for a date in a closed month.
 */
export async function registerPolicy(
  redis: RedisClient,
  keys: Keys,
  read: Pick<PolicyRead, 'policy' | 'effectiveFrom'>,
  opts: { now: Date; actor: string },
): Promise<Registration & { changes: string[] }> {
  const history = new PolicyHistory(redis, keys);
  const before = await history.versions();
  const result = await history.register(read.policy, read.effectiveFrom, opts);
  const previous = versionAt(
    before.filter((v) => v.effectiveFrom <= result.version.effectiveFrom),
    result.version.effectiveFrom,
  );
  const changes = policyDiff(previous?.policy, result.version.policy);
  if (result.status === 'registered') {
    const shown = previous
      ? changes.slice(0, 8).join('; ') + (changes.length > 8 ? `; … (${changes.length} in all)` : '')
      : 'first version';
    await appendAudit(redis, keys, {
      kind: 'policy.change',
      actor: opts.actor,
      // The file came in through the command line: `zhucun serve` at start or `zhucun policy register`.
      channel: 'cli',
      at: opts.now.getTime(),
      id: `policy.change:${result.version.id}`,
      ref: result.version.id,
      summary: `effective from ${result.version.effectiveFrom}: ${shown || 'no setting changed'}`,
    });
  }
  return { ...result, changes };
}

/**
 * At start: register the file, then the book of every version for `deps.policy`. Two instances starting at
 * once register the file once (the version id is the key). A date in a closed month stops start-up with the
 * file's name (`source`) and the reason.
 */
export async function registerAtStart(
  redis: RedisClient,
  keys: Keys,
  read: Pick<PolicyRead, 'policy' | 'effectiveFrom'>,
  now: Date,
  source = 'policy.yaml',
): Promise<{ book: PolicyBook; registration: Registration }> {
  const registration = await registerPolicy(redis, keys, read, { now, actor: 'serve' }).catch((err: unknown) => {
    throw err instanceof PolicyHistoryError ? new PolicyHistoryError(`${source}: ${err.message}`) : err;
  });
  const versions = await new PolicyHistory(redis, keys).versions();
  return { book: new PolicyBook(versions, read.policy), registration };
}
