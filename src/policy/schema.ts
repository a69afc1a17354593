/**
 * The shape of the policy file and what each value may be. Every object is strict so that a misspelt key
 * (`monthy:`) is reported instead of silently leaving the default in force. Messages say what a value must
 * be; `policy.ts` prefixes them with the file and the key.
 */
import { validate as validCron } from 'node-cron';
import { z } from 'zod';
import { ALL_ROLES, type Role } from '../kit/roles.js';

/** A whole number from `min` to `max`, with messages a county administrator can act on. */
function whole(min: number, max: number) {
  const low = min === 1 ? 'must be a positive whole number' : `must be a whole number of at least ${min}`;
  return z
    .number({ error: low })
    .int({ error: low })
    .min(min, { error: low })
    .max(max, { error: `must be at most ${max}` });
}

const timeOfDay = z
  .string({ error: 'must be a time of day written HH:MM, e.g. "21:00"' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time of day written HH:MM, e.g. "21:00"' });

const cron = z.string({ error: 'must be a cron expression in quotes, e.g. "30 9 * * *"' }).refine((v) => validCron(v), {
  error: 'must be a cron expression (minute hour day month weekday), e.g. "30 9 * * *"',
});

const role = z.enum(ALL_ROLES as [Role, ...Role[]], { error: `must be one of ${ALL_ROLES.join(', ')}` });

/** What a self-reported (map-picked) location does: wait for confirmation, count at once, or never count. */
export const SELF_REPORTED = ['confirm', 'count', 'refuse'] as const;
export type SelfReported = (typeof SELF_REPORTED)[number];

/** Who a new problem (民情台账) can be sent to at once: the 领队, the township supervisors, or one of the four contacts. */
export const PROBLEM_ROUTES = [
  'teamLeader',
  'township',
  'countyLeader',
  'townshipHead',
  'orgDepartment',
  'sendingUnit',
] as const;
export type ProblemRoute = (typeof PROBLEM_ROUTES)[number];

/** How leave days are counted for the approval thresholds and the per-type maximum. */
export const LEAVE_DAY_COUNTS = ['calendar', 'net-of-days-off', 'working-days'] as const;
export type LeaveDayCount = (typeof LEAVE_DAY_COUNTS)[number];

/** Leave classes: counts as presence, lowers the target like a holiday, or neither. */
export const LEAVE_CLASSES = ['present', 'excused', 'absent'] as const;
export type LeaveClass = (typeof LEAVE_CLASSES)[number];

const leaveTypeSchema = z.strictObject({
  // A type a county adds without a class is 事假-like: it neither counts as presence nor lowers the target.
  class: z.enum(LEAVE_CLASSES, { error: `must be one of ${LEAVE_CLASSES.join(', ')}` }).default('absent'),
  maxDays: whole(1, 366),
  aliases: z
    .array(z.string().trim().min(1, { error: 'must not be empty' }), { error: 'must be a list of names' })
    .default([]),
});

const approvalStepSchema = z.strictObject({
  upToDays: whole(1, 366).nullable(),
  steps: z.array(role, { error: 'must be a list of roles' }).min(1, { error: 'must name at least one approver' }),
});

const leaveSchema = z
  .strictObject({
    types: z.record(z.string().trim().min(1), leaveTypeSchema, { error: 'must be a map of leave type names' }),
    maxDaysInPast: whole(0, 366),
    // Requests of one person this many days apart or less (weekends and days off are no gap) are judged together.
    mergeGapDays: whole(0, 30),
    countDays: z.enum(LEAVE_DAY_COUNTS, { error: `must be one of ${LEAVE_DAY_COUNTS.join(', ')}` }),
    // 上午/下午 as a leave unit: half a day counts 0.5.
    halfDays: z.boolean({ error: 'must be true or false' }),
    // An approved leave ended this many days ago without 销假 is escalated to the approvers.
    overdueEscalateDays: whole(1, 30),
    approval: z
      .array(approvalStepSchema, { error: 'must be a list of steps' })
      .min(1, { error: 'must have at least one step' }),
    copy: z.array(role, { error: 'must be a list of roles' }),
  })
  .superRefine((leave, ctx) => {
    // A name or alias that points at two types would make "请假 X" ambiguous.
    const owner = new Map<string, string>();
    for (const [name, type] of Object.entries(leave.types)) {
      for (const [i, word] of [name, ...type.aliases].entries()) {
        const other = owner.get(word);
        if (other !== undefined && other !== name) {
          const path = i === 0 ? ['types', name] : ['types', name, 'aliases', i - 1];
          ctx.addIssue({ code: 'custom', path, message: `"${word}" is already used by ${other}` });
        }
        owner.set(word, name);
      }
    }
    // Steps are looked up by length, so the limits must rise and the last step must take every longer leave.
    leave.approval.forEach((step, i) => {
      const last = i === leave.approval.length - 1;
      const prev = i > 0 ? leave.approval[i - 1]!.upToDays : 0;
      if (last && step.upToDays !== null) {
        ctx.addIssue({
          code: 'custom',
          path: ['approval', i, 'upToDays'],
          message: 'the last step must have upToDays: null (every longer leave)',
        });
      } else if (!last && step.upToDays === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['approval', i, 'upToDays'],
          message: 'only the last step may have no limit',
        });
      } else if (step.upToDays !== null && prev !== null && step.upToDays <= prev) {
        ctx.addIssue({
          code: 'custom',
          path: ['approval', i, 'upToDays'],
          message: "must be larger than the previous step's",
        });
      }
    });
  });

