/**
 * The migration steps, oldest first. Adding one is one file in src/migrate/steps/ (a `MigrationStep` whose
 * `version` is the last one's plus one) and one line here; `SCHEMA_VERSION` follows the last step.
 */
import type { MigrationStep } from './step.js';
import { previousRelease } from './steps/v1-previous-release.js';
import { assignments } from './steps/v2-assignments.js';
import { rosterVersionStep } from './steps/v3-roster-version.js';
import { leaveDays } from './steps/v4-leave-days.js';

export const STEPS: readonly MigrationStep[] = [
  previousRelease, // 1
  assignments, // 2
  rosterVersionStep, // 3
  leaveDays, // 4
];
