/**
 * The steps of an assessment round shared by the chat commands, the 评议 page and the CLI: the round's view
 * (proposals from the formula), the 公示 dates on working days, issuing codes and answering one on the page.
 */
import type { HolidayCalendar } from '../calendar/calendar.js';
import { addDays, isWeekend } from '../kit/dates.js';
import type { Policy } from '../policy/policy.js';
import { Tx, TxConflict } from '../redis/tx.js';
import type { RedisClient } from '../redis/client.js';
import type { Roster } from '../roster/roster.js';
import {
  emptyTally,
  excellentQuota,
  propose,
  type Answer,
  type CodeRecord,
  type Entry,
  type Level,
  type Proposal,
  type Round,
  type Tally,
} from './model.js';
import { codeHash, newCode, normaliseCode, type AssessRepo } from './repo.js';

/** An official working day (the reminders' rule, docs/rules.md): the holiday calendar's, else a weekday. */
function isWorkingDay(calendar: Pick<HolidayCalendar, 'officialWorkdays'>, date: string): boolean {
  const days = calendar.officialWorkdays(date.slice(0, 7));
  return days ? days.includes(date) : !isWeekend(date);
}

/** The first working day on or after `date`, then the `days`-th working day counting it (公示). */
export function publicSpan(calendar: HolidayCalendar, date: string, days: number): { from: string; until: string } {
  let d = date;
  while (!isWorkingDay(calendar, d)) d = addDays(d, 1);
  const from = d;
  let n = 1;
  while (n < days) {
    d = addDays(d, 1);
    if (isWorkingDay(calendar, d)) n += 1;
  }
  return { from, until: d };
}

export interface RoundView {
  round: Round;
  entries: Map<string, Entry>;
  /** Each village's 评议 (page, paper, all). */
  villages: Map<string, { page: Tally; paper: Tally; all: Tally }>;
  proposals: Map<string, Proposal | { missing: Level[] }>;
  quota: number;
}

/** Everything about a round, with the formula's proposals. */
export async function roundView(repo: AssessRepo, roster: Roster, policy: Policy, round: Round): Promise<RoundView> {
  const [entries, villages] = await Promise.all([repo.entries(round.id), repo.tallies(round.id)]);
  const tallies = new Map(
    round.cadres.map((u) => [u, villages.get(roster.cadres.get(u)?.village ?? '')?.all ?? emptyTally()]),
  );
  return {
    round,
    entries,
    villages,
    proposals: propose(round, entries, tallies, policy.assess),
    quota: excellentQuota(round.cadres.length, policy.assess),
  };
}

/** The round's cadres ordered by village (roster order) then name: never by score. */
export function byVillageThenName(roster: Roster, round: Round): string[] {
  const order = new Map(roster.data.villages.map((v, i) => [v.id, i]));
  const name = (u: string) => roster.cadres.get(u)?.name ?? u;
  const village = (u: string) => order.get(roster.cadres.get(u)?.village ?? '') ?? Number.MAX_SAFE_INTEGER;
  return [...round.cadres].sort((a, b) => village(a) - village(b) || name(a).localeCompare(name(b), 'zh-CN'));
}

/** Stage `count` fresh codes for a village; returns them as printed. */
export function issueCodes(
  repo: AssessRepo,
  tx: Tx,
  round: Round,
  o: { village: string; count: number; by: string; now: Date; policy: Policy },
): { codes: string[]; until: Date } {
  const until = new Date(o.now.getTime() + o.policy.assess.reviewDays * 86_400_000);
  const codes: string[] = [];
  const seen = new Set<string>();
  while (codes.length < o.count) {
    const code = newCode();
    const norm = normaliseCode(code)!;
    if (seen.has(norm)) continue;
    seen.add(norm);
    const rec: CodeRecord = {
      village: o.village,
      issuedBy: o.by,
      issuedAt: o.now.toISOString(),
      validUntil: until.toISOString(),
    };
    // Expected absent: a collision with an earlier code (about 1 in 10^14) is a conflict, never an overwrite.
    repo.saveCode(tx, round, codeHash(round.id, norm), rec);
    codes.push(code);
  }
  return { codes, until };
}

export type AnswerOutcome =
  | { kind: 'answered' }
  | { kind: 'unknown' }
  | { kind: 'other-village' }
  | { kind: 'used' }
  | { kind: 'expired' }
  | { kind: 'no-round' };

/**
 * A villager's answer with a code: accepted once per code while the round is open and the code valid. Two
 * submissions of one code at once: the commit expects the code unanswered, so only one wins; the other reads
 * it again and is told it was used.
 */
export async function answerWithCode(
  d: { redis: RedisClient; repo: AssessRepo },
  input: { village: string; code: string; answer: Answer; comment?: string; name?: string; now: Date },
): Promise<AnswerOutcome> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const round = await d.repo.current();
    if (!round) return { kind: 'no-round' };
    const norm = normaliseCode(input.code);
    if (!norm) return { kind: 'unknown' };
    const hash = codeHash(round.id, norm);
    const rec = await d.repo.code(round.id, hash);
    if (!rec) return { kind: 'unknown' };
    if (rec.village !== input.village) return { kind: 'other-village' };
    if (rec.answered) return { kind: 'used' };
    if (round.status !== 'open' || input.now.getTime() > new Date(rec.validUntil).getTime()) return { kind: 'expired' };
    const tx = new Tx();
    d.repo.saveCode(
      tx,
      round,
      hash,
      {
        ...rec,
        answered: {
          answer: input.answer,
          ...(input.comment ? { comment: input.comment } : {}),
          ...(input.name ? { name: input.name } : {}),
          at: input.now.toISOString(),
        },
      },
      { previous: rec },
    );
    try {
      await tx.commit(d.redis);
      return { kind: 'answered' };
    } catch (err) {
      if (!(err instanceof TxConflict)) throw err;
    }
  }
  return { kind: 'used' };
}
