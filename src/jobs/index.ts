/**
 * The job table: every scheduled job, by id. The scheduler and `zhucun jobs` read it; a new job is one file in
 * this folder and one line here. Schedules come from the policy (`jobs:` in the policy file).
 */
import type { AnyJob } from '../schedule/job.js';
import { announceRenudge } from './announce-renudge.js';
import { backup } from './backup.js';
import { checkinSync } from './checkin-sync.js';
import { dailyDigest } from './daily-digest.js';
import { holidayWatch } from './holiday-watch.js';
import { leaveOverdue } from './leave-overdue.js';
import { monthClose } from './month-close.js';
import { morningRemind } from './morning-remind.js';
import { noticeTriggers } from './notice-triggers.js';
import { opsWatch } from './ops-watch.js';
import { reportPrompt } from './report-prompt.js';
import { retention } from './retention.js';
import { selfReportConfirm } from './selfreport-confirm.js';
import { visitDue } from './visit-due.js';
import { warningLadder } from './warning-ladder.js';
import { weeklyDigest } from './weekly-digest.js';
import { teamDigest } from './team-digest.js';
import { unitSummary } from './unit-summary.js';
import { monthlySheet } from './monthly-sheet.js';

export const JOBS: readonly AnyJob[] = [
  morningRemind,
  leaveOverdue,
  dailyDigest,
  weeklyDigest,
  teamDigest,
  warningLadder,
  reportPrompt,
  announceRenudge,
  checkinSync,
  holidayWatch,
  retention,
  selfReportConfirm,
  monthClose,
  opsWatch,
  backup,
  visitDue,
  noticeTriggers,
  unitSummary,
  monthlySheet,
];

/** The job with this id, or undefined. */
export function findJob(id: string, jobs: readonly AnyJob[] = JOBS): AnyJob | undefined {
  return jobs.find((j) => j.id === id);
}
