/**
 * Clocks the sending tests drive: a manual clock moved by the test, and a fast clock on which simulated
 * minutes pass in real fractions of a second (for runs of the real worker against the fake WeCom).
 */
import type { Clock } from '../../src/core/clock.js';

export class ManualClock implements Clock {
  constructor(public ms = Date.parse('2026-11-18T09:00:00+08:00')) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Simulated time running `rate` times faster than real time, starting at `start`. */
export class FastClock implements Clock {
  private readonly realStart = Date.now();
  constructor(
    readonly rate: number,
    readonly start = Date.parse('2026-11-18T09:00:00+08:00'),
  ) {}
  now(): Date {
    return new Date(this.start + (Date.now() - this.realStart) * this.rate);
  }
}
