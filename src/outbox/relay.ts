/**
 * The relay of the transactional outbox. An update's messages are committed with it into a relay stream
 * (`Keys.relay`, src/redis/tx.ts) and handed to the sending queue right after the commit (src/core/bot.ts).
 * What that hand-off missed — the process died after the commit, the queue was down — waits in the stream;
 * the sweep hands it over again and drops it. Entries younger than `minAgeMs` are left alone: their own hand-off
 * is probably still running. Handing a message over twice is harmless: the queue ignores a key it already has.
 *
 * Any number of instances may sweep. On a single server there is one stream; on a cluster one per person, found
 * by SCAN over the masters.
 */
import type { Outbound } from '../core/outbound.js';
import type { OutboxPort } from '../core/outbox-port.js';
import type { Logger } from '../log.js';
import { isCluster, type RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { dropEntries } from '../redis/stream.js';

/** Entries handed over per stream and sweep. */
const BATCH = 200;

export interface RelayOptions {
  redis: RedisClient;
  keys: Keys;
  outbox: OutboxPort;
  log: Logger;
  /** Entries younger than this are left to their own hand-off (ms of the server's time, default 10 s). */
  minAgeMs?: number;
}

export class Relay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(private readonly opts: RelayOptions) {}

  /** Hand over every entry older than `minAgeMs` (by its id, the server's time); returns how many messages. */
  async sweep(nowMs: number = Date.now()): Promise<number> {
    const upTo = String(Math.max(0, nowMs - (this.opts.minAgeMs ?? 10_000)));
    let handed = 0;
    for (const key of await this.streams()) {
      for (;;) {
        const entries = await this.opts.redis.xrange(key, '-', upTo, 'COUNT', BATCH);
        if (!entries.length) break;
        // Entry by entry: one the queue refuses stays (and is logged) without holding up the others.
        const done: string[] = [];
        for (const [id, fields] of entries) {
          const messages = parseEntry(fields);
          if (!messages) this.opts.log.error({ key, id }, 'relay: an entry holds no messages; dropped');
          else
            try {
              await this.opts.outbox.enqueue(messages);
              handed += messages.length;
            } catch (err) {
              this.opts.log.error({ err, key, id }, 'relay: the queue refused an entry; it stays for the next sweep');
              continue;
            }
          done.push(id);
        }
        await dropEntries(this.opts.redis, key, done);
        // A refused entry would be read again at once: leave the rest of this stream to the next sweep.
        if (done.length < entries.length) break;
        if (entries.length < BATCH) break;
      }
    }
    if (handed) this.opts.log.warn({ messages: handed }, 'relay: handed over messages a commit left behind');
    return handed;
  }

  /** Sweep every `intervalMs` until `stop`; a failed sweep is logged and tried again next time. */
  start(intervalMs = 5_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .catch((err: unknown) => {
          this.opts.log.error({ err }, 'relay sweep failed; trying again');
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async streams(): Promise<string[]> {
    const { redis, keys } = this.opts;
    if (!isCluster(redis)) return [keys.relay()];
    const found = new Set<string>();
    for (const node of redis.nodes('master')) {
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', keys.relayPattern(), 'COUNT', 1000, 'TYPE', 'stream');
        cursor = next;
        for (const k of batch) found.add(k);
      } while (cursor !== '0');
    }
    return [...found];
  }
}

/** The messages of one relay entry (`m` → JSON array); undefined when it is not one. */
function parseEntry(fields: string[]): Outbound[] | undefined {
  const i = fields.indexOf('m');
  if (i < 0 || i % 2 !== 0) return undefined;
  try {
    const parsed = JSON.parse(fields[i + 1] ?? '') as unknown;
    return Array.isArray(parsed) ? (parsed as Outbound[]) : undefined;
  } catch {
    return undefined;
  }
}
