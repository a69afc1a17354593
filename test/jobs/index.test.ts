import { describe, expect, it } from 'vitest';
import { JOBS, findJob } from '../../src/jobs/index.js';
import { checkJobTable, JOB_IDS } from '../../src/schedule/registry.js';
import type { AnyJob } from '../../src/schedule/job.js';
import { CATCH_UP_JOBS, defaultPolicy, type CatchUpJob } from '../../src/policy/policy.js';

describe('the job table', () => {
  it('names each job by the kebab-case id of its policy schedule', () => {
    expect(JOBS.map((j) => j.id)).toEqual([
      'morning-remind',
      'leave-overdue',
      'daily-digest',
      'weekly-digest',
      'team-digest',
      'warning-ladder',
      'report-prompt',
      'announce-renudge',
      'checkin-sync',
      'holiday-watch',
      'retention',
      'selfreport-confirm',
      'month-close',
      'ops-watch',
      'backup',
      'visit-due',
      'notice-triggers',
      'unit-summary',
      'monthly-sheet',
    ]);
    for (const job of JOBS) expect(job.id).toBe(JOB_IDS[job.policyJob]);
    expect(() => checkJobTable(JOBS)).not.toThrow();
    expect(findJob('leave-overdue')?.policyJob).toBe('leaveOverdue');
  });

  it('gives every job a catch-up window that starts at its slot', () => {
    const slot = new Date('2026-11-18T09:30:00+08:00');
    for (const job of JOBS) {
      const until = job.catchUpUntil(slot, defaultPolicy());
      if (until) expect(until.getTime()).toBeGreaterThan(slot.getTime());
    }
  });

  it('takes each cut-off the policy names from the policy (catchUpUntil.<job>)', () => {
    const slot = new Date('2026-11-18T08:00:00+08:00');
    const policy = defaultPolicy();
    for (const name of CATCH_UP_JOBS) policy.catchUpUntil[name] = '11:11';
    const named = JOBS.filter((j) => (CATCH_UP_JOBS as readonly string[]).includes(j.policyJob));
    expect(named.map((j) => j.policyJob as CatchUpJob).sort()).toEqual([...CATCH_UP_JOBS].sort());
    for (const job of named) expect(job.catchUpUntil(slot, policy)).toEqual(new Date('2026-11-18T11:11:00+08:00'));
  });

  it('refuses a repeated or malformed id', () => {
    const a = JOBS[0]!;
    expect(() => checkJobTable([a, { ...a } as AnyJob])).toThrow(/used twice/);
    expect(() => checkJobTable([{ ...a, id: 'Morning:Remind' } as AnyJob])).toThrow(/kebab-case/);
  });
});
