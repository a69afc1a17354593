/** What the audit tests read: the trail as the reader gives it, and the raw stream. */
import { readAudit, type AuditQuery } from '../../src/audit/read.js';
import type { AuditEntry } from '../../src/audit/trail.js';
import type { TestRedis } from '../helpers/redis.js';

/** Every entry, oldest first, each action once (as `zhucun audit` reads them). */
export async function trail(t: TestRedis, q: AuditQuery = {}): Promise<AuditEntry[]> {
  return (await readAudit(t.redis, t.keys, q)).entries;
}

/** The raw stream: each stream id's time part and the entry's id, in stream order. */
export async function rawStream(t: TestRedis): Promise<{ ms: number; id: string }[]> {
  const rows = await t.redis.xrange(t.keys.audit(), '-', '+');
  return rows.map(([sid, fields]) => ({
    ms: Number(sid.split('-')[0]),
    id: (JSON.parse(fields[1]!) as AuditEntry).id,
  }));
}

/** A minimal entry at `iso`, for tests of the stream itself. */
export function entryAt(iso: string, id: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { kind: 'leave.approve', actor: 'LiZhenHua', channel: 'app', at: new Date(iso).getTime(), id, ...extra };
}
