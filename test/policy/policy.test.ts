import { mkdtemp, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  defaultPolicy,
  jobSchedule,
  loadPolicy,
  parsePolicy,
  PolicyError,
  readPolicy,
} from '../../src/policy/policy.js';

const POLICY_FILE = fileURLToPath(new URL('../../config/policy.yaml', import.meta.url));

async function tempPolicy(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zhucun-policy-'));
  const path = join(dir, 'policy.yaml');
  await writeFile(path, text);
  return path;
}

function errorOf(text: string): string {
  try {
    parsePolicy(text);
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return (err as Error).message;
  }
  throw new Error('expected the policy to be refused');
}

describe('policy defaults', () => {
  it('has the default numbers of docs/rules.md', () => {
    const p = defaultPolicy();
    expect(p.monthly).toEqual({ minimum: 22, rule: 'prorate', closeDay: 5 });
    expect(p.annual).toEqual({ minimum: 250, period: 'term' });
    expect(p.checkin).toEqual({
      geofenceRadiusMetres: 1000,
      selfReported: 'confirm',
      backfillHours: 48,
      maxSpeedKmh: 120,
    });
    expect(p.leave.maxDaysInPast).toBe(7);
    expect(p.push).toEqual({ quietHours: { start: '21:00', end: '07:30' }, dailyBudget: 2 });
    expect(p.reports.prompt).toBe('weekly');
    expect(p.announcements.renudgeHours).toBe(24);
    expect(p.calendar).toEqual({ watchFromMonth: 11 });
    expect(p.warnings.remind).toEqual({ enabled: true, fromDay: 10, neededShare: 0.8 });
    expect(p.warnings.warn.consecutiveMonths).toBe(2);
    expect(p.problems).toEqual({ routeTo: ['teamLeader', 'township'], overdueDays: 30 });
    const maxDays = Object.fromEntries(Object.entries(p.leave.types).map(([n, t]) => [n, t.maxDays]));
    expect(maxDays).toEqual({
      事假: 10,
      病假: 30,
      婚假: 30,
      丧假: 5,
      产假: 158,
      陪产假: 15,
      公差: 30,
      培训: 60,
      会议: 10,
    });
  });

  it('config/policy.yaml writes out exactly the defaults', () => {
    expect(loadPolicy(POLICY_FILE)).toEqual(defaultPolicy());
  });

  it('an empty file gives the defaults', () => {
    expect(parsePolicy('')).toEqual(defaultPolicy());
    expect(parsePolicy('# nothing\nmonthly:\n')).toEqual(defaultPolicy());
  });

  it('every copy is fresh', () => {
    const a = defaultPolicy();
    a.monthly.minimum = 1;
    expect(defaultPolicy().monthly.minimum).toBe(22);
  });
});

describe('partial policy files', () => {
  it('fills what is missing from the defaults', () => {
    const p = parsePolicy('monthly:\n  rule: subtract\npush:\n  dailyBudget: 1\n');
    expect(p.monthly).toEqual({ minimum: 22, rule: 'subtract', closeDay: 5 });
    expect(p.push.dailyBudget).toBe(1);
    expect(p.push.quietHours.start).toBe('21:00');
  });

  it('merges leave types one by one and lets a county add one', () => {
    const p = parsePolicy(
      'leave:\n  types:\n    事假:\n      maxDays: 5\n    年休假:\n      maxDays: 15\n      aliases: [年假]\n',
    );
    expect(p.leave.types['事假']).toEqual({ class: 'absent', maxDays: 5, aliases: [] });
    expect(p.leave.types['年休假']).toEqual({ class: 'absent', maxDays: 15, aliases: ['年假'] });
    expect(p.leave.types['病假']!.maxDays).toBe(30);
  });

  it('loads a file from disk', async () => {
    const path = await tempPolicy('annual:\n  period: calendar\n');
    expect(loadPolicy(path).annual.period).toBe('calendar');
  });
});

