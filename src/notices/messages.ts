/**
 * The messages and the audit record of a notice issued: the notice to the cadre, and to its reviewers (the
 * township's supervisors for a 整改单, the organisation department for a 警示单). Formal notices (purpose
 * `warning`): the daily budget never drops them, so the number written in the message is the one recorded.
 */
import type { AuditEntry } from '../audit/trail.js';
import type { Outbound } from '../core/outbound.js';
import { toCadre, toReviewer } from '../../templates/notices.js';
import type { Notice } from './notice.js';

function text(key: string, to: string, content: string): Outbound {
  return { key, to: { kind: 'user', userIds: [to] }, body: { type: 'text', content }, purpose: 'warning' };
}

/** The notice to the cadre and each reviewer (someone who is both gets the cadre's copy only). */
export function issuedMessages(n: Notice, reviewers: readonly string[]): Outbound[] {
  return [
    text(`notice:${n.no}:${n.userId}`, n.userId, toCadre(n)),
    ...reviewers.filter((r) => r !== n.userId).map((r) => text(`notice:${n.no}:${r}`, r, toReviewer(n))),
  ];
}

/** The audit record of a notice issued by `actor` (`job:<id>` or a userid). */
export function issuedEntry(n: Notice, actor: string, channel: AuditEntry['channel'], id: string): AuditEntry {
  return {
    kind: 'notice.issue',
    actor,
    channel,
    at: new Date(n.issuedAt).getTime(),
    id,
    ref: n.no,
    subject: n.userId,
    summary: `${n.no}：${n.reason}`,
  };
}
