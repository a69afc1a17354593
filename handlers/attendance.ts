import { parseAttendanceQuery, type AttendanceQuery } from '../src/attendance/query.js';
import { monthFiguresFor } from '../src/close/read.js';
import { defineCommand, type Context } from '../src/core/command.js';
import { localDate } from '../src/kit/dates.js';
import { refuse } from '../src/core/errors.js';
import { SUPERVISOR_ROLES } from '../src/kit/roles.js';
import type { Cadre } from '../src/roster/schema.js';
import * as T from '../templates/attendance.js';

/**
 * Which cadre a query is about. Without a name: the person themselves (a supervisor who is no cadre must
 * name someone). With a name: a cadre the person may see (`Roster.findVisibleCadre`: their own figures, and
 * those within each supervising scope). The refusal never says whether a name outside the scope exists.
 */
function resolveCadre(ctx: Context, who: string | undefined): Cadre {
  const { person, roster } = ctx;
  if (!who) return person.cadre ?? refuse('attendance_name_needed', T.nameNeeded);
  const matches = roster.findVisibleCadre(person, who);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    refuse(
      'attendance_ambiguous',
      T.ambiguous(
        who,
        matches.map((c) => ({ userid: c.userid, village: roster.villageOf(c).name })),
      ),
      { who },
    );
  }
  const supervises = person.roles.some((r) => SUPERVISOR_ROLES.includes(r));
  return refuse('attendance_out_of_scope', supervises ? T.notInScope(who) : T.onlyOwn, { who });
}

/**
 * `我的考勤` / `考勤` [姓名或userid] [月份]: one spec for both, decided by the argument. No name (or one's own)
 * shows one's own month and year; a name shows that cadre's, to a supervisor within scope. Figures of a
 * person go only to that person and their supervisors, as the burden and privacy rules ask.
 */
export default defineCommand<AttendanceQuery>({
  id: 'attendance',
  aliases: ['我的考勤', '考勤'],
  roles: 'any',
  help: T.attendanceHelp,
  privateOnly: true,
  parse(rest, ctx) {
    const q = parseAttendanceQuery(rest, localDate(ctx.now));
    if (q === 'bad-month') refuse('attendance_bad_month', T.badMonth);
    if (q === 'too-many-words') refuse('attendance_usage', T.tooManyWords);
    return q;
  },
  async handle(ctx, query) {
    const cadre = resolveCadre(ctx, query.who);
    // A closed month shows the figures it was closed with; an open one its policy version's.
    const read = await monthFiguresFor(ctx.deps, [cadre], { now: ctx.now, months: [query.month], onlyListed: true });
    const figures = read.figures.get(cadre.userid)!;
    const text = T.attendanceReport({
      self: cadre.userid === ctx.person.userid,
      name: cadre.name,
      village: ctx.roster.villageOf(cadre).name,
      sendingUnit: cadre.sendingUnit,
      month: figures.month,
      year: figures.year,
      neededShare: ctx.deps.policy.warnings.remind.neededShare,
    });
    return { text };
  },
});
