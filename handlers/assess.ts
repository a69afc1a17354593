import { defineCommand, type Context } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import type { Reply } from '../src/core/reply.js';
import {
  ANSWERS,
  MAX_COMMENT_CHARS,
  MAX_SUMMARY_CHARS,
  excellentOthers,
  emptyTally,
  inPublic,
  isGrade,
  isOrg,
  mayRate,
  mayRunReview,
  ratingLevels,
  roundScope,
  type Entry,
  type Grade,
  type Level,
  type Proposal,
  type Round,
  type Tally,
} from '../src/assess/model.js';
import { byVillageThenName, issueCodes, publicSpan, roundView } from '../src/assess/service.js';
import { localDate } from '../src/kit/dates.js';
import { originalText } from '../src/reports/original-text.js';
import type { Cadre } from '../src/roster/schema.js';
import { findVillage } from '../src/visits/visitors.js';
import * as T from '../templates/assess.js';

/** The link of a village's 评议 page (also in its QR code). */
export function reviewLink(publicUrl: string, villageId: string): string {
  return `${publicUrl}/pingyi/${encodeURIComponent(villageId)}`;
}

const RATE_ACTION = 'assess-rate';

const words = (rest: string) => rest.split(/\s+/).filter(Boolean);
const chars = (s: string) => [...s].length;

/** The current round, refused when there is none; `open` refuses a round past its grading stage. */
async function currentRound(ctx: Context, need: 'open' | 'public' | 'any'): Promise<Round> {
  const round = await ctx.repos.assess.current();
  if (!round) {
    const last = await ctx.repos.assess.latest();
    if (last) return refuse('assess_closed', T.closedReadOnly(last), { round: last.id });
    return refuse('assess_no_round', T.noRound);
  }
  if (need !== 'any' && round.status !== need) refuse('assess_wrong_stage', T.notOpen(round), { round: round.id });
  return round;
}

/** A cadre of the round named by name or userid. */
function cadreOfRound(ctx: Context, round: Round, word: string): Cadre {
  const found = ctx.roster.data.cadres.filter((c) => c.name === word || c.userid === word);
  if (!found.length) return refuse('assess_unknown_cadre', T.unknownCadre(word), { word });
  const inRound = found.filter((c) => round.cadres.includes(c.userid));
  if (inRound.length > 1) return refuse('assess_ambiguous_cadre', T.ambiguousCadre(word), { word });
  if (!inRound.length) return refuse('assess_not_in_round', T.notInRound(word), { word });
  return inRound[0]!;
}

function requireOrg(ctx: Context): void {
  if (!isOrg(ctx.person)) refuse('assess_not_org', T.notOrg);
}

const newEntry = (userid: string): Entry => ({ userid, ratings: {}, appeals: [] });

// ---- 考评 开始 / 公示 / 结束 / (progress) --------------------------------------------------------------------

async function open(ctx: Context, args: string[]): Promise<Reply> {
  const [name, ...scope] = args;
  if (!name) return refuse('assess_need_name', T.needName);
  if (chars(name) > 40) refuse('assess_name_too_long', T.tooLong(40));
  const repo = ctx.repos.assess;
  const running = await repo.current();
  if (running) refuse('assess_round_running', T.roundStillOpen(running), { round: running.id });
  const today = localDate(ctx.now);
  const s = roundScope(ctx.roster, scope, today);
  if (s.unknown.length) refuse('assess_unknown_scope', T.unknownScope(s.unknown), { unknown: s.unknown });
  if (!s.cadres.length) refuse('assess_no_cadres', T.noCadres);
  const round: Round = {
    id: await repo.nextId(ctx.tx),
    name,
    villages: s.villages,
    cadres: s.cadres,
    status: 'open',
    openedAt: ctx.now.toISOString(),
    openedBy: ctx.person.userid,
  };
  repo.saveRound(ctx.tx, round);
  sendRatingCards(ctx, round);
  return { text: T.opened(round, new Set(s.cadres.map((u) => ctx.roster.cadres.get(u)!.village)).size) };
}