describe('invalid policy files name the wrong key', () => {
  it('a problem route that is none, or no route at all', () => {
    expect(errorOf('problems:\n  routeTo: [teamLeader, mayor]\n')).toBe(
      'policy.yaml: problems.routeTo[1]: must be one of teamLeader, township, countyLeader, townshipHead, orgDepartment, sendingUnit',
    );
    expect(errorOf('problems:\n  routeTo: []\n')).toBe(
      'policy.yaml: problems.routeTo: must name at least one recipient',
    );
    expect(errorOf('problems:\n  overdueDays: 0\n')).toBe(
      'policy.yaml: problems.overdueDays: must be a positive whole number',
    );
  });

  it('a monthly minimum that is not a positive whole number', () => {
    expect(errorOf('monthly:\n  minimum: -3\n')).toBe('policy.yaml: monthly.minimum: must be a positive whole number');
    expect(errorOf('monthly:\n  minimum: 21.5\n')).toBe(
      'policy.yaml: monthly.minimum: must be a positive whole number',
    );
    expect(errorOf('monthly:\n  minimum: "22"\n')).toBe(
      'policy.yaml: monthly.minimum: must be a positive whole number',
    );
  });

  it('names the file it was loaded from', async () => {
    const path = await tempPolicy('monthly:\n  minimum: 0\n');
    expect(() => loadPolicy(path)).toThrow('policy.yaml: monthly.minimum: must be a positive whole number');
  });

  it('an unknown rule, period or prompt', () => {
    expect(errorOf('monthly:\n  rule: average\n')).toBe(
      'policy.yaml: monthly.rule: must be prorate, subtract or fixed',
    );
    expect(errorOf('annual:\n  period: fiscal\n')).toBe('policy.yaml: annual.period: must be term or calendar');
    expect(errorOf('reports:\n  prompt: hourly\n')).toBe('policy.yaml: reports.prompt: must be weekly, daily or off');
  });

  it('a misspelt key', () => {
    expect(errorOf('monthy:\n  minimum: 20\n')).toBe('policy.yaml: monthy: unknown setting (check the spelling)');
    expect(errorOf('push:\n  quietHour: {}\n')).toBe(
      'policy.yaml: push.quietHour: unknown setting (check the spelling)',
    );
  });

  it('a bad time, cron or share', () => {
    expect(errorOf('push:\n  quietHours:\n    start: "25:00"\n')).toMatch(
      /^policy\.yaml: push\.quietHours\.start: must be a time of day/,
    );
    expect(errorOf('jobs:\n  dailyDigest: "every evening"\n')).toMatch(
      /^policy\.yaml: jobs\.dailyDigest: must be a cron expression/,
    );
    expect(errorOf('warnings:\n  remind:\n    neededShare: 1.5\n')).toBe(
      'policy.yaml: warnings.remind.neededShare: must be at most 1',
    );
    expect(errorOf('calendar:\n  watchFromMonth: 13\n')).toBe(
      'policy.yaml: calendar.watchFromMonth: must be at most 12',
    );
    expect(errorOf('calendar:\n  watchFromMonth: 0\n')).toBe(
      'policy.yaml: calendar.watchFromMonth: must be a positive whole number',
    );
  });

  it('a leave type with a bad class or without a length', () => {
    expect(errorOf('leave:\n  types:\n    病假:\n      class: holiday\n')).toBe(
      'policy.yaml: leave.types.病假.class: must be one of present, excused, absent',
    );
    expect(errorOf('leave:\n  types:\n    探亲假:\n      class: excused\n')).toBe(
      'policy.yaml: leave.types.探亲假.maxDays: must be a positive whole number',
    );
  });

  it('an alias used by two types', () => {
    expect(errorOf('leave:\n  types:\n    培训:\n      aliases: [因公外出]\n')).toBe(
      'policy.yaml: leave.types.培训.aliases[0]: "因公外出" is already used by 公差',
    );
  });

  it('an approval chain that does not cover every length', () => {
    const open = 'leave:\n  approval:\n    - upToDays: 1\n      steps: [township]\n';
    expect(errorOf(open)).toBe(
      'policy.yaml: leave.approval[0].upToDays: the last step must have upToDays: null (every longer leave)',
    );
    const unordered =
      'leave:\n  approval:\n    - upToDays: 3\n      steps: [township]\n    - upToDays: 2\n      steps: [org]\n    - upToDays: null\n      steps: [org]\n';
    expect(errorOf(unordered)).toBe("policy.yaml: leave.approval[1].upToDays: must be larger than the previous step's");
    expect(errorOf('leave:\n  copy: [mayor]\n')).toMatch(
      /^policy\.yaml: leave\.copy\[0\]: must be one of cadre, team-leader/,
    );
  });

  it('several wrong keys give one line each', () => {
    const message = errorOf('monthly:\n  minimum: 0\nannual:\n  minimum: abc\n');
    expect(message.split('\n')).toEqual([
      'policy.yaml: monthly.minimum: must be a positive whole number',
      'policy.yaml: annual.minimum: must be a positive whole number',
    ]);
  });

  it('a file that is not YAML or not a map', () => {
    expect(errorOf('monthly: [1, 2\n')).toMatch(/^policy\.yaml: not valid YAML/);
    expect(errorOf('- 22\n')).toBe('policy.yaml: must be a map of settings (key: value)');
  });

  it('a missing file', () => {
    expect(() => loadPolicy('/nonexistent/policy.yaml')).toThrow(/policy\.yaml: file not found \(ZHUCUN_POLICY/);
  });
});

describe('job schedules', () => {
  it('gives the configured times', () => {
    const p = defaultPolicy();
    expect(jobSchedule(p, 'morningRemind')).toBe('30 9 * * *');
    // Every Monday of the year: the job itself decides which year to ask for (calendar.watchFromMonth).
    expect(jobSchedule(p, 'holidayWatch')).toBe('0 9 * * 1');
    expect(jobSchedule(p, 'reportPrompt')).toBe('0 16 * * 5');
  });

  it('follows the report prompt frequency', () => {
    expect(jobSchedule(parsePolicy('reports:\n  prompt: daily\n'), 'reportPrompt')).toBe('0 16 * * *');
    expect(jobSchedule(parsePolicy('reports:\n  prompt: "off"\n'), 'reportPrompt')).toBeNull();
  });
});

describe('keys of an earlier version', () => {
  it('reads checkin.selfReportedCounts as selfReported, with a warning naming the new key', () => {
    const yes = readPolicy('checkin:\n  selfReportedCounts: true\n');
    expect(yes.policy.checkin.selfReported).toBe('count');
    expect(yes.warnings).toEqual([expect.stringContaining('checkin.selfReported (confirm, count or refuse)')]);
    expect(readPolicy('checkin:\n  selfReportedCounts: false\n').policy.checkin.selfReported).toBe('refuse');
  });

  it('lets the new key win when both are written', () => {
    const both = readPolicy('checkin:\n  selfReported: confirm\n  selfReportedCounts: false\n');
    expect(both.policy.checkin.selfReported).toBe('confirm');
    expect(both.warnings).toHaveLength(1);
  });

  it('warns about nothing in a current file', () => {
    expect(readPolicy(readFileSync(POLICY_FILE, 'utf8')).warnings).toEqual([]);
  });

  it('refuses a self-reported choice it does not know', () => {
    expect(() => parsePolicy('checkin:\n  selfReported: maybe\n')).toThrow(/checkin\.selfReported: must be one of/);
  });
});
