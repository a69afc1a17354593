/** What an operator alert is, apart from how it is sent (alerts.ts), so the event builders can name it. */
import type { AlertText, AlertTitleKind } from '../../templates/alerts.js';

export type AlertKind = AlertTitleKind;

export interface Alert extends AlertText {
  kind: AlertKind;
  /** What makes two alerts of a kind "the same" for the rate limit: a job id, an error code, a Redis node. */
  key: string;
  /** One event seen from several places (a job's missed slot): raised again, it is neither sent nor counted. */
  occurrence?: string;
}

/** What became of a raise: sent through the outbox, logged only (no target), a counted repeat, or a duplicate. */
export type RaiseOutcome = 'sent' | 'logged' | 'repeat' | 'duplicate' | 'failed';

/** The purpose of alert messages in the outbox: a failed alert message is logged, never alerted about again. */
export const ALERT_PURPOSE = 'alert';
