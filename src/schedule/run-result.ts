/**
 * What a job run produced, in its own file so that the push log (which records it and is one of the
 * repositories) does not depend on the job context, and so on the core's dependencies.
 */
import type { Outbound } from '../core/outbound.js';

export type Trigger = 'schedule' | 'catch-up' | 'manual';

/** A reminder that the burden rules held back. */
export interface Dropped {
  key: string;
  userId: string;
  reason: 'quiet-hours' | 'budget';
}

export interface RunResult {
  jobId: string;
  /** The scheduled slot (ISO), or the run's own time for a manual run. */
  slot: string;
  trigger: Trigger;
  at: string;
  dryRun: boolean;
  /** What was handed to the outbox (or would be, in a dry run), after the burden rules. */
  sent: Outbound[];
  dropped: Dropped[];
  /** The job's data changes (`writes.describe`). */
  notes: string[];
}
