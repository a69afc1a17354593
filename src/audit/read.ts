/**
 * Reading the audit trail: the entries of a time window, oldest first, optionally of some people or kinds. The
 * window bounds the stream ids (their time part is the entry's time, see `stageAudit`), so a recent window reads
 * only the recent end of a trail years long; it is read in pages so no reply grows with the trail.
 */
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { AuditEntry, AuditKind } from './trail.js';

/** Entries read per XRANGE call. */
const PAGE = 500;

export interface AuditQuery {
  /** From this instant (ms, inclusive); absent: from the first entry. */
  since?: number;
  /** Up to this instant (ms, inclusive); absent: to the last entry. */
  until?: number;
  /** Entries done by (`actor`) or about (`subject`) one of these. */
  users?: readonly string[];
  kinds?: readonly AuditKind[];
}

export interface AuditRead {
  /** Oldest first; each action once (the first entry of each idempotency id). */
  entries: AuditEntry[];
  /** Stream entries that are not audit entries (unreadable JSON): counted, never shown as facts. */
  unreadable: number;
}

function parse(fields: string[]): AuditEntry | undefined {
  const i = fields.indexOf('e');
  if (i < 0 || i % 2 !== 0) return undefined;
  try {
    const e = JSON.parse(fields[i + 1] ?? '') as Partial<AuditEntry>;
    return typeof e.id === 'string' && typeof e.kind === 'string' && typeof e.at === 'number'
      ? (e as AuditEntry)
      : undefined;
  } catch {
    return undefined;
  }
}

function matches(e: AuditEntry, q: AuditQuery): boolean {
  // The stream id bounds the read; an entry appended after a clock was set back has an id later than its time.
  if ((q.since !== undefined && e.at < q.since) || (q.until !== undefined && e.at > q.until)) return false;
  if (q.kinds && !q.kinds.includes(e.kind)) return false;
  if (q.users && !q.users.some((u) => e.actor === u || e.subject === u)) return false;
  return true;
}

/** The entries of `q`'s window and filters. */
export async function readAudit(redis: RedisClient, keys: Keys, q: AuditQuery = {}): Promise<AuditRead> {
  const key = keys.audit();
  // To the end: an entry appended after a clock was set back has an id later than its time (`matches` bounds it).
  const end = '+';
  let start = q.since === undefined ? '-' : String(Math.ceil(q.since));
  const seen = new Set<string>();
  const entries: AuditEntry[] = [];
  let unreadable = 0;
  for (;;) {
    const page = await redis.xrange(key, start, end, 'COUNT', PAGE);
    for (const [, fields] of page) {
      const e = parse(fields);
      if (!e) {
        unreadable++;
        continue;
      }
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      if (matches(e, q)) entries.push(e);
    }
    // By the entry's own time: a clock set back (the sandbox's seeded past) appends entries of earlier times.
    if (page.length < PAGE) return { entries: entries.sort((a, b) => a.at - b.at), unreadable };
    start = `(${page.at(-1)![0]}`;
  }
}

/** A page of the trail, newest first, and where the next (older) page starts. */
export interface AuditPage {
  entries: AuditEntry[];
  /** `before` of the next page (ms); null when the trail has no older entry. */
  next: number | null;
}

/**
 * The newest `limit` entries before `before` (ms, exclusive; the end of the trail when absent), newest first,
 * each action once. Read backwards from the stream's end in small batches, so a page costs the same however
 * long the trail is. Entries sharing the last millisecond all go on this page, so `next` never cuts through one.
 */
export async function readAuditPage(
  redis: RedisClient,
  keys: Keys,
  q: { limit: number; before?: number },
): Promise<AuditPage> {
  const key = keys.audit();
  let end = q.before === undefined ? '+' : `(${Math.floor(q.before)}`;
  const seen = new Set<string>();
  const entries: AuditEntry[] = [];
  let lastMs: number | undefined;
  for (;;) {
    const batch = await redis.xrevrange(key, end, '-', 'COUNT', q.limit + 1);
    for (const [id, fields] of batch) {
      const ms = Number(id.split('-')[0]);
      if (entries.length >= q.limit && ms !== lastMs) return { entries, next: lastMs! };
      const e = parse(fields);
      lastMs = ms;
      if (!e || seen.has(e.id)) continue;
      seen.add(e.id);
      entries.push(e);
    }
    if (batch.length < q.limit + 1) return { entries, next: null };
    end = `(${batch.at(-1)![0]}`;
  }
}
