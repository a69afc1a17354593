/**
 * End-of-term assessment (考评, docs/rules.md): a round over a set of cadres, each cadre's 述职, the grades of the
 * sending unit, the township and the organisation department, the villagers' 评议 (one-time codes on the mobile
 * page, and paper ballots entered by the township), the policy's formula that proposes a grade within the 优秀
 * quota, the organisation department's final grade, 公示 with 复核, and closing. Pure: no clock, Redis or
 * environment; the handlers read and write through the repository.
 */
import type { Policy } from '../policy/policy.js';
import type { Person, Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';

export const GRADES = ['优秀', '称职', '基本称职', '不称职'] as const;
export type Grade = (typeof GRADES)[number];

export const ANSWERS = ['满意', '基本满意', '不满意'] as const;
export type Answer = (typeof ANSWERS)[number];

/** Who grades a cadre, in the order the 考核登记表 lists them. */
export const LEVELS = ['unit', 'township', 'org'] as const;
export type Level = (typeof LEVELS)[number];

export type RoundStatus = 'open' | 'public' | 'closed';

export interface Round {
  /** K1001 … */
  id: string;
  name: string;
  /** Village ids whose cadres are assessed, in roster order. */
  villages: string[];
  /** The cadres assessed (userids), fixed when the round opens. */
  cadres: string[];
  status: RoundStatus;
  openedAt: string;
  openedBy: string;
  /** First and last day of 公示 (local dates). */
  publicFrom?: string;
  publicUntil?: string;
  closedAt?: string;
  closedBy?: string;
}

export interface Rating {
  grade: Grade;
  comment: string;
  by: string;
  at: string;
}

export interface SummaryFile {
  mediaId?: string;
  url?: string;
  at: string;
}

export interface Appeal {
  reason: string;
  at: string;
  answer?: { text: string; by: string; at: string; grade: Grade };
}

export interface FinalGrade {
  grade: Grade;
  /** What the formula proposed when the grade was set. */
  proposed: Grade;
  score: number;
  by: string;
  at: string;
  /** Required when `grade` differs from `proposed`. */
  reason?: string;
}

export interface Entry {
  userid: string;
  summary?: { text: string; at: string; files: SummaryFile[] };
  ratings: Partial<Record<Level, Rating>>;
  final?: FinalGrade;
  appeals: Appeal[];
}

export interface AnswerRecord {
  answer: Answer;
  comment?: string;
  name?: string;
  at: string;
}

/** One 评议 code as stored (under the SHA-256 of the code, never the code itself). */
export interface CodeRecord {
  village: string;
  issuedBy: string;
  issuedAt: string;
  /** ISO time after which the code answers no more. */
  validUntil: string;
  answered?: AnswerRecord;
}

export interface PaperBatch {
  id: string;
  village: string;
  counts: Record<Answer, number>;
  by: string;
  at: string;
}

export type Tally = Record<Answer, number>;

export const emptyTally = (): Tally => ({ 满意: 0, 基本满意: 0, 不满意: 0 });

/** Longest 述职, comment, reason (characters). */
export const MAX_SUMMARY_CHARS = 3000;
export const MAX_COMMENT_CHARS = 300;
/** Longest name a villager may leave on the page. */
export const MAX_NAME_CHARS = 20;

export function isGrade(word: string): word is Grade {
  return (GRADES as readonly string[]).includes(word);
}

export function isAnswer(word: string): word is Answer {
  return (ANSWERS as readonly string[]).includes(word);
}

/**
 * The cadres a round covers: those on the roster whose term has started by `today`, serving in the villages
 * named (a township names its villages; `全部` or nothing names every village). Undefined entries in `unknown`
 * are the words that name nothing.
 */
export function roundScope(
  roster: Roster,
  words: readonly string[],
  today: string,
): { villages: string[]; cadres: string[]; unknown: string[] } {
  const all = roster.data.villages;
  const wanted = new Set<string>();
  const unknown: string[] = [];
  if (!words.length || (words.length === 1 && words[0] === '全部')) all.forEach((v) => wanted.add(v.id));
  else
    for (const w of words) {
      const township = roster.data.townships.find((t) => t.name === w || t.id === w);
      const village =
        all.find((v) => v.name === w || v.id === w) ??
        all.find((v) => v.name.replace(/村$/, '') === w.replace(/村$/, ''));
      if (township) all.filter((v) => v.township === township.id).forEach((v) => wanted.add(v.id));
      else if (village) wanted.add(village.id);
      else unknown.push(w);
    }
  const villages = all.filter((v) => wanted.has(v.id)).map((v) => v.id);
  const cadres = roster.data.cadres.filter((c) => wanted.has(c.village) && c.termStart <= today).map((c) => c.userid);
  return { villages, cadres, unknown };
}

/** The levels at which `person` grades `cadre` (usually one): unit leader, township supervisor, org department. */
export function ratingLevels(roster: Roster, person: Person, cadre: Cadre): Level[] {
  const sups = person.supervisor ?? [];
  const township = roster.villages.get(cadre.village)?.township;
  const out: Level[] = [];
  if (
    roster.unitRolesOf(person.userid).some((u) => u.unit === cadre.sendingUnit) ||
    sups.some((s) => s.kind === 'sending-unit' && s.scope === cadre.sendingUnit)
  )
    out.push('unit');
  if (sups.some((s) => s.kind === 'township' && s.scope === township)) out.push('township');
  if (sups.some((s) => s.kind === 'org-department')) out.push('org');
  return out;
}

export const isOrg = (person: Person): boolean => (person.supervisor ?? []).some((s) => s.kind === 'org-department');

/** Townships a person supervises (for codes and paper ballots). */
export const townshipsOf = (person: Person): string[] =>
  (person.supervisor ?? []).filter((s) => s.kind === 'township').map((s) => s.scope);

/** Whether `person` may print codes and enter ballots for the village: its township's supervisors, the org. */
export function mayRunReview(roster: Roster, person: Person, villageId: string): boolean {
  const township = roster.villages.get(villageId)?.township;
  return isOrg(person) || (township !== undefined && townshipsOf(person).includes(township));
}

/** Everyone who may grade at all (for `帮助`). */
export function mayRate(roster: Roster, person: Person): boolean {
  return (person.supervisor ?? []).length > 0 || roster.unitRolesOf(person.userid).length > 0;
}

// ---- the formula -------------------------------------------------------------------------------------------

type AssessPolicy = Policy['assess'];

const GRADE_KEY: Record<Grade, keyof AssessPolicy['gradeScores']> = {
  优秀: 'excellent',
  称职: 'competent',
  基本称职: 'basic',
  不称职: 'incompetent',
};
const ANSWER_KEY: Record<Answer, keyof AssessPolicy['reviewScores']> = {
  满意: 'satisfied',
  基本满意: 'basic',
  不满意: 'dissatisfied',
};

export function addTally(a: Tally, b: Partial<Tally>): Tally {
  return { 满意: a.满意 + (b.满意 ?? 0), 基本满意: a.基本满意 + (b.基本满意 ?? 0), 不满意: a.不满意 + (b.不满意 ?? 0) };
}

export const tallyTotal = (t: Tally): number => t.满意 + t.基本满意 + t.不满意;

/** The village's 评议 score: the average of its answers' scores; undefined without answers. */
export function reviewScore(t: Tally, p: AssessPolicy): number | undefined {
  const n = tallyTotal(t);
  if (!n) return undefined;
  return ANSWERS.reduce((s, a) => s + t[a] * p.reviewScores[ANSWER_KEY[a]], 0) / n;
}

export type Scored =
  | { ok: true; score: number; review?: number }
  /** A grade is missing: no proposal yet. */
  | { ok: false; missing: Level[] };

/**
 * The cadre's score: the weighted grades plus the weighted 评议 score. All three grades are needed; a village
 * without any 评议 answer drops that weight, the others rescaled to 100. Rounded to one decimal.
 */
export function scoreOf(entry: Entry, tally: Tally, p: AssessPolicy): Scored {
  const missing = LEVELS.filter((l) => !entry.ratings[l]);
  if (missing.length) return { ok: false, missing };
  const review = reviewScore(tally, p);
  let sum = 0;
  let weight = 0;
  for (const l of LEVELS) {
    sum += p.weights[l] * p.gradeScores[GRADE_KEY[entry.ratings[l]!.grade]];
    weight += p.weights[l];
  }
  if (review !== undefined) {
    sum += p.weights.review * review;
    weight += p.weights.review;
  }
  const score = weight ? Math.round((sum / weight) * 10) / 10 : 0;
  return review === undefined ? { ok: true, score } : { ok: true, score, review: Math.round(review * 10) / 10 };
}

export function gradeForScore(score: number, p: AssessPolicy): Grade {
  const t = p.thresholds;
  return score >= t.excellent ? '优秀' : score >= t.competent ? '称职' : score >= t.basic ? '基本称职' : '不称职';
}

/** The most cadres of a round of `n` that may be graded 优秀. */
export const excellentQuota = (n: number, p: AssessPolicy): number => Math.floor((n * p.excellentQuotaPercent) / 100);

export interface Proposal {
  score: number;
  review?: number;
  grade: Grade;
  /** Scored 优秀 but left out by the quota (proposed 称职). */
  overQuota: boolean;
}

/**
 * The proposals of a round: each scored cadre's grade by the thresholds; of those scoring 优秀, the best up to the
 * quota keep it and the others are proposed 称职. Cadres tied at the cut all keep it only if the quota holds
 * them all; otherwise all of the tied are proposed 称职 and the organisation department decides.
 */
export function propose(
  round: Pick<Round, 'cadres'>,
  entries: ReadonlyMap<string, Entry>,
  tallies: ReadonlyMap<string, Tally>,
  p: AssessPolicy,
): Map<string, Proposal | { missing: Level[] }> {
  const out = new Map<string, Proposal | { missing: Level[] }>();
  const scored: { userid: string; score: number }[] = [];
  for (const userid of round.cadres) {
    const entry = entries.get(userid) ?? { userid, ratings: {}, appeals: [] };
    const s = scoreOf(entry, tallies.get(userid) ?? emptyTally(), p);
    if (!s.ok) {
      out.set(userid, { missing: s.missing });
      continue;
    }
    const grade = gradeForScore(s.score, p);
    out.set(userid, {
      score: s.score,
      ...(s.review !== undefined ? { review: s.review } : {}),
      grade,
      overQuota: false,
    });
    if (grade === '优秀') scored.push({ userid, score: s.score });
  }
  const quota = excellentQuota(round.cadres.length, p);
  scored.sort((a, b) => b.score - a.score);
  // The best score left out: every cadre at or below it is proposed 称职 (ties at the cut included).
  const over = scored.length > quota ? scored[quota]!.score : -Infinity;
  for (const { userid, score } of scored) {
    if (score <= over) {
      const prop = out.get(userid) as Proposal;
      out.set(userid, { ...prop, grade: '称职', overQuota: true });
    }
  }
  return out;
}

/** The round's 优秀 final grades other than `userid`'s. */
export function excellentOthers(entries: ReadonlyMap<string, Entry>, userid: string): number {
  return [...entries.values()].filter((e) => e.userid !== userid && e.final?.grade === '优秀').length;
}

/** Whether a local date is inside the round's 公示. */
export function inPublic(round: Round, today: string): boolean {
  return round.status === 'public' && !!round.publicFrom && round.publicFrom <= today && today <= round.publicUntil!;
}

/** The village a cadre's 评议 comes from. */
export const villageOfCadre = (roster: Roster, userid: string): string | undefined =>
  roster.cadres.get(userid)?.village;