/** The items of the 积分 scheme (docs/rules.md, 积分), in the order the tables show them. */
export const POINTS_ITEMS = [
  'presenceBeyondTarget',
  'sixOnes',
  'problemClosed',
  'visitReceived',
  'remindNotice',
  'rectifyNotice',
  'warnNotice',
  'leaveOverdue',
  'reports',
  'checkins',
] as const;
export type PointsItem = (typeof POINTS_ITEMS)[number];
/** Items that take points away: their points per event must be negative. */
export const NEGATIVE_POINTS_ITEMS: readonly PointsItem[] = [
  'remindNotice',
  'rectifyNotice',
  'warnNotice',
  'leaveOverdue',
];

const pointsItemSchema = z.strictObject({
  enabled: z.boolean({ error: 'must be true or false' }),
  // Points of one event, in halves (0.5, 1, 2, -3, …).
  points: z
    .number({ error: 'must be a number such as 1, 0.5 or -3' })
    .min(-100, { error: 'must be at least -100' })
    .max(100, { error: 'must be at most 100' })
    .refine((v) => v !== 0 && Number.isInteger(v * 2), { error: 'must be a non-zero multiple of 0.5' }),
  // The most the item may add (or take away) in one half year; null: no cap.
  cap: z
    .number({ error: 'must be a positive number or null' })
    .positive({ error: 'must be positive' })
    .max(10_000)
    .nullable(),
});

const pointsSchema = z
  .strictObject({
    items: z.strictObject(
      Object.fromEntries(POINTS_ITEMS.map((n) => [n, pointsItemSchema])) as Record<PointsItem, typeof pointsItemSchema>,
    ),
  })
  .superRefine((points, ctx) => {
    for (const name of POINTS_ITEMS) {
      const negative = NEGATIVE_POINTS_ITEMS.includes(name);
      const v = points.items[name].points;
      if (negative ? v > 0 : v < 0)
        ctx.addIssue({
          code: 'custom',
          path: ['items', name, 'points'],
          message: negative ? 'must be negative (it takes points away)' : 'must be positive',
        });
    }
  });

/** A notice trigger: on or off, and the kind of notice it issues (remind 提醒单, rectify 整改单, warn 警示单). */
const noticeTrigger = z.strictObject({
  enabled: z.boolean({ error: 'must be true or false' }),
  kind: z.enum(['remind', 'rectify', 'warn'], { error: 'must be remind, rectify or warn' }),
});

