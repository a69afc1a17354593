/**
 * Waiting on a condition instead of on time: `until` checks the condition as often as the event loop lets it
 * (every few milliseconds) and fails, naming what it waited for, only after a generous bound, so a slow machine
 * makes a test slower but never wrong.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** Resolve once `condition()` holds; reject after `timeoutMs` (default 60 s) with `what` in the message. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeoutMs} ms for ${what}`);
    await delay(10);
  }
}
