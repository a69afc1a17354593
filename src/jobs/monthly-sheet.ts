/**
 * `monthly-sheet`: on the 1st, last month's 考勤表 (.xlsx) and 通报 draft (.docx) go to each member of the
 * organisation department as WeCom file messages through the outbox. The files are made when the job runs; the
 * queued messages carry their bytes and the outbox uploads them when it sends (a media id lasts three days).
 * One message per file, month and person, however often the job runs.
 */
import { previousMonth } from '../attendance/month-figures.js';
import type { Outbound } from '../core/outbound.js';
import { localMonth } from '../kit/dates.js';
import type { Job } from '../schedule/job.js';
import { policyCutOff } from '../schedule/windows.js';
import { exportBulletin } from '../sheet/bulletin.js';
import { exportSheet } from '../sheet/build.js';
import { draftFileName, sheetFileName } from '../../templates/bulletin.js';

export interface MonthlySheetState {
  month: string;
  /** The organisation department's members. */
  org: string[];
  files: { kind: 'sheet' | 'draft'; filename: string; contentBase64: string }[];
}

/** The messages of a run: each file to each member. Pure. */
export function monthlySheetMessages(s: MonthlySheetState): Outbound[] {
  return s.org.flatMap((userid) =>
    s.files.map((f): Outbound => ({
      key: `monthly-sheet:${s.month}:${f.kind}:${userid}`,
      purpose: 'report',
      to: { kind: 'user', userIds: [userid] },
      body: { type: 'file', filename: f.filename, contentBase64: f.contentBase64 },
    })),
  );
}

export const monthlySheet: Job<MonthlySheetState> = {
  id: 'monthly-sheet',
  policyJob: 'monthlySheet',
  summary: "send last month's attendance sheet and 通报 draft to the organisation department as files",
  catchUpUntil: policyCutOff('monthlySheet'),

  async load(ctx, now) {
    const month = previousMonth(localMonth(now));
    const roster = await ctx.roster.get();
    const org = roster.orgDepartment().map((s) => s.userid);
    if (!org.length) return { month, org, files: [] };
    const src = { redis: ctx.redis, keys: ctx.keys, policy: ctx.policy, calendar: ctx.calendar };
    const [sheet, draft] = await Promise.all([
      exportSheet(src, roster, month, now),
      exportBulletin(src, roster, month, now),
    ]);
    const county = roster.data.county;
    return {
      month,
      org,
      files: [
        { kind: 'sheet', filename: sheetFileName(county, month), contentBase64: sheet.bytes.toString('base64') },
        { kind: 'draft', filename: draftFileName(county, month), contentBase64: draft.bytes.toString('base64') },
      ],
    };
  },

  plan: (_now, s) => monthlySheetMessages(s),
};
