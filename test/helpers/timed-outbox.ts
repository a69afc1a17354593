/** An outbox for month simulations: keeps what is queued with the simulated time it was queued. */
import type { Clock } from '../../src/core/clock.js';
import type { Outbound } from '../../src/core/outbound.js';
import type { OutboxPort } from '../../src/core/outbox-port.js';

/** Keeps everything queued with the time it was queued; like the outbox, a key queued before is not sent again. */
export class TimedOutbox implements OutboxPort {
  readonly queued: { m: Outbound; at: Date }[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly clock: Clock) {}
  async enqueue(messages: Outbound[]): Promise<void> {
    for (const m of messages) {
      if (this.seen.has(m.key)) continue;
      this.seen.add(m.key);
      this.queued.push({ m, at: this.clock.now() });
    }
  }
}
