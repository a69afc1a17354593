/**
 * Operator alerts: `raise({ kind, key, reason, action })` tells the operator (src/alerts/target.ts) what went
 * wrong and what to do, through the outbox, rate-limited per kind and key (window.ts). Every alert also goes to
 * the log at error level, so it is seen when no target is configured and when sending itself is what fails.
 * `raise` never throws: it is called from failure paths that must go on.
 */
import type { Clock } from '../core/clock.js';
import type { Outbound } from '../core/outbound.js';
import type { OutboxPort } from '../core/outbox-port.js';
import type { Logger } from '../log.js';
import type { Policy } from '../policy/policy.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { alertMessage, type AlertText } from '../../templates/alerts.js';
import { ALERT_PURPOSE, type Alert, type AlertKind, type RaiseOutcome } from './alert.js';
import { outboxFailedAlert } from './events.js';
import { outboundTargets, type AlertTarget } from './target.js';
import { AlertWindow } from './window.js';

export interface AlertsOptions {
  redis: RedisClient;
  keys: Keys;
  clock: Clock;
  log: Logger;
  policy: Pick<Policy, 'alerts'>;
  /** The outbox itself, not the push log's wrapper: alerts are no cadre's burden. */
  outbox: OutboxPort;
  target: AlertTarget;
}

export class Alerts {
  private readonly window: AlertWindow;
  private readonly log: Logger;

  constructor(private readonly opts: AlertsOptions) {
    this.window = new AlertWindow(opts.redis, opts.keys);
    this.log = opts.log.child({ component: 'alerts' });
  }

  /** Whether alerts reach anyone besides the log. */
  get configured(): boolean {
    return outboundTargets(this.opts.target).length > 0;
  }

  private get minutes(): number {
    return this.opts.policy.alerts.repeatMinutes;
  }

  /** Tell the operator, unless the same alert was sent within the window (then it is counted for the summary). */
  async raise(alert: Alert): Promise<RaiseOutcome> {
    const now = this.opts.clock.now();
    const fields = { alert: alert.kind, key: alert.key, reason: alert.reason, action: alert.action };
    try {
      const payload = JSON.stringify({ reason: alert.reason, action: alert.action });
      const d = await this.window.decide(alert, payload, now.getTime(), this.minutes * 60_000);
      if (!d.send) {
        if (!d.duplicate)
          this.log.warn({ ...fields, repeats: d.repeats }, 'operator alert repeated (summarised later)');
        return d.duplicate ? 'duplicate' : 'repeat';
      }
      const repeats = d.repeats ? { count: d.repeats, since: d.since, minutes: this.minutes } : undefined;
      const text = alertMessage({ kind: alert.kind, text: alert, at: now, repeats: repeats ?? this.noRepeats() });
      return await this.deliver(alert.kind, alert.key, now, text, { ...fields, repeats: d.repeats });
    } catch (err) {
      this.log.error({ ...fields, err }, 'operator alert (its rate limit could not be checked; not sent)');
      return 'failed';
    }
  }

  /**
   * The outbox gave a message up. An alert message that fails is only logged (at error level, with its text):
   * alerting about it through the same outbox could loop and would not arrive either.
   */
  async outboxGaveUp(msg: Outbound, reason: string, exhausted: boolean): Promise<RaiseOutcome> {
    if (msg.purpose === ALERT_PURPOSE) {
      const content = msg.body.type === 'text' ? msg.body.content : undefined;
      this.log.error({ key: msg.key, reason, content }, 'operator alert could not be sent; it is only in this log');
      return 'failed';
    }
    return this.raise(outboxFailedAlert(msg, reason, exhausted));
  }

  /** Alerts with repeats whose window has ended (what the ops-watch job would summarise). */
  dueSummaries(): Promise<number> {
    return this.window.dueCount(this.opts.clock.now().getTime());
  }

  /** Send the summary of every window that ended with repeats; returns how many were sent or logged. */
  async sendSummaries(): Promise<number> {
    const now = this.opts.clock.now();
    const due = await this.window.takeDue(now.getTime(), this.minutes * 60_000);
    for (const s of due) {
      const text = JSON.parse(s.latest) as AlertText;
      const repeats = { count: s.repeats, since: s.since, minutes: this.minutes };
      const kind = s.kind as AlertKind;
      const message = alertMessage({ kind, text, at: now, repeats, summary: true });
      await this.deliver(kind, s.key, now, message, { alert: kind, key: s.key, ...text, repeats: s.repeats });
    }
    return due.length;
  }

  private noRepeats() {
    return { count: 0, since: 0, minutes: this.minutes };
  }

  /** To the log at error level always; to the operator's targets when there are any. */
  private async deliver(
    kind: AlertKind,
    key: string,
    now: Date,
    content: string,
    fields: Record<string, unknown>,
  ): Promise<RaiseOutcome> {
    const targets = outboundTargets(this.opts.target);
    this.log.error({ ...fields, targets: targets.length }, 'operator alert');
    if (!targets.length) return 'logged';
    const messages: Outbound[] = targets.map((to) => ({
      key: `alert:${kind}:${key}:${now.getTime()}:${to.kind}`,
      to,
      body: { type: 'text', content },
      purpose: ALERT_PURPOSE,
    }));
    try {
      await this.opts.outbox.enqueue(messages);
      return 'sent';
    } catch (err) {
      this.log.error({ ...fields, err, content }, 'operator alert could not be queued; it is only in this log');
      return 'failed';
    }
  }
}
export type { Alert, AlertKind, RaiseOutcome } from './alert.js';