/** The scheduled jobs whose times the policy sets. */
export const JOB_NAMES = [
  'morningRemind',
  'dailyDigest',
  'weeklyDigest',
  'teamDigest',
  'warningLadder',
  'leaveOverdue',
  'reportPrompt',
  'checkinSync',
  'holidayWatch',
  'announceRenudge',
  'retention',
  'selfReportConfirm',
  'backup',
  'monthClose',
  'opsWatch',
  'visitDue',
  'noticeTriggers',
  // A sending unit's monthly summary of its own cadres, sent on the first working day after last month closes.
  'unitSummary',
  'monthlySheet',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** The jobs made up on the same day only, until a time the policy sets. */
export const CATCH_UP_JOBS = [
  'morningRemind',
  'dailyDigest',
  'weeklyDigest',
  'teamDigest',
  'warningLadder',
  'leaveOverdue',
  'reportPrompt',
  'holidayWatch',
  'selfReportConfirm',
  // Closing a month on its day is worth making up until late evening; the next morning's run closes it anyway.
  'monthClose',
  'backup',
  'visitDue',
  'noticeTriggers',
  'unitSummary',
  // Last month's 考勤表 and 通报 draft to the organisation department: a late send the same day is still useful.
  'monthlySheet',
] as const satisfies readonly JobName[];
export type CatchUpJob = (typeof CATCH_UP_JOBS)[number];

export const policySchema = z.strictObject({
  monthly: z.strictObject({
    minimum: whole(1, 31),
    rule: z.enum(['prorate', 'subtract', 'fixed'], { error: 'must be prorate, subtract or fixed' }),
    // The day of the next month on which a month is closed: its figures are then kept as they stand.
    closeDay: whole(1, 28),
  }),
  annual: z.strictObject({
    minimum: whole(1, 366),
    period: z.enum(['term', 'calendar'], { error: 'must be term or calendar' }),
  }),
  checkin: z.strictObject({
    geofenceRadiusMetres: whole(10, 100_000),
    // A point picked on the map: confirm = counts once the team leader or township confirms it; count = counts
    // at once (marked); refuse = never counts. The old boolean selfReportedCounts is read by policy.ts.
    selfReported: z.enum(SELF_REPORTED, { error: `must be one of ${SELF_REPORTED.join(', ')}` }),
    backfillHours: whole(1, 720),
    maxSpeedKmh: whole(1, 2000),
  }),
  leave: leaveSchema,
  warnings: z.strictObject({
    remind: z.strictObject({
      enabled: z.boolean({ error: 'must be true or false' }),
      fromDay: whole(1, 31),
      neededShare: z
        .number({ error: 'must be a number from 0 to 1, e.g. 0.8' })
        .gt(0, { error: 'must be more than 0' })
        .max(1, { error: 'must be at most 1' }),
    }),
    rectify: z.strictObject({
      enabled: z.boolean({ error: 'must be true or false' }),
      // Days after a rectification notice during which the cadre's 整改说明 is taken.
      answerDays: whole(1, 366),
    }),
    warn: z.strictObject({
      enabled: z.boolean({ error: 'must be true or false' }),
      consecutiveMonths: whole(1, 12),
      annualPaceUnreachable: z.boolean({ error: 'must be true or false' }),
    }),
  }),
  push: z.strictObject({
    quietHours: z.strictObject({ start: timeOfDay, end: timeOfDay }),
    dailyBudget: whole(0, 50),
  }),
  reports: z.strictObject({
    prompt: z.enum(['weekly', 'daily', 'off'], { error: 'must be weekly, daily or off' }),
    editHours: whole(1, 720),
    photoMinutes: whole(1, 1440),
    // 六个一: the first days of a term in which the six firsts are due.
    firstMonthDays: whole(1, 366),
  }),
  announcements: z.strictObject({
    renudgeHours: whole(1, 720),
    // A re-nudge that could not go out within this many hours of its time is dropped.
    renudgeLateHours: whole(1, 720),
    maxChars: whole(10, 2000),
    // How long a previewed announcement waits for 确认发送 before it is dropped.
    draftMinutes: whole(1, 1440),
  }),
  conversation: z.strictObject({
    // How long a question the bot asked (请问请什么假？) waits for its answer.
    questionMinutes: whole(1, 1440),
  }),
  calendar: z.strictObject({
    // The month from which next year's State Council holiday notice is awaited (the holiday watch asks for it).
    watchFromMonth: whole(1, 12),
  }),
  retention: z.strictObject({
    // Days a check-in keeps its exact position (coordinates, accuracy, address); then only inside/outside and
    // the distance remain (PIPL: no more personal detail than the purpose needs, for no longer than needed).
    exactLocationDays: whole(1, 3650),
    // Years the audit trail (who decided what) is kept; it holds no location.
    auditYears: whole(1, 30),
  }),
  backup: z.strictObject({
    // Snapshots kept in the backup folder; none is kept longer than retention.exactLocationDays.
    keep: whole(1, 365),
  }),
  alerts: z.strictObject({
    // Share of Redis's maxmemory (percent) above which the operator is alerted.
    redisMemoryPercent: whole(1, 100),
    // The same alert is sent again at most this often; repeats in between are summarised.
    repeatMinutes: whole(1, 10_080),
  }),
  roster: z.strictObject({
    // One 领队 per township and 2–3 villages per work group: warnings of the roster check when false, errors
    // (the file is refused) when true.
    strictGroups: z.boolean({ error: 'must be true or false' }),
  }),
  visits: z.strictObject({
    // 到村调研: the deputy's half years start with the term (term) or on 1 January and 1 July (calendar).
    halfYear: z.enum(['term', 'calendar'], { error: 'must be term or calendar' }),
    // Days before a visiting obligation falls due (end of the half year or term) that the leader is reminded.
    remindDaysBefore: whole(1, 180),
    // How long after a visit is recorded a photo sent in the app chat still attaches to it.
    photoMinutes: whole(1, 1440),
  }),
  messages: z.strictObject({
    // Above this a message is refused unread (UTF-8 bytes); WeCom's own chat stops at 2048, the robot does not.
    maxTextBytes: whole(1024, 1_048_576),
  }),
  problems: z.strictObject({
    // Who gets a new problem (民情台账, P1001) at once: the township's 领队 (teamLeader), its supervisors
    // (township), and any of the village's four contacts by field; the contacts not named get the weekly list.
    routeTo: z
      .array(z.enum(PROBLEM_ROUTES, { error: `must be one of ${PROBLEM_ROUTES.join(', ')}` }), {
        error: 'must be a list',
      })
      .min(1, { error: 'must name at least one recipient' }),
    // A problem open longer than this many days is overdue: it goes into the township's and the organisation
    // department's digests.
    overdueDays: whole(1, 366),
  }),
  // 积分: what earns or costs points, how many per event and the most per half year (half years as visits.halfYear).
  points: pointsSchema,
  assess: z.strictObject({
    // End-of-term assessment (考评): weights (percent, summing to 100) of the sending unit's, the township's and the
    // organisation department's grades and of the villagers' 评议 in the score that proposes a grade.
    weights: z
      .strictObject({ unit: whole(0, 100), township: whole(0, 100), org: whole(0, 100), review: whole(0, 100) })
      .refine((w) => w.unit + w.township + w.org + w.review === 100, { error: 'the four weights must add up to 100' }),
    // The score (0–100) of each grade given by the unit, the township and the organisation department.
    gradeScores: z.strictObject({
      excellent: whole(0, 100),
      competent: whole(0, 100),
      basic: whole(0, 100),
      incompetent: whole(0, 100),
    }),
    // The score (0–100) of each 评议 answer; the village's 评议 score is the average over its answers.
    reviewScores: z.strictObject({ satisfied: whole(0, 100), basic: whole(0, 100), dissatisfied: whole(0, 100) }),
    // The lowest score proposing 优秀, 称职 and 基本称职; below the last one 不称职 is proposed.
    thresholds: z
      .strictObject({ excellent: whole(0, 100), competent: whole(0, 100), basic: whole(0, 100) })
      .refine((t) => t.excellent >= t.competent && t.competent >= t.basic, {
        error: 'must be excellent ≥ competent ≥ basic',
      }),
    // At most this share (percent) of a round's cadres may be graded 优秀 (rounded down).
    excellentQuotaPercent: whole(0, 100),
    // 公示: working days the results are published, during which a cadre may ask for 复核.
    publicDays: whole(1, 30),
    // Calendar days a printed 评议 code stays valid (it also ends when the round goes to 公示).
    reviewDays: whole(1, 120),
    // Most codes one `评议码` command prints.
    maxCodes: whole(1, 2000),
  }),
  // Numbered notices (提醒单 T…, 整改单 Z…, 警示单 J…): deadlines for the cadre's answer and the triggers that issue
  // them (docs/rules.md, 通知单).
  notices: z.strictObject({
    // Days after a 整改单 (reviewed by the township supervisors) by which the cadre answers.
    rectifyDays: whole(1, 366),
    // Days after a 警示单 (reviewed by the organisation department) by which the cadre answers.
    warnDays: whole(1, 366),
    triggers: z.strictObject({
      // The warning ladder (attendance below target) issues its 提醒 / 整改 / 警示 as numbered notices.
      attendance: z.boolean({ error: 'must be true or false' }),
      // 六个一 not all done by the end of the first month (reports.firstMonthDays); issued only within
      // `withinDays` after that month, so turning the trigger on issues nothing for terms long begun.
      sixOnes: noticeTrigger.extend({ withinDays: whole(1, 366) }),
      // Approved leave ended this many days ago without 销假 (超假).
      leaveOverdue: noticeTrigger.extend({ days: whole(1, 60) }),
      // A problem the cadre raised, open this many days without an answer, hand-on or close.
      problemUnanswered: noticeTrigger.extend({ days: whole(1, 366) }),
      // No work report for this many weeks. Off by default: counting reports scores app activity, which the
      // rules against 指尖上的形式主义 forbid.
      noReport: noticeTrigger.extend({ weeks: whole(1, 52) }),
    }),
  }),
  // The dashboard (web pages and /api): how long a signed-in session lasts without a request.
  dashboard: z.strictObject({
    // Minutes a dashboard session stays signed in without a request; every request starts the count again.
    sessionIdleMinutes: whole(5, 24 * 60),
  }),
  jobs: z.strictObject(Object.fromEntries(JOB_NAMES.map((n) => [n, cron])) as Record<JobName, typeof cron>),
  // The latest time of the same day at which a missed run is still made up (after a restart, say).
  catchUpUntil: z.strictObject(
    Object.fromEntries(CATCH_UP_JOBS.map((n) => [n, timeOfDay])) as Record<CatchUpJob, typeof timeOfDay>,
  ),
});

/** The whole policy, every value filled in and checked. */
export type Policy = z.output<typeof policySchema>;
export type MonthlyRule = Policy['monthly']['rule'];
export type AnnualPeriod = Policy['annual']['period'];
export type ReportPrompt = Policy['reports']['prompt'];
