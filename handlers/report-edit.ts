import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { withoutTags } from '../src/kit/report-tags.js';
import { raiseProblem } from '../src/problems/service.js';
import { MAX_REPORT_CHARS, parseReport } from '../src/reports/report.js';
import { originalText } from '../src/reports/original-text.js';
import * as P from '../templates/problems.js';
import * as T from '../templates/reports.js';

/**
 * `修改汇报 H1001 新内容`: the author corrects a report within the policy's `reports.editHours`; tags and household count are read again
 * from the new text. A report that newly carries #困难 raises a problem then.
 */
export default defineCommand({
  id: 'report-edit',
  aliases: ['修改汇报', '更正汇报'],
  roles: ['cadre'],
  help: T.help.reportEdit,
  parse(rest, ctx) {
    const m = /^([Hh]\d+)\s+(.+)$/s.exec(rest);
    if (!m) refuse('report_edit_usage', T.editUsage(T.help.reportEdit));
    return { no: m[1]!.toUpperCase(), text: originalText(ctx.update.text, m[2]!) };
  },
  async handle(ctx, { no, text }) {
    const repo = ctx.repos.reports;
    const report = await repo.get(no);
    if (!report) refuse('report_not_found', T.editNotFound(no));
    if (report.userId !== ctx.person.userid) refuse('report_not_yours', T.editNotYours(no), { owner: report.userId });
    const hours = ctx.deps.policy.reports.editHours;
    if (ctx.now.getTime() - new Date(report.createdAt).getTime() > hours * 3_600_000) {
      refuse('report_edit_too_late', T.editTooLate(no, report.createdAt, hours));
    }
    const parsed = parseReport(text);
    if ([...parsed.text].length > MAX_REPORT_CHARS) refuse('report_too_long', T.tooLong(MAX_REPORT_CHARS));
    const updated = { ...report, ...parsed, editedAt: ctx.now.toISOString() };
    repo.save(ctx.tx, updated, { previous: report });

    if (parsed.tags.includes('困难') && !report.tags.includes('困难')) {
      const raised = await raiseProblem(ctx, ctx.person.cadre, withoutTags(parsed.text), no);
      return { text: `${T.edited(no, parsed, raised.routedTo)}\n${P.fromReport(raised.problem.no)}` };
    }
    return { text: T.edited(no, parsed) };
  },
});
