/**
 * ioredis' Sentinel connector, with one race closed. With `failoverDetector`, each connection subscribes to
 * `+switch-master` on the sentinels; the subscription of a connection that has dropped lives on until the next
 * connection is up. When the switch is announced while the client is connecting again (asking a sentinel for
 * the master, which under load takes a while), that stale subscription aborts the connect in progress, and
 * ioredis then gives the client up for good (status `end`): every later command fails with "Connection is
 * closed." until the process restarts. So before each connect the previous subscription is dropped; the new
 * connection subscribes afresh once it is up, as before.
 */
import { SentinelConnector, type SentinelConnectionOptions } from 'ioredis';

type ErrorEmitter = Parameters<SentinelConnector['connect']>[0];
/** The part of ioredis' (private) failover detector used here. */
interface FailoverDetector {
  cleanup(): void;
}

export class ReconnectingSentinelConnector extends SentinelConnector {
  /** ioredis constructs a `Connector` with the client's options, which hold the sentinels. */
  constructor(options: unknown) {
    super(options as SentinelConnectionOptions);
  }

  override connect(eventEmitter: ErrorEmitter): ReturnType<SentinelConnector['connect']> {
    const self = this as unknown as { failoverDetector: FailoverDetector | null };
    self.failoverDetector?.cleanup();
    self.failoverDetector = null;
    return super.connect(eventEmitter);
  }
}
