/**
 * The audit trail: an append-only Redis stream of who decided what, when, and through which channel (approvals,
 * rejections, back-fill and self-report confirmations, announcements sent and recalled, notices, roster imports,
 * policy changes, exports, backups and restores). It holds no location, so it is kept for `retention.auditYears`,
 * far beyond the retention of personal detail.
 *
 * A decision made by a chat update is staged in the update's `Tx` (`stageAudit`), so it is recorded if and only
 * if the decision commits. A commit that is applied partly and then retried may add the same entry twice; each
 * entry carries an idempotency `id` and the reader keeps the first of each id.
 */
import type { Channel } from '../core/update.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { Tx } from '../redis/tx.js';

/** What was done. */
export const AUDIT_KINDS = [
  'leave.approve',
  'leave.reject',
  'backfill.approve',
  'backfill.reject',
  'selfreport.confirm',
  'selfreport.reject',
  'announce.send',
  'announce.recall',
  'notice.send',
  'roster.import',
  'policy.change',
  'month.close',
  'export.sheet',
  'export.person',
  'export.points',
  'backup.take',
  'backup.restore',
  'schema.migrate',
  'problem.create',
  'problem.reply',
  'problem.handover',
  'problem.close',
  'problem.add',
  'notice.issue',
  'notice.answer',
  'notice.close',
  'notice.escalate',
  'export.report-draft',
  'export.send',
  'dash.signin',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/**
 * Where it was done: a chat channel (the update's), the admin HTTP API, the command line, a scheduled job, or the
 * dashboard (a person signed in to its pages).
 */
export type AuditChannel = Channel | 'admin' | 'cli' | 'job' | 'dashboard';

export interface AuditEntry {
  kind: AuditKind;
  /** Who: a WeCom userid, `cli:<os user>@<host>`, `admin` (the admin token) or `job:<job id>`. */
  actor: string;
  channel: AuditChannel;
  /** When (ms since the epoch, the domain clock's time). */
  at: number;
  /** Idempotency key: the same action recorded twice (a retried commit) has the same id. */
  id: string;
  /** The item acted on: Q1001, N1001, a month, a file name. */
  ref?: string;
  /** The person the action concerns, when it is one person (the cadre whose leave was approved). */
  subject?: string;
  /** A short plain description (`2 天事假，12月7日至8日`, `31 名干部`). */
  summary?: string;
  /** The client address, for the admin API and the check-in page. */
  ip?: string;
}

function fields(e: AuditEntry): string[] {
  return ['e', JSON.stringify(e)];
}

/**
 * Stage an entry in an update's writes: recorded exactly when the update commits. The stream id's time is the
 * entry's `at` (or the last entry's, should the clock have gone back), so readers and trimming range by time.
 */
export function stageAudit(tx: Tx, keys: Keys, entry: AuditEntry): void {
  tx.xadd(keys.audit(), entry.at, ...fields(entry));
}

/** Append an entry at once (command line, admin API, jobs: actions that are not a chat update's commit). */
export async function appendAudit(redis: RedisClient, keys: Keys, entry: AuditEntry): Promise<void> {
  const tx = new Tx();
  stageAudit(tx, keys, entry);
  await tx.commit(redis);
}
