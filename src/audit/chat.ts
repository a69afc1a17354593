/**
 * Recording a decision made in a chat (an approval, a rejection, an announcement sent or recalled): the entry is
 * staged in the update's writes, so it exists exactly when the decision commits, and a refused update (whose
 * writes are dropped) leaves none.
 */
import type { Update } from '../core/update.js';
import type { Keys } from '../redis/keys.js';
import type { Tx } from '../redis/tx.js';
import { stageAudit, type AuditKind } from './trail.js';

/** What a handler's context gives (`Context` fits). */
export interface ChatAuditContext {
  update: Pick<Update, 'id' | 'channel'>;
  person: { userid: string };
  now: Date;
  tx: Tx;
  deps: { keys: Keys };
}

export interface ChatAction {
  kind: AuditKind;
  /** The item decided: Q1001, B12, N1001. */
  ref: string;
  /** The person it concerns (the cadre whose leave or check-in it is). */
  subject?: string;
  summary: string;
}

/**
 * The entry's idempotency id: one per update, kind and item, so a commit retried after being partly applied
 * (a cluster applies a commit slot by slot) is read back once.
 */
export function chatAuditId(updateId: string, kind: AuditKind, ref: string): string {
  return `${updateId}:${kind}:${ref}`;
}

/** Stage the record of `action`, done by the update's sender through the update's channel at the update's time. */
export function auditChat(ctx: ChatAuditContext, action: ChatAction): void {
  stageAudit(ctx.tx, ctx.deps.keys, {
    kind: action.kind,
    actor: ctx.person.userid,
    channel: ctx.update.channel,
    at: ctx.now.getTime(),
    id: chatAuditId(ctx.update.id, action.kind, action.ref),
    ref: action.ref,
    ...(action.subject ? { subject: action.subject } : {}),
    summary: action.summary,
  });
}
