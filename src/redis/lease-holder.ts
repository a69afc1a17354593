/**
 * Runs a service (the smart robot's long connection) on exactly one instance: the one holding a Redis lease
 * (src/redis/lease.ts). When the lease is acquired the service starts; when it is lost the service is stopped at
 * once, before anything else, and the instance keeps trying to acquire it again. An instance that cannot start
 * the service gives the lease back, so another one can try.
 *
 * The service's `start()` and `stop()` must be idempotent, and `stop()` must also cancel a `start()` still
 * connecting: a loss never waits for a start to finish.
 */
import type { Logger } from '../log.js';
import { Lease, type LeaseLoss, type LeaseOptions } from './lease.js';

export interface LeasedService {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** `held`: this instance runs the service; `standby`: another one does (or nobody yet); `stopped`: shut down. */
export type HolderState = 'held' | 'standby' | 'stopped';

export type HolderOptions = Omit<LeaseOptions, 'onAcquired' | 'onLost' | 'onError'> & {
  service: LeasedService;
  log: Logger;
  /** What the service is, for the logs (e.g. `long connection`). */
  name: string;
  /** Told of every change of state (tests, metrics). */
  onState?(state: HolderState, detail: { fence?: number; reason?: LeaseLoss | 'start-failed' }): void;
};

export class LeaseHolder {
  private readonly lease: Lease;
  private current: HolderState = 'stopped';
  /** The service's state changes, one after the other (a stop is started at once but also joins the chain). */
  private chain: Promise<void> = Promise.resolve();
  private stopping?: Promise<void>;
  private readonly log: Logger;

  constructor(private readonly opts: HolderOptions) {
    this.log = opts.log.child({ component: 'lease', lease: opts.name });
    this.lease = new Lease({
      ...opts,
      onAcquired: (fence) => this.acquired(fence),
      onLost: (reason) => this.lost(reason),
      onError: (err) => this.log.warn({ err }, 'lease: redis call failed'),
    });
  }

  /** A method, not a field read, so TypeScript does not narrow the state across the awaits around it. */
  private stopped(): boolean {
    return this.current === 'stopped';
  }

  get state(): HolderState {
    return this.current;
  }

  /** The lease itself (its timings, holder, fence). */
  get info(): Lease {
    return this.lease;
  }

  /** Begin competing for the lease. */
  start(): void {
    if (!this.stopped()) return;
    this.set('standby');
    this.lease.start();
  }

  /** Stop the service (if running here), then release the lease so another instance takes over at once. */
  async stop(): Promise<void> {
    if (this.stopped()) return;
    this.set('stopped');
    await this.stopService();
    await this.chain;
    await this.lease.stop();
  }

  private acquired(fence: number): void {
    this.log.info({ fence }, `lease acquired: starting the ${this.opts.name}`);
    this.chain = this.chain.then(async () => {
      await this.stopping;
      if (!this.lease.held || this.stopped()) return;
      try {
        await this.opts.service.start();
      } catch (err) {
        this.log.error({ err }, `could not start the ${this.opts.name}: giving the lease back`);
        await this.stopService();
        this.set('standby', { reason: 'start-failed' });
        // Give it back (another instance may do better) and compete again after the usual wait.
        await this.lease.stop();
        if (!this.stopped())
          setTimeout(() => !this.stopped() && this.lease.start(), this.lease.timings.retryEveryMs).unref();
        return;
      }
      // Lost (or stopped) while starting: the stop already sent wins.
      if (!this.lease.held || this.stopped()) return void (await this.stopService());
      this.set('held', { fence });
    });
  }

  private lost(reason: LeaseLoss): void {
    this.log.warn({ reason }, `lease lost: stopping the ${this.opts.name}`);
    void this.stopService();
    if (!this.stopped()) this.set('standby', { reason });
  }

  /** Stop the service now (not after a start in progress); errors are logged, the state is standby anyway. */
  private stopService(): Promise<void> {
    const p = this.opts.service.stop().catch((err: unknown) => {
      this.log.error({ err }, `error while stopping the ${this.opts.name}`);
    });
    this.stopping = p;
    return p;
  }

  private set(state: HolderState, detail: { fence?: number; reason?: LeaseLoss | 'start-failed' } = {}): void {
    if (state === this.current) return;
    this.current = state;
    this.opts.onState?.(state, detail);
  }
}