/** One rating card per cadre to their sending unit's leaders and their township's supervisors. */
function sendRatingCards(ctx: Context, round: Round): void {
  const { roster } = ctx;
  const perRater = new Map<string, { cadre: Cadre; level: Level }[]>();
  for (const userid of round.cadres) {
    const cadre = roster.cadres.get(userid)!;
    const unit = roster.sendingUnit(cadre.sendingUnit);
    const unitLeaders = new Set([
      ...(unit ? [unit.mainLeader, unit.deputy] : []),
      ...roster.sendingUnitLeaders(cadre.sendingUnit).map((s) => s.userid),
    ]);
    const township = roster.villageOf(cadre).township;
    const add = (rater: string, level: Level) =>
      perRater.set(rater, [...(perRater.get(rater) ?? []), { cadre, level }]);
    for (const r of unitLeaders) add(r, 'unit');
    for (const s of roster.townshipSupervisors(township)) add(s.userid, 'township');
  }
  for (const [rater, list] of perRater) {
    ctx.send({
      key: `assess-cards:${round.id}:${rater}`,
      to: { kind: 'user', userIds: [rater] },
      body: { type: 'text', content: T.ratingCardIntro(list.length) },
      purpose: 'approval',
    });
    for (const { cadre, level } of list)
      ctx.send({
        key: `assess-card:${round.id}:${rater}:${cadre.userid}`,
        to: { kind: 'user', userIds: [rater] },
        body: {
          type: 'card',
          card: T.ratingCard({
            taskId: `assess-${round.id}-${cadre.userid}-${level}`,
            name: cadre.name,
            village: roster.villageOf(cadre).name,
            level,
            round: round.name,
            key: (g) => `${RATE_ACTION}:${cadre.userid}:${g}`,
          }),
        },
        purpose: 'approval',
      });
  }
}

async function publish(ctx: Context): Promise<Reply> {
  const round = await currentRound(ctx, 'open');
  const entries = await ctx.repos.assess.entries(round.id);
  const missing = byVillageThenName(ctx.roster, round).filter((u) => !entries.get(u)?.final);
  if (missing.length)
    refuse('assess_not_all_final', T.notAllRated(missing.map((u) => ctx.roster.cadres.get(u)?.name ?? u)), {
      missing,
    });
  const span = publicSpan(ctx.deps.calendar, localDate(ctx.now), ctx.deps.policy.assess.publicDays);
  const next: Round = { ...round, status: 'public', publicFrom: span.from, publicUntil: span.until };
  ctx.repos.assess.saveRound(ctx.tx, next, { previous: round });
  for (const u of round.cadres)
    ctx.send({
      key: `assess-public:${round.id}:${u}`,
      to: { kind: 'user', userIds: [u] },
      body: { type: 'text', content: T.publicNotice(next, entries.get(u)!.final!.grade) },
      purpose: 'notice',
    });
  return { text: T.published(next) };
}

async function close(ctx: Context): Promise<Reply> {
  const round = await currentRound(ctx, 'public');
  const today = localDate(ctx.now);
  if (today <= round.publicUntil!) refuse('assess_public_not_over', T.publicNotOver(round.publicUntil!));
  const entries = await ctx.repos.assess.entries(round.id);
  const waiting = [...entries.values()].filter((e) => e.appeals.some((a) => !a.answer)).map((e) => e.userid);
  if (waiting.length)
    refuse('assess_open_appeals', T.openAppeals(waiting.map((u) => ctx.roster.cadres.get(u)?.name ?? u)), { waiting });
  const next: Round = { ...round, status: 'closed', closedAt: ctx.now.toISOString(), closedBy: ctx.person.userid };
  ctx.repos.assess.saveRound(ctx.tx, next, { previous: round });
  return { text: T.closed(next) };
}

async function showProgress(ctx: Context): Promise<Reply> {
  const round = await ctx.repos.assess.latest();
  if (!round) return { text: T.noRound };
  const v = await roundView(ctx.repos.assess, ctx.roster, ctx.deps.policy, round);
  const lines = byVillageThenName(ctx.roster, round).map((u): T.ProgressLine => {
    const cadre = ctx.roster.cadres.get(u);
    const e = v.entries.get(u);
    const p = v.proposals.get(u);
    return {
      name: cadre?.name ?? u,
      village: cadre ? ctx.roster.villageOf(cadre).name : '',
      summary: !!e?.summary,
      grades: Object.fromEntries(Object.entries(e?.ratings ?? {}).map(([l, r]) => [l, r.grade])),
      ...(p && 'grade' in p ? { proposal: { grade: p.grade, score: p.score, overQuota: p.overQuota } } : {}),
      ...(e?.final ? { final: e.final.grade } : {}),
    };
  });
  return { text: T.progress(round, lines, v.quota) };
}

