/**
 * An operator-alert rig for tests: the real outbox worker sending to the fake WeCom (test/system's outbox rig),
 * `Alerts` on the test Redis with a hand-moved clock, the outbox's give-up hook wired to them as in src/app.ts,
 * and a log that keeps its lines so a test can read what reached the log.
 */
import { pino, type Logger } from 'pino';
import { Alerts } from '../../src/alerts/alerts.js';
import type { AlertTarget } from '../../src/alerts/target.js';
import type { Outbound } from '../../src/core/outbound.js';
import type { OutboxPort } from '../../src/core/outbox-port.js';
import { defaultPolicy, type Policy } from '../../src/policy/policy.js';
import type { Keys } from '../../src/redis/keys.js';
import { TestClock } from '../helpers/clock.js';
import type { TestRedis } from '../helpers/redis.js';
import { until } from '../helpers/wait.js';
import { startRig, type Rig } from '../system/fixtures/outbox-rig.js';

/** The operator's WeCom userid and group robot of these tests. */
export const OPERATOR = 'OpsAdmin';
export const OPS_HOOK_ENV = 'WEBHOOK_T1';
export const OPS_HOOK_KEY = 'wh-key-1';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A pino logger whose lines are kept, parsed, in `lines`. */
export function keptLog(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { log, lines };
}

export const ERROR = 50;

export interface AlertRig {
  rig: Rig;
  clock: TestClock;
  log: Logger;
  lines: LogLine[];
  policy: Policy;
  /** Alerts as one instance of the bot has them (the rig's outbox; `target` default: the operator's userid). */
  alerts(target?: AlertTarget, outbox?: OutboxPort): Alerts;
  /** Outbox ports that record what they queue and pass it on to the rig's outbox; `queued` per test. */
  tee(): TeeOutbox;
  /** The texts of the app messages and webhook posts the fake WeCom received, oldest first. */
  texts(): string[];
  /** Wait until the fake WeCom received `n` messages in all. */
  waitForTexts(n: number): Promise<string[]>;
}

/** Records the messages it queues, then queues them in the real outbox. */
export class TeeOutbox implements OutboxPort {
  readonly queued: Outbound[] = [];
  constructor(private readonly next: OutboxPort) {}
  async enqueue(messages: Outbound[]): Promise<void> {
    this.queued.push(...messages);
    await this.next.enqueue(messages);
  }
  /** The texts queued whose reason names `word`. */
  about(word: string): string[] {
    return this.queued
      .filter((m) => m.to.kind === 'user')
      .map((m) => (m.body.type === 'text' ? m.body.content : ''))
      .filter((c) => c.includes(word));
  }
}

export async function startAlertRig(t: TestRedis, keys: Keys = t.keys): Promise<AlertRig> {
  const clock = new TestClock('2026-11-18T09:00:00+08:00');
  const { log, lines } = keptLog();
  const policy = defaultPolicy();
  // Set once the first Alerts exists; the outbox only calls it after a message failed for good.
  let hook: Alerts | undefined;
  const rig = await startRig({
    redis: t.redis,
    url: t.url,
    keys,
    fake: { knownUsers: [OPERATOR, 'WangJianGuo'], webhookKeys: [OPS_HOOK_KEY] },
    outbox: { log, onGivenUp: (m, r, e) => hook!.outboxGaveUp(m, r, e), attempts: 2 },
  });
  const texts = () =>
    rig.fake
      .sent()
      .map((d) => (d.payload.text as { content?: string } | undefined)?.content ?? '')
      .filter((c) => c.startsWith('【驻村助手运维告警】'));
  return {
    rig,
    clock,
    log,
    lines,
    policy,
    alerts(target = { userIds: [OPERATOR] }, outbox = rig.outbox) {
      const a = new Alerts({ redis: t.redis, keys, clock, log, policy, outbox, target });
      hook ??= a;
      return a;
    },
    tee: () => new TeeOutbox(rig.outbox),
    texts,
    async waitForTexts(n) {
      await until(() => texts().length >= n, `${n} alert message(s) at the fake WeCom`);
      return texts();
    },
  };
}
