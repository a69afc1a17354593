/**
 * The one clock tests move by hand: it stands still until the test sets or advances it, so every "now" the
 * code under test reads is one the test chose. Production clocks live in src/core/clock.ts.
 */
import type { Clock } from '../../src/core/clock.js';

/** The instant most tests start at: a Wednesday morning, a working day (Asia/Shanghai). */
export const TEST_START = '2026-11-18T09:00:00+08:00';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export class TestClock implements Clock {
  private ms: number;

  constructor(start: Date | string | number = TEST_START) {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  /** Milliseconds since the epoch, for code and tests that count in numbers. */
  get time(): number {
    return this.ms;
  }

  /** Jump to an instant (ISO text, Date or epoch ms). */
  set(at: Date | string | number): void {
    this.ms = new Date(at).getTime();
  }

  /** Move forward by `ms` milliseconds (use MINUTE, HOUR, DAY for readability). */
  advance(ms: number): void {
    this.ms += ms;
  }
}