/** `考评 开始 名称 [范围…]`, `考评 公示`, `考评 结束`, and `考评` alone: the round's progress. */
export const assessRound = defineCommand({
  id: 'assess-round',
  aliases: ['考评'],
  roles: ['org'],
  help: T.help.round,
  privateOnly: true,
  async handle(ctx, rest) {
    requireOrg(ctx);
    const [verb, ...args] = words(rest);
    if (!verb) return showProgress(ctx);
    if (verb === '开始') return open(ctx, args);
    if (verb === '公示') return publish(ctx);
    if (verb === '结束') return close(ctx);
    return refuse('assess_usage', T.usage(T.help.round));
  },
});

// ---- 述职 ----------------------------------------------------------------------------------------------------

/** `述职 内容`: the cadre's self-summary for the open round (sent again, it replaces the text). */
export const assessSummary = defineCommand({
  id: 'assess-summary',
  aliases: ['述职'],
  roles: ['cadre'],
  help: T.help.summary,
  privateOnly: true,
  async handle(ctx, rest) {
    const round = await currentRound(ctx, 'open');
    const me = ctx.person.cadre.userid;
    if (!round.cadres.includes(me)) refuse('assess_not_in_round', T.notInRound(ctx.person.name));
    const text = originalText(ctx.update.text, rest.trim());
    if (!text) refuse('assess_summary_empty', T.noSummaryText(T.help.summary));
    if (chars(text) > MAX_SUMMARY_CHARS) refuse('assess_summary_too_long', T.tooLong(MAX_SUMMARY_CHARS));
    const before = await ctx.repos.assess.entry(round.id, me);
    const entry = before ?? newEntry(me);
    ctx.repos.assess.saveEntry(
      ctx.tx,
      round,
      { ...entry, summary: { text, at: ctx.now.toISOString(), files: entry.summary?.files ?? [] } },
      { previous: before },
    );
    return { text: T.summarySaved(ctx.person.name) };
  },
});

/** A file sent by a cadre of the open round who has written a 述职: attached to it. */
export const assessSummaryFile = defineCommand({
  id: 'assess-summary-file',
  aliases: [],
  roles: ['cadre'],
  hidden: true,
  help: T.help.summary,
  kinds: ['file'],
  takes: (_u, { person }) => person?.cadre !== undefined,
  async handle(ctx) {
    const round = await ctx.repos.assess.current();
    const me = ctx.person.cadre.userid;
    const before = round?.status === 'open' ? await ctx.repos.assess.entry(round.id, me) : undefined;
    if (!round || !before?.summary) return refuse('assess_no_summary', T.noSummaryText(T.help.summary));
    const media = ctx.update.media ?? {};
    const files = [
      ...before.summary.files,
      {
        ...(media.mediaId ? { mediaId: media.mediaId } : {}),
        ...(media.url ? { url: media.url } : {}),
        at: ctx.now.toISOString(),
      },
    ];
    ctx.repos.assess.saveEntry(
      ctx.tx,
      round,
      { ...before, summary: { ...before.summary, files } },
      { previous: before },
    );
    return { text: T.summaryFileSaved(files.length) };
  },
});

// ---- 评定 (chat and card) -------------------------------------------------------------------------------------

