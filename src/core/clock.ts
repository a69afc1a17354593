/**
 * The clock is injected everywhere domain code needs "now": the system clock in production, a fixed clock in
 * tests, and an offset clock in the sandbox (the simulated time a person sets on the clock panel).
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that always answers the same instant (tests, `--now` on the CLI). */
export function fixedClock(at: Date | string): Clock {
  const t = new Date(at).getTime();
  return { now: () => new Date(t) };
}

/** A clock shifted from real time by a changeable offset; the sandbox moves it without touching real time. */
export class OffsetClock implements Clock {
  constructor(public offsetMs = 0) {}
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}
