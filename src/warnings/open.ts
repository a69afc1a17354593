/**
 * The open warnings, as the digests list them: the 整改 and 警示 notices of the ladder that concern the current
 * or the previous month (older ones are history: the monthly circular has them), newest stage first. A 提醒 is
 * never listed: it is private to the cadre (docs/rules.md), so no supervisor or department reads it. Names and
 * figures of individuals: the caller sends the list only to the cadre's own supervisors. A 整改 carries the
 * cadre's answer once given, so a digest can tell an answered notice from one still waiting.
 */
import { addDays, localMonth, monthDates } from '../kit/dates.js';
import type { RosterStore } from '../roster/store.js';
import type { Stage } from './ladder.js';
import type { RectifyReply, RectifyReplyRepo } from './replies.js';
import type { WarningRepo } from './store.js';

/** The stages others may see: 提醒 stays with the cadre. */
export type OpenStage = Exclude<Stage, 'remind'>;

export interface OpenWarning {
  userId: string;
  name: string;
  village: string;
  township: { id: string; name: string };
  sendingUnit: string;
  stage: OpenStage;
  /** The month the notice is about (`YYYY-MM`). */
  month: string;
  /** ISO time it was sent. */
  at: string;
  /** For 整改: the cadre's answer (`整改说明`), once given. */
  answer?: RectifyReply;
}

/** What the list is read from: the warning records and answers in Redis, and the current roster. */
export interface WarningSource {
  repos: { warnings: Pick<WarningRepo, 'all'>; rectifyReplies: RectifyReplyRepo };
  roster: Pick<RosterStore, 'get'>;
}

const SEVERITY: Record<OpenStage, number> = { warn: 0, rectify: 1 };

/** The month before a `YYYY-MM` month. */
function previousMonth(month: string): string {
  return addDays(monthDates(month)[0]!, -1).slice(0, 7);
}

/**
 * The warnings open at `now` of cadres on the roster, of one township when `townshipId` is given: 警示 first,
 * then 整改; within a stage by township, village and name. 提醒 are left out (private to the cadre). The
 * weekly digest takes this list.
 */
export async function openWarnings(
  ctx: WarningSource,
  opts: { townshipId?: string; now: Date },
): Promise<OpenWarning[]> {
  const current = localMonth(opts.now);
  const from = previousMonth(current);
  const [records, roster] = await Promise.all([ctx.repos.warnings.all(), ctx.roster.get()]);
  const out: OpenWarning[] = [];
  for (const r of records) {
    if (r.stage === 'remind' || r.month < from || r.month > current) continue;
    const cadre = roster.cadres.get(r.userId);
    if (!cadre) continue;
    const township = roster.townshipOf(cadre);
    if (opts.townshipId && township.id !== opts.townshipId) continue;
    out.push({
      userId: r.userId,
      name: cadre.name,
      village: roster.villageOf(cadre).name,
      township: { id: township.id, name: township.name },
      sendingUnit: cadre.sendingUnit,
      stage: r.stage,
      month: r.month,
      at: r.at,
    });
  }
  // Answers only exist for 整改 notices; one read per such notice.
  const replies = ctx.repos.rectifyReplies;
  const answers = await Promise.all(
    out.map((w) => (w.stage === 'rectify' ? replies.get(w.userId, w.month) : undefined)),
  );
  answers.forEach((a, i) => {
    if (a) out[i]!.answer = a;
  });
  return out.sort(
    (a, b) =>
      SEVERITY[a.stage] - SEVERITY[b.stage] ||
      a.township.id.localeCompare(b.township.id) ||
      a.village.localeCompare(b.village, 'zh') ||
      a.name.localeCompare(b.name, 'zh') ||
      b.month.localeCompare(a.month),
  );
}