/** `评定 姓名 等次 意见`, or a click on the rating card (`assess-rate:<userid>:<等次>`). */
export const assessRate = defineCommand({
  id: 'assess-rate',
  aliases: ['评定'],
  roles: 'any',
  usableBy: (person, roster) => mayRate(roster, person),
  help: T.help.rate,
  privateOnly: true,
  actions: [RATE_ACTION],
  async handle(ctx, rest) {
    const clicked = ctx.update.kind === 'event';
    const round = await currentRound(ctx, 'open');
    let who: string;
    let gradeWord: string;
    let comment: string;
    if (clicked) {
      [who = '', gradeWord = ''] = rest.split(':');
      comment = T.cardRatedComment;
    } else {
      const [w = '', g = '', ...c] = words(rest);
      who = w;
      gradeWord = g;
      comment = originalText(ctx.update.text, c.join(' ')).trim();
      if (!who || !g) refuse('assess_usage', T.usage(T.help.rate));
    }
    const cadre = cadreOfRound(ctx, round, who);
    if (!isGrade(gradeWord)) return refuse('assess_bad_grade', T.badGrade, { gradeWord });
    if (!clicked && !comment) refuse('assess_need_comment', T.needComment(T.help.rate));
    if (chars(comment) > MAX_COMMENT_CHARS) refuse('assess_comment_too_long', T.tooLong(MAX_COMMENT_CHARS));
    const level = ratingLevels(ctx.roster, ctx.person, cadre)[0];
    if (!level) return refuse('assess_not_rater', T.notRater(cadre.name), { cadre: cadre.userid });
    const before = await ctx.repos.assess.entry(round.id, cadre.userid);
    const entry = before ?? newEntry(cadre.userid);
    const rating = { grade: gradeWord, comment, by: ctx.person.userid, at: ctx.now.toISOString() };
    ctx.repos.assess.saveEntry(
      ctx.tx,
      round,
      { ...entry, ratings: { ...entry.ratings, [level]: rating } },
      { previous: before },
    );
    ctx.log.info({ round: round.id, cadre: cadre.userid, level, grade: gradeWord }, 'assessment grade given');
    return { text: T.rated(cadre.name, level, gradeWord), ...(clicked ? { replaceButton: gradeWord } : {}) };
  },
});

// ---- 评议码 / 纸质评议 --------------------------------------------------------------------------------------

function reviewVillage(ctx: Context, round: Round, word: string) {
  const village = findVillage(ctx.roster, word);
  if (!village) return refuse('assess_unknown_village', T.unknownVillage(word), { word });
  if (!round.villages.includes(village.id)) refuse('assess_village_not_in_round', T.villageNotInRound(village.name));
  if (!mayRunReview(ctx.roster, ctx.person, village.id))
    refuse('assess_not_review_runner', T.notVillageRunner(village.name), { village: village.id });
  return village;
}

/** `评议码 村名 数量`: one-time codes for the village's 评议, listed to print, with the page's link. */
export const assessCodes = defineCommand({
  id: 'assess-codes',
  aliases: ['评议码'],
  roles: ['township', 'org'],
  help: T.help.codes,
  privateOnly: true,
  async handle(ctx, rest) {
    const [word = '', countWord = ''] = words(rest);
    if (!word || !countWord) refuse('assess_usage', T.usage(T.help.codes));
    const round = await currentRound(ctx, 'open');
    const village = reviewVillage(ctx, round, word);
    const max = ctx.deps.policy.assess.maxCodes;
    const count = /^\d{1,5}$/.test(countWord) ? Number(countWord) : NaN;
    if (!(count >= 1 && count <= max)) refuse('assess_bad_count', T.badCount(max), { countWord });
    const { codes, until } = issueCodes(ctx.repos.assess, ctx.tx, round, {
      village: village.id,
      count,
      by: ctx.person.userid,
      now: ctx.now,
      policy: ctx.deps.policy,
    });
    return { text: T.codesIssued(village.name, codes, reviewLink(ctx.deps.publicUrl, village.id), until) };
  },
});

/** Reads `满意 12 基本满意 3 不满意 1` (any order, each at most once, missing ones 0). */
export function readPaper(args: readonly string[]): Tally | undefined {
  if (!args.length || args.length % 2) return undefined;
  const t = emptyTally();
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i += 2) {
    const a = args[i]!;
    const n = args[i + 1]!;
    if (!(ANSWERS as readonly string[]).includes(a) || seen.has(a) || !/^\d{1,5}$/.test(n)) return undefined;
    seen.add(a);
    t[a as keyof Tally] = Number(n);
  }
  return t.满意 + t.基本满意 + t.不满意 > 0 ? t : undefined;
}

