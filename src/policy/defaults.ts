/**
 * The default policy: the county defaults explained in docs/rules.md. `config/policy.yaml` writes the same values out with
 * comments; anything a county leaves out of its file falls back to these.
 */
import type { Policy } from './schema.js';

/** A fresh copy of the defaults every time, so a caller that edits its copy changes nothing else. */
export function defaultPolicyValues(): Policy {
  return {
    monthly: { minimum: 22, rule: 'prorate', closeDay: 5 },
    annual: { minimum: 250, period: 'term' },
    checkin: { geofenceRadiusMetres: 1000, selfReported: 'confirm', backfillHours: 48, maxSpeedKmh: 120 },
    leave: {
      types: {
        事假: { class: 'absent', maxDays: 10, aliases: [] },
        病假: { class: 'excused', maxDays: 30, aliases: [] },
        婚假: { class: 'excused', maxDays: 30, aliases: [] },
        丧假: { class: 'excused', maxDays: 5, aliases: [] },
        产假: { class: 'excused', maxDays: 158, aliases: [] },
        陪产假: { class: 'excused', maxDays: 15, aliases: ['护理假'] },
        公差: { class: 'present', maxDays: 30, aliases: ['因公外出', '出差'] },
        培训: { class: 'present', maxDays: 60, aliases: [] },
        会议: { class: 'present', maxDays: 10, aliases: ['开会'] },
      },
      maxDaysInPast: 7,
      mergeGapDays: 1,
      countDays: 'net-of-days-off',
      halfDays: true,
      overdueEscalateDays: 2,
      approval: [
        { upToDays: 1, steps: ['township'] },
        { upToDays: 3, steps: ['township', 'sending-unit'] },
        { upToDays: null, steps: ['township', 'sending-unit', 'org'] },
      ],
      copy: ['team-leader'],
    },
    warnings: {
      remind: { enabled: true, fromDay: 10, neededShare: 0.8 },
      rectify: { enabled: true, answerDays: 45 },
      warn: { enabled: true, consecutiveMonths: 2, annualPaceUnreachable: true },
    },
    push: { quietHours: { start: '21:00', end: '07:30' }, dailyBudget: 2 },
    reports: { prompt: 'weekly', editHours: 24, photoMinutes: 10, firstMonthDays: 30 },
    announcements: { renudgeHours: 24, renudgeLateHours: 48, maxChars: 500, draftMinutes: 30 },
    conversation: { questionMinutes: 10 },
    calendar: { watchFromMonth: 11 },
    retention: { exactLocationDays: 30, auditYears: 3 },
    backup: { keep: 7 },
    alerts: { redisMemoryPercent: 80, repeatMinutes: 60 },
    roster: { strictGroups: false },
    visits: { halfYear: 'term', remindDaysBefore: 30, photoMinutes: 10 },
    messages: { maxTextBytes: 16_384 },
    problems: { routeTo: ['teamLeader', 'township'], overdueDays: 30 },
    points: {
      items: {
        presenceBeyondTarget: { enabled: true, points: 1, cap: 20 },
        sixOnes: { enabled: true, points: 2, cap: 12 },
        problemClosed: { enabled: true, points: 3, cap: 15 },
        visitReceived: { enabled: true, points: 1, cap: 6 },
        remindNotice: { enabled: true, points: -1, cap: null },
        rectifyNotice: { enabled: true, points: -3, cap: null },
        warnNotice: { enabled: true, points: -5, cap: null },
        leaveOverdue: { enabled: true, points: -2, cap: null },
        // App activity is never scored by default (docs/rules.md, 积分: 指尖上的形式主义).
        reports: { enabled: false, points: 0.5, cap: 10 },
        checkins: { enabled: false, points: 0.5, cap: 10 },
      },
    },
    jobs: {
      morningRemind: '30 9 * * *',
      dailyDigest: '0 18 * * *',
      weeklyDigest: '30 8 * * 1',
      teamDigest: '0 8 * * 1',
      warningLadder: '0 10 * * *',
      leaveOverdue: '30 8 * * *',
      reportPrompt: '0 16 * * 5',
      checkinSync: '*/10 * * * *',
      holidayWatch: '0 9 * * 1',
      announceRenudge: '*/10 * * * *',
      retention: '30 3 * * *',
      selfReportConfirm: '0 19 * * *',
      backup: '0 2 * * *',
      monthClose: '0 7 * * *',
      opsWatch: '*/5 * * * *',
      visitDue: '0 9 * * *',
    },
    catchUpUntil: {
      morningRemind: '12:00',
      dailyDigest: '21:00',
      weeklyDigest: '20:00',
      teamDigest: '20:00',
      warningLadder: '20:00',
      leaveOverdue: '12:00',
      reportPrompt: '20:00',
      holidayWatch: '20:00',
      selfReportConfirm: '21:00',
      monthClose: '23:00',
      backup: '06:00',
      visitDue: '20:00',
    },
  };
}
