import { defineCommand, type Context } from '../src/core/command.js';
import { localDate } from '../src/kit/dates.js';
import { refuse } from '../src/core/errors.js';
import type { Reply } from '../src/core/reply.js';
import { looksLikeTaggedReport, MAX_REPORT_CHARS, parseReport } from '../src/reports/report.js';
import { originalText } from '../src/reports/original-text.js';
import { withoutTags } from '../src/kit/report-tags.js';
import { raiseProblem } from '../src/problems/service.js';
import { sixOnesOf, type SixOnesProgress } from '../src/reports/six-ones.js';
import { reportTarget, type ReportTarget } from '../src/reports/target.js';
import type { Cadre } from '../src/roster/schema.js';
import { isVisitor } from '../src/visits/visitors.js';
import { help as helpText } from '../templates/help.js';
import * as P from '../templates/problems.js';
import * as T from '../templates/reports.js';
import { reportForVisitor } from '../templates/visits.js';

/** Reports shown when a supervisor reads without a date. */
const READ_LIMIT = 10;

/**
 * `汇报 内容` files a work report (tags, household count, #困难 raised as a problem of the village); `汇报 姓名 [日期]` lets a
 * supervisor read a cadre's reports within their scope. A sentence starting with a tag (`走访：…`, `#党课 …`)
 * is taken as a report without the word 汇报.
 */
export default defineCommand({
  id: 'report',
  aliases: ['汇报', '工作汇报', '工作日志'],
  // Supervisors read with the same word; writing is checked for a cadre below.
  roles: 'any',
  help: T.help.report,
  // Supervisors read reports only: their 帮助 shows no "提交工作汇报".
  supervisorHelp: helpText.reportRead,
  recognise: (text) => (looksLikeTaggedReport(text) ? text : undefined),
  async handle(ctx, rest) {
    const target = reportTarget(ctx.roster, ctx.person, rest, ctx.now);
    // A visiting leader writing about a visit (`汇报 今天到北堡村调研指导…`) is pointed to `到村`.
    if (visitReport(ctx, target, rest))
      return { text: reportForVisitor(ctx.roster.visibleCadres(ctx.person).length > 0) };
    switch (target.kind) {
      case 'write':
        return fileReport(ctx, originalText(ctx.update.text, rest), target.cadre);
      case 'read':
        return read(ctx, target.cadre, target.date);
      case 'need-name':
        return refuse('report_need_name', T.supervisorNeedsName);
      case 'not-found':
        return refuse('report_cadre_not_found', T.notFound(target.name));
      case 'not-visible':
        return refuse('report_not_in_scope', T.notVisible(target.name), { name: target.name });
      case 'ambiguous':
        return refuse(
          'report_ambiguous',
          T.ambiguous(
            target.name,
            target.candidates.map((c) => ctx.roster.villageOf(c).name),
          ),
        );
      case 'bad-date':
        return refuse('report_bad_date', T.badDate(target.word));
    }
  },
});

/** Words of a sentence about a visit, which a cadre's name does not hold. */
const ABOUT_A_VISIT = /村|调研|走访|指导|座谈|今天|昨天|上午|下午/;

/**
 * Whether a leader who is no cadre but visits villages wrote about a visit rather than a cadre's name: no cadre
 * has the first word as name, and it is longer than a name or speaks of a visit (村, 调研, 今天…), or what
 * follows it is no date.
 */
function visitReport(ctx: Context, target: ReportTarget, rest: string): boolean {
  if (ctx.person.cadre || !isVisitor(ctx.roster, ctx.person)) return false;
  const first = rest.split(' ').find(Boolean) ?? '';
  const aName = ctx.roster.data.cadres.some((c) => c.name === first || c.userid === first);
  const sentence = [...first].length > 6 || ABOUT_A_VISIT.test(first);
  return (target.kind === 'not-found' && sentence) || (target.kind === 'bad-date' && !aName && sentence);
}

/**
 * File `raw` (the report as the cadre wrote it) as a work report of `cadre`: numbered, tags read, #困难
 * raised as a problem (P1001) and sent on, the 六个一 progress shown during the first month. Also what a confirmed plain report goes through.
 */
export async function fileReport(ctx: Context, raw: string, cadre: Cadre): Promise<Reply> {
  const parsed = parseReport(raw);
  if (!parsed.text) refuse('report_empty', T.emptyReport(T.help.report));
  if ([...parsed.text].length > MAX_REPORT_CHARS) refuse('report_too_long', T.tooLong(MAX_REPORT_CHARS));
  const repo = ctx.repos.reports;
  const no = await repo.nextNo(ctx.tx);
  const report = { no, userId: cadre.userid, ...parsed, createdAt: ctx.now.toISOString() };
  repo.save(ctx.tx, report);

  // #困难 raises a problem of the village (民情台账), sent at once as the policy routes it.
  let forwardedTo: string[] | undefined;
  let problemNo: string | undefined;
  if (parsed.tags.includes('困难')) {
    const raised = await raiseProblem(ctx, cadre, withoutTags(parsed.text), no);
    forwardedTo = raised.routedTo;
    problemNo = raised.problem.no;
  }

  let sixOnes: SixOnesProgress | undefined;
  if (parsed.tags.some((t) => t !== '困难')) {
    const progress = sixOnesOf(
      ctx.roster,
      cadre,
      [...(await repo.ofUser(cadre.userid)), { ...report, images: [] }],
      ctx.now,
      ctx.deps.policy.reports.firstMonthDays,
    );
    if (progress.phase === 'during') sixOnes = progress;
  }
  const { editHours, photoMinutes } = ctx.deps.policy.reports;
  const saved = T.saved({ no, report: parsed, forwardedTo, sixOnes, windows: { editHours, photoMinutes } });
  return { text: problemNo ? `${saved}\n${P.fromReport(problemNo)}` : saved };
}

async function read(ctx: Context, cadre: Cadre, date?: string): Promise<Reply> {
  // Names and figures of individuals go only to their supervisors, never into a group chat.
  if (ctx.update.chatType === 'group' && cadre.userid !== ctx.person.userid)
    refuse('report_read_in_group', T.readInGroup);
  const all = await ctx.repos.reports.ofUser(cadre.userid);
  const matching = date ? all.filter((r) => localDate(new Date(r.createdAt)) === date) : all;
  const place = `${ctx.roster.townshipOf(cadre).name}${ctx.roster.villageOf(cadre).name}`;
  const reports = matching.slice(0, READ_LIMIT);
  return { text: T.readReports({ name: cadre.name, place, reports, total: matching.length, date }) };
}