/** `纸质评议 村名 满意 12 基本满意 3 不满意 1`: paper ballots counted by the township, marked as paper. */
export const assessPaper = defineCommand({
  id: 'assess-paper',
  aliases: ['纸质评议'],
  roles: ['township', 'org'],
  help: T.help.paper,
  privateOnly: true,
  async handle(ctx, rest) {
    const [word = '', ...args] = words(rest);
    if (!word) refuse('assess_usage', T.usage(T.help.paper));
    const round = await currentRound(ctx, 'open');
    const village = reviewVillage(ctx, round, word);
    const counts = readPaper(args);
    if (!counts) return refuse('assess_bad_paper', T.badPaper(T.help.paper), { args });
    ctx.repos.assess.savePaper(ctx.tx, round, {
      id: `${village.id}:${ctx.update.id}`,
      village: village.id,
      counts,
      by: ctx.person.userid,
      at: ctx.now.toISOString(),
    });
    return { text: T.paperSaved(village.name, counts) };
  },
});

// ---- 确定 / 改定 ---------------------------------------------------------------------------------------------

async function finalGrade(ctx: Context, rest: string, change: boolean): Promise<Reply> {
  requireOrg(ctx);
  const help = change ? T.help.change : T.help.confirm;
  const [who = '', gradeWord = '', ...reasonWords] = words(rest);
  if (!who) refuse('assess_usage', T.usage(help));
  const round = await currentRound(ctx, 'open');
  const cadre = cadreOfRound(ctx, round, who);
  const v = await roundView(ctx.repos.assess, ctx.roster, ctx.deps.policy, round);
  const p = v.proposals.get(cadre.userid);
  if (!p || !('grade' in p))
    return refuse('assess_missing_grades', T.missingGrades(cadre.name, p && 'missing' in p ? p.missing : []));
  const proposal: Proposal = p;
  const grade: Grade | undefined = gradeWord
    ? isGrade(gradeWord)
      ? gradeWord
      : undefined
    : change
      ? undefined
      : proposal.grade;
  if (!grade) return refuse('assess_bad_grade', T.badGrade, { gradeWord });
  const reason = originalText(ctx.update.text, reasonWords.join(' ')).trim();
  if (!change && grade !== proposal.grade) refuse('assess_needs_reason', T.needReason(proposal.grade), { grade });
  if (change && grade === proposal.grade) refuse('assess_same_as_proposed', T.sameAsProposed(proposal.grade));
  if (change && !reason) refuse('assess_needs_reason', T.needReason(proposal.grade), { grade });
  if (chars(reason) > MAX_COMMENT_CHARS) refuse('assess_reason_too_long', T.tooLong(MAX_COMMENT_CHARS));
  if (grade === '优秀' && excellentOthers(v.entries, cadre.userid) + 1 > v.quota)
    refuse('assess_over_quota', T.overQuota(v.quota, round.cadres.length), { quota: v.quota });
  const before = v.entries.get(cadre.userid);
  const entry = before ?? newEntry(cadre.userid);
  ctx.repos.assess.saveEntry(
    ctx.tx,
    round,
    {
      ...entry,
      final: {
        grade,
        proposed: proposal.grade,
        score: proposal.score,
        by: ctx.person.userid,
        at: ctx.now.toISOString(),
        ...(change ? { reason } : {}),
      },
    },
    { previous: before },
  );
  return { text: change ? T.changed(cadre.name, proposal.grade, grade, reason) : T.confirmed(cadre.name, grade) };
}

/** `确定 姓名 [等次]`: the organisation department confirms the proposed grade. */
export const assessConfirm = defineCommand({
  id: 'assess-confirm',
  aliases: ['确定'],
  roles: ['org'],
  help: T.help.confirm,
  privateOnly: true,
  handle: (ctx, rest) => finalGrade(ctx, rest, false),
});

/** `改定 姓名 等次 理由`: the organisation department sets another grade than proposed, with the reason. */
export const assessChange = defineCommand({
  id: 'assess-change',
  aliases: ['改定'],
  roles: ['org'],
  help: T.help.change,
  privateOnly: true,
  handle: (ctx, rest) => finalGrade(ctx, rest, true),
});

// ---- 复核 ----------------------------------------------------------------------------------------------------

