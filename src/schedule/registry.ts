/**
 * The job table seen from the policy: which jobs run, on which cron expression, and when next. A job whose
 * policy schedule is off (report prompts with `reports.prompt: off`) is listed but not scheduled.
 */
import { jobSchedule, type JobName, type Policy } from '../policy/policy.js';
import type { AnyJob } from './job.js';
import { CronSlots } from './slots.js';

/** The job id (command line, Redis keys) of each schedule the policy file names. */
export const JOB_IDS: Record<JobName, string> = {
  morningRemind: 'morning-remind',
  dailyDigest: 'daily-digest',
  weeklyDigest: 'weekly-digest',
  teamDigest: 'team-digest',
  warningLadder: 'warning-ladder',
  leaveOverdue: 'leave-overdue',
  reportPrompt: 'report-prompt',
  checkinSync: 'checkin-sync',
  holidayWatch: 'holiday-watch',
  announceRenudge: 'announce-renudge',
  retention: 'retention',
  selfReportConfirm: 'selfreport-confirm',
  backup: 'backup',
  monthClose: 'month-close',
  opsWatch: 'ops-watch',
  visitDue: 'visit-due',
  noticeTriggers: 'notice-triggers',
  unitSummary: 'unit-summary',
  monthlySheet: 'monthly-sheet',
};

const JOB_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Refuse a job table with a malformed or repeated id at start, rather than two jobs sharing one slot key.
 * Ids are kebab-case: they appear on the command line, in Redis keys and in node-cron's coordination key.
 */
export function checkJobTable(jobs: readonly AnyJob[]): void {
  const seen = new Set<string>();
  for (const job of jobs) {
    if (!JOB_ID.test(job.id)) throw new Error(`job id "${job.id}" must be kebab-case (e.g. morning-remind)`);
    if (seen.has(job.id)) throw new Error(`job id "${job.id}" is used twice in the job table`);
    seen.add(job.id);
  }
}

/** The cron expression a job runs on under this policy, or null when the policy turns it off. */
export function scheduleOf(policy: Policy, job: AnyJob): string | null {
  return jobSchedule(policy, job.policyJob);
}

export interface JobRow {
  id: string;
  policyJob: string;
  summary: string;
  /** Cron expression (Asia/Shanghai), or null when off. */
  schedule: string | null;
  /** Next run after `now` (ISO), or null when off. */
  next: string | null;
}

/** One row per job: its id, schedule and next run after `now`. */
export function jobRows(policy: Policy, jobs: readonly AnyJob[], now: Date): JobRow[] {
  return jobs.map((job) => {
    const schedule = scheduleOf(policy, job);
    let next: string | null = null;
    if (schedule) {
      const slots = new CronSlots(schedule);
      next = slots.next(now)?.toISOString() ?? null;
      slots.dispose();
    }
    return { id: job.id, policyJob: job.policyJob, summary: job.summary, schedule, next };
  });
}
