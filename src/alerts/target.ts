/**
 * Where operator alerts go, from the configuration: app messages to the members in `ZHUCUN_ALERT_TO`, and/or the
 * group robot whose webhook key is in the variable `ZHUCUN_ALERT_WEBHOOK_ENV` names. With neither, alerts go to
 * the log only, and start-up and `/readyz` say so.
 */
import { alertUserIds, type Env } from '../config/env.js';
import type { OutboundTarget } from '../core/outbound.js';

export interface AlertTarget {
  /** Members who get alerts as app messages. */
  userIds: string[];
  /** The variable holding the operators' group robot webhook key. */
  webhookEnv?: string;
}

/** Shown at start-up and on `/readyz` when no target is configured (a warning, not a failure). */
export const NO_TARGET_WARNING =
  'operator alerts are not configured (ZHUCUN_ALERT_TO or ZHUCUN_ALERT_WEBHOOK_ENV): alerts go to the log only';

/** The target from the validated environment (`loadEnv` has refused malformed values). */
export function alertTargetFromEnv(env: Pick<Env, 'ZHUCUN_ALERT_TO' | 'ZHUCUN_ALERT_WEBHOOK_ENV'>): AlertTarget {
  return {
    userIds: env.ZHUCUN_ALERT_TO ? (alertUserIds(env.ZHUCUN_ALERT_TO) ?? []) : [],
    ...(env.ZHUCUN_ALERT_WEBHOOK_ENV ? { webhookEnv: env.ZHUCUN_ALERT_WEBHOOK_ENV } : {}),
  };
}

/** The outbox targets of an alert: one app message to all the members, one webhook message. */
export function outboundTargets(target: AlertTarget): OutboundTarget[] {
  return [
    ...(target.userIds.length ? [{ kind: 'user' as const, userIds: target.userIds }] : []),
    ...(target.webhookEnv ? [{ kind: 'webhook' as const, keyEnv: target.webhookEnv }] : []),
  ];
}