/** `复核 理由`: a cadre asks for review of their grade during 公示. */
export const assessAppeal = defineCommand({
  id: 'assess-appeal',
  aliases: ['复核'],
  roles: ['cadre'],
  help: T.help.appeal,
  privateOnly: true,
  async handle(ctx, rest) {
    const round = await currentRound(ctx, 'any');
    const me = ctx.person.cadre.userid;
    if (!round.cadres.includes(me)) refuse('assess_not_in_round', T.notInRound(ctx.person.name));
    if (!inPublic(round, localDate(ctx.now))) refuse('assess_not_in_public', T.notInPublic, { round: round.id });
    const reason = originalText(ctx.update.text, rest.trim()).trim();
    if (!reason) refuse('assess_appeal_empty', T.needAppealReason(T.help.appeal));
    if (chars(reason) > MAX_COMMENT_CHARS) refuse('assess_reason_too_long', T.tooLong(MAX_COMMENT_CHARS));
    const before = await ctx.repos.assess.entry(round.id, me);
    if (!before?.final) return refuse('assess_no_final', T.noFinalYet);
    if (before.appeals.some((a) => !a.answer)) refuse('assess_appeal_pending', T.appealPending);
    ctx.repos.assess.saveEntry(
      ctx.tx,
      round,
      { ...before, appeals: [...before.appeals, { reason, at: ctx.now.toISOString() }] },
      { previous: before },
    );
    const org = ctx.roster.orgDepartment().map((s) => s.userid);
    if (org.length)
      ctx.send({
        key: `assess-appeal:${round.id}:${me}:${before.appeals.length + 1}`,
        to: { kind: 'user', userIds: org },
        body: { type: 'text', content: T.appealToOrg(ctx.person.name, reason) },
        purpose: 'approval',
      });
    return { text: T.appealSent };
  },
});

/** `复核答复 姓名 等次 答复意见`: the organisation department answers a 复核; the grade stands or changes. */
export const assessAppealAnswer = defineCommand({
  id: 'assess-appeal-answer',
  aliases: ['复核答复'],
  roles: ['org'],
  help: T.help.answer,
  privateOnly: true,
  async handle(ctx, rest) {
    requireOrg(ctx);
    const [who = '', gradeWord = '', ...textWords] = words(rest);
    const round = await currentRound(ctx, 'public');
    const cadre = cadreOfRound(ctx, round, who);
    if (!isGrade(gradeWord)) return refuse('assess_bad_grade', T.badGrade, { gradeWord });
    const text = originalText(ctx.update.text, textWords.join(' ')).trim();
    if (!text) refuse('assess_usage', T.usage(T.help.answer));
    if (chars(text) > MAX_COMMENT_CHARS) refuse('assess_reason_too_long', T.tooLong(MAX_COMMENT_CHARS));
    const entries = await ctx.repos.assess.entries(round.id);
    const before = entries.get(cadre.userid);
    const open = before?.appeals.findIndex((a) => !a.answer) ?? -1;
    if (!before?.final || open < 0) return refuse('assess_no_appeal', T.noAppeal(cadre.name));
    const quota = Math.floor((round.cadres.length * ctx.deps.policy.assess.excellentQuotaPercent) / 100);
    if (gradeWord === '优秀' && before.final.grade !== '优秀' && excellentOthers(entries, cadre.userid) + 1 > quota)
      refuse('assess_over_quota', T.overQuota(quota, round.cadres.length), { quota });
    const appeals = before.appeals.map((a, i) =>
      i === open ? { ...a, answer: { text, by: ctx.person.userid, at: ctx.now.toISOString(), grade: gradeWord } } : a,
    );
    const final =
      gradeWord === before.final.grade
        ? before.final
        : { ...before.final, grade: gradeWord, by: ctx.person.userid, at: ctx.now.toISOString(), reason: text };
    ctx.repos.assess.saveEntry(ctx.tx, round, { ...before, appeals, final }, { previous: before });
    ctx.send({
      key: `assess-appeal-answer:${round.id}:${cadre.userid}:${open + 1}`,
      to: { kind: 'user', userIds: [cadre.userid] },
      body: { type: 'text', content: T.appealAnswer(gradeWord, text) },
      purpose: 'reply',
    });
    return { text: T.appealAnswered(cadre.name, gradeWord) };
  },
});

export const assessCommands = [
  assessRound,
  assessSummary,
  assessSummaryFile,
  assessRate,
  assessCodes,
  assessPaper,
  assessConfirm,
  assessChange,
  assessAppeal,
  assessAppealAnswer,
];
