/**
 * The alerts of each event the bot watches, as `raise` takes them: kind, key (what makes two of them the same
 * alert for the rate limit) and the sentences from templates/alerts.ts.
 */
import { WEBHOOK_KEY_MISSING } from '../../templates/sending.js';
import type { Outbound } from '../core/outbound.js';
import * as T from '../../templates/alerts.js';
import type { Alert } from './alert.js';

/** The job whose failure is a backup failure (the backup job throws when a snapshot cannot be written). */
export const BACKUP_JOB = 'backup';

/** Where a message was going, for the operator: at most three userids, or the webhook's variable. */
export function describeTarget(to: Outbound['to']): string {
  switch (to.kind) {
    case 'user':
    case 'card_update': {
      const ids = to.userIds;
      return `${ids.slice(0, 3).join('|')}${ids.length > 3 ? ` +${ids.length - 3}` : ''}`;
    }
    case 'webhook':
      return `webhook ${to.keyEnv}`;
    case 'response_url':
      return 'response_url';
    case 'recall':
      return 'message/recall';
  }
}

/**
 * A message the outbox gave up on. Failures of one cause are one alert: WeCom's errcode, the unset webhook
 * variable, or "retries used up" for failures that never got an answer (network, WeCom busy).
 */
export function outboxFailedAlert(msg: Outbound, reason: string, exhausted: boolean): Alert {
  const errcode = /errcode (-?\d+)/.exec(reason)?.[1];
  const webhookEnv = msg.to.kind === 'webhook' && reason.startsWith(WEBHOOK_KEY_MISSING) ? msg.to.keyEnv : undefined;
  const key = webhookEnv
    ? `webhook-key:${webhookEnv}`
    : errcode
      ? `errcode:${errcode}`
      : exhausted
        ? 'retries'
        : 'refused';
  const text = T.outboxFailed({
    purpose: msg.purpose,
    to: describeTarget(msg.to),
    detail: reason,
    errcode: errcode === undefined ? undefined : Number(errcode),
    webhookEnv,
    exhausted,
  });
  return { kind: 'outbox-failed', key, ...text };
}

/** A scheduled run that threw; the backup job's own sentence for `backup`. One alert per job. */
export function jobFailedAlert(jobId: string, slot: Date, error: Error): Alert {
  if (jobId === BACKUP_JOB) return { kind: 'backup-failed', key: jobId, ...T.backupFailed(slot, error.message) };
  return { kind: 'job-failed', key: jobId, ...T.jobFailed(jobId, slot, error.message) };
}

/** A slot nobody ran by the end of its catch-up window; each slot is raised once, wherever it is noticed. */
export function jobMissedAlert(jobId: string, slot: Date, cutoff: Date): Alert {
  return { kind: 'job-missed', key: jobId, occurrence: slot.toISOString(), ...T.jobMissed(jobId, slot, cutoff) };
}
