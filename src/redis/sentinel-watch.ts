/**
 * Following the sentinels' announcements of a new master (`+switch-master`). A master that dies closes its
 * connections and the client finds the new one by itself; a master that hangs (a frozen host, a network cut)
 * leaves the connection open, and every command would time out until it came back. So the bot listens on the
 * sentinels and, told of a switch to another master than the one it is connected to, drops its connection and
 * asks the sentinels again.
 *
 * ioredis' own `failoverDetector` does not do: it acts on every announcement, whatever master it names and
 * whatever the client is doing. Each sentinel announces the same switch, so the late copies made the client
 * leave the new master it had just reached (503s after the failover); one that arrived while the client was
 * reconnecting aborted the reconnect, and ioredis then gave the client up for good.
 *
 * Here the copies of one announcement are acted on once; an announcement naming the master the client is
 * connected to changes nothing; one that arrives while the client is connecting is checked when it is ready.
 */
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';

const CHANNEL = '+switch-master';

export interface SentinelWatchOptions {
  sentinels: readonly { host: string; port: number }[];
  /** The master's name (REDIS_SENTINEL_NAME). */
  name: string;
  /** The sentinels' own password (REDIS_SENTINEL_PASSWORD). */
  password?: string;
  tls?: ConnectionOptions;
}

interface Address {
  host: string;
  port: number;
}

/** The new master of a `+switch-master` message (`name old-ip old-port new-ip new-port`), or undefined. */
export function announcedMaster(message: string, name: string): Address | undefined {
  const parts = message.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] !== name) return undefined;
  const port = Number(parts[4]);
  return Number.isInteger(port) && port > 0 ? { host: parts[3]!, port } : undefined;
}

/** Whether `redis` is connected to `to` (an address it cannot tell, a host name, counts as another). */
function connectedTo(redis: Redis, to: Address): boolean {
  const host = redis.stream?.remoteAddress?.replace(/^::ffff:/, '');
  return isIP(to.host) !== 0 && host === to.host && redis.stream?.remotePort === to.port;
}

/**
 * The sentinels' announcements, listened to once for a client and every duplicate made of it (the outbox's
 * queue and worker connections): each follows a switch by itself.
 */
export class SentinelWatch {
  private last: string | undefined;
  /** Each client followed, with the master announced while it was not ready (checked once it is). */
  private readonly clients = new Map<Redis, { waiting?: Address }>();
  private readonly listeners: Redis[];

  constructor(
    private readonly opts: SentinelWatchOptions,
    private readonly log: Logger,
  ) {
    this.listeners = opts.sentinels.map(({ host, port }) => this.listen(host, port));
  }

  /** Follow the announcements with `redis`, and with every duplicate made of it from now on. */
  follow(redis: Redis): Redis {
    const state: { waiting?: Address } = {};
    this.clients.set(redis, state);
    redis.on('ready', () => {
      const to = state.waiting;
      state.waiting = undefined;
      if (to) this.leaveFor(redis, to);
    });
    redis.once('end', () => this.clients.delete(redis));
    const duplicate = redis.duplicate.bind(redis);
    redis.duplicate = (...args: Parameters<Redis['duplicate']>) => this.follow(duplicate(...args));
    return redis;
  }

  close(): void {
    for (const sub of this.listeners) sub.disconnect();
    this.clients.clear();
  }

  private listen(host: string, port: number): Redis {
    const sub = new Redis({
      host,
      port,
      ...(this.opts.password ? { password: this.opts.password } : {}),
      ...(this.opts.tls ? { tls: this.opts.tls } : {}),
      connectTimeout: 2_000,
      maxRetriesPerRequest: null,
      retryStrategy: (times: number) => Math.min(200 * times, 2_000),
    });
    // A sentinel down is no error of the bot's: the others announce the switch too.
    sub.on('error', (err: Error) => this.log.debug({ err, sentinel: `${host}:${port}` }, 'sentinel subscription'));
    sub.on('message', (channel: string, message: string) => this.announced(channel, message));
    sub.subscribe(CHANNEL).catch((err: unknown) => this.log.debug({ err }, 'sentinel subscription'));
    return sub;
  }

  /** An announcement: acted on once, however many sentinels send it. */
  private announced(channel: string, message: string): void {
    if (channel !== CHANNEL || message === this.last) return;
    const to = announcedMaster(message, this.opts.name);
    if (!to) return;
    this.last = message;
    this.log.warn({ master: `${to.host}:${to.port}` }, 'the sentinels announced a new Redis master');
    for (const [redis, state] of this.clients) {
      if (redis.status === 'ready') this.leaveFor(redis, to);
      else state.waiting = to;
    }
  }

  /** Reconnect `redis` (through the sentinels) unless it is on `to` already. */
  private leaveFor(redis: Redis, to: Address): void {
    if (!connectedTo(redis, to)) redis.disconnect(true);
  }
}
