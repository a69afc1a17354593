/**
 * `retention`: every night, check-ins older than the policy's `retention.exactLocationDays` lose their exact
 * position (coordinates, accuracy, address text from every source: the check-in page, LOCATION events, location
 * messages, WeCom 打卡, the sandbox's seeded history). What stays is what attendance needs: inside or outside,
 * the distance to the village, source, trust, time, direction, whether it counts, notes and flags. The presence
 * bitmaps are not touched, so every figure stays the same.
 *
 * The reduced days are packed per cadre and year into the archive of the year (src/attendance/ledger-archive.ts):
 * every record keeps what it kept before (minus the id of a page, LOCATION or message event, which nothing can
 * deliver again for so old a day), every reader unpacks them, and a day written later leaves the archive again.
 *
 * Idempotent: a packed day has nothing left to remove, so a second run finds nothing. Each day is packed only if
 * it still holds what was read (a check-in arriving meanwhile is kept, and packed next run). The run says what it
 * removed (a log line and `zhucun jobs run retention`): how many check-ins, days, the date range.
 *
 * It also packs reports that can no longer change (older than the correction and photo windows) into the archive
 * of their year (src/jobs/retention-reports.ts, src/reports/archive.ts): every word is kept and every reader
 * unpacks them; they take a fraction of the memory.
 *
 * It also packs leave requests that have ended before the cutoff (refused, withdrawn, reported back from) into
 * the archive field of the cadre's leaves hash (src/jobs/retention-leaves.ts, src/leave/repo.ts), read the same way.
 *
 * It also trims the audit trail to the policy's `retention.auditYears` (src/audit/trim.ts): entries recorded
 * before that many years ago are removed. The trail holds no location, so it outlives the exact positions.
 */
import { auditCutoff, oldestAudit, trimAudit } from '../audit/trim.js';
import { addDays, localDate } from '../kit/dates.js';
import { Tx, TxConflict } from '../redis/tx.js';
import type { Job } from '../schedule/job.js';
import { hoursAfter } from '../schedule/windows.js';
import { unpackYear } from '../attendance/ledger-archive.js';
import type { CheckinRecord } from '../attendance/record.js';
import type { RedisClient } from '../redis/client.js';
import { findOldDays, reduceRecord, type FoundDay } from './retention-scan.js';
import { findLeavesToPack } from './retention-leaves.js';
import { findReportsToPack, packBefore, type ReportsToPack } from './retention-reports.js';

export { POSITION_FIELDS, reduceRecord } from './retention-scan.js';

/** At most this many days are reduced in one run, so the first run on a long history stays small in memory. */
export const MAX_DAYS_PER_RUN = 20_000;
/**
 * Days at least this old are packed into the year's archive (with their positions while the retention period
 * lasts): today and yesterday stay in their month hash, where a check-in arriving now looks for the last known
 * position and a day's detail is written.
 */
export const PACK_AFTER_DAYS = 2;
/** At most this many cadres' reports are packed in one run. */
export const MAX_CADRES_PER_RUN = 5_000;

export interface ReducedDay extends FoundDay {
  /** The day's records with positions removed, as stored. */
  after: string;
  /** Check-ins of the day that had a position. */
  checkins: number;
  removed: string[];
}

export interface RetentionState {
  days: number;
  /** The first date that keeps exact positions; every earlier day is reduced. */
  cutoff: string;
  reduced: ReducedDay[];
  /** The first date not packed: every earlier day still in its month hash is packed into the year's archive. */
  packUntil: string;
  /** Every day before `packUntil` still in its month hash (the reduced ones among them). */
  old: FoundDay[];
  /** Year archives holding days before the cutoff that may still have exact positions: reduced in place. */
  archives: string[];
  /** Check-in months looked at. */
  months: number;
  truncated: boolean;
  /** Reports to pack into their year's archive: filed before `before` (ISO), per cadre. */
  reports: { before: string; cadres: ReportsToPack[]; truncated: boolean };
  /** Cadres whose leave requests ending before the cutoff may be packed (those that have ended are). */
  leaves: { cadres: string[] };
  /** The audit trail: the years kept, the first instant kept (ms) and the oldest entry's time, if any. */
  audit: { years: number; cutoff: number; oldest?: number };
}

/** What the audit trail's trimming does (or would do). Pure. */
export function auditNote(a: RetentionState['audit']): string {
  const date = localDate(new Date(a.cutoff));
  return a.oldest !== undefined && a.oldest < a.cutoff
    ? `trim the audit trail: remove entries recorded before ${date} (kept ${a.years} years), the oldest from ${localDate(new Date(a.oldest))}`
    : `audit trail: nothing recorded before ${date} (kept ${a.years} years)`;
}

/** Reduce one day's stored JSON; null when nothing in it is a position. Pure. */
export function reduceDay(found: FoundDay): ReducedDay | null {
  const records = JSON.parse(found.raw) as unknown[];
  const removed = new Set<string>();
  let checkins = 0;
  const out = records.map((r) => {
    const reduced = reduceRecord(r);
    if (reduced.removed.length) checkins++;
    reduced.removed.forEach((f) => removed.add(f));
    return reduced.record;
  });
  return checkins ? { ...found, after: JSON.stringify(out), checkins, removed: [...removed].sort() } : null;
}

const CHECKINS_KEY = /\{u:([^}]+)\}:checkins:(\d{4})(-\d{2})?$/;

/** The cadre and year of a month of check-ins or of a year's archive. */
function packGroup(key: string): { userId: string; year: string } {
  const m = CHECKINS_KEY.exec(key);
  if (!m) throw new Error(`not a key of check-ins: ${key}`);
  return { userId: m[1]!, year: m[2]! };
}

/** The archived days before `cutoff` of year archives, as found days (for what the run reduces). */
async function archivedDays(redis: RedisClient, archives: readonly string[], cutoff: string): Promise<FoundDay[]> {
  const out: FoundDay[] = [];
  for (const key of archives) {
    const { year } = packGroup(key);
    for (const raw of await redis.hvals(key))
      for (const [date, records] of unpackYear(year, raw))
        if (date < cutoff) out.push({ key, date, raw: JSON.stringify(records) });
  }
  return out;
}

/** Totals of a run: check-ins, days, first and last date, fields removed. Pure. */
export function summary(reduced: readonly ReducedDay[]) {
  const dates = reduced.map((d) => d.date).sort();
  return {
    checkins: reduced.reduce((n, d) => n + d.checkins, 0),
    days: reduced.length,
    from: dates[0],
    to: dates.at(-1),
    fields: [...new Set(reduced.flatMap((d) => d.removed))].sort(),
  };
}

export const retention: Job<RetentionState> = {
  id: 'retention',
  policyJob: 'retention',
  summary: 'remove the exact position of check-ins older than the retention period',
  // Nothing is lost by running late: a missed night is worth making up until the next one.
  catchUpUntil: (slot) => hoursAfter(slot, 23),

  async load(ctx, now) {
    const days = ctx.policy.retention.exactLocationDays;
    const cutoff = addDays(localDate(now), -days);
    // Every day before the cutoff is packed (and reduced), even under a retention period shorter than two days.
    const recent = addDays(localDate(now), -PACK_AFTER_DAYS);
    const packUntil = recent > cutoff ? recent : cutoff;
    const found = await findOldDays(ctx.redis, ctx.keys, {
      before: packUntil,
      cutoff,
      limit: MAX_DAYS_PER_RUN,
    });
    const reduced = [
      ...found.days.filter((d) => d.date < cutoff),
      ...(await archivedDays(ctx.redis, found.archives, cutoff)),
    ]
      .map(reduceDay)
      .filter((d): d is ReducedDay => d !== null);
    const years = ctx.policy.retention.auditYears;
    const oldest = await oldestAudit(ctx.redis, ctx.keys);
    const audit = { years, cutoff: auditCutoff(now, years).getTime(), ...(oldest === undefined ? {} : { oldest }) };
    const before = packBefore(now, ctx.policy.reports);
    const pack = await findReportsToPack(ctx.redis, ctx.keys, before, { limit: MAX_CADRES_PER_RUN });
    const reports = { before, ...pack };
    const leaves = await findLeavesToPack(ctx.redis, ctx.keys, cutoff, { limit: MAX_CADRES_PER_RUN });
    return {
      days,
      cutoff,
      reduced,
      packUntil,
      old: found.days,
      archives: found.archives,
      months: found.months,
      truncated: found.truncated || pack.truncated || leaves.truncated,
      reports,
      leaves: { cadres: leaves.cadres },
      audit,
    };
  },

  plan: () => [],

  writes: {
    describe(_now, state) {
      const s = summary(state.reduced);
      const lines = s.checkins
        ? [
            `reduced ${s.checkins} check-ins on ${s.days} days from ${s.from} to ${s.to} (before ${state.cutoff}, older than ${state.days} days): ` +
              `removed ${s.fields.join(', ')}; kept inside/outside, distance, source, time and flags`,
          ]
        : [
            `nothing to reduce: no check-in before ${state.cutoff} (older than ${state.days} days) holds an exact position`,
          ];
      const cadres = new Set(state.old.map((d) => packGroup(d.key).userId)).size;
      if (state.old.length)
        lines.push(
          `pack ${state.old.length} days of check-ins of ${cadres} cadres before ${state.packUntil} into their year's archive (every record kept)`,
        );
      const packing = state.reports.cadres.reduce((n, c) => n + c.reports, 0);
      lines.push(
        packing
          ? `pack ${packing} reports of ${state.reports.cadres.length} cadres filed before ${state.reports.before} into their year's archive (every word kept)`
          : `no report filed before ${state.reports.before} left to pack`,
      );
      if (state.truncated)
        lines.push(`stopped after ${MAX_DAYS_PER_RUN} days or ${MAX_CADRES_PER_RUN} cadres; the next run continues`);
      lines.push(auditNote(state.audit));
      return lines;
    },

    async apply(ctx, _now, state) {
      const groups = new Map<string, { userId: string; year: string; days: FoundDay[] }>();
      const group = (key: string) => {
        const g = packGroup(key);
        const id = `${g.userId}|${g.year}`;
        const found = groups.get(id) ?? { ...g, days: [] };
        groups.set(id, found);
        return found;
      };
      for (const d of state.old) group(d.key).days.push(d);
      for (const key of state.archives) group(key);
      let conflicts = 0;
      const last = addDays(state.packUntil, -1);
      const reduce = (r: CheckinRecord) => reduceRecord(r).record;
      // One cadre-year at a time: each commit is one script on one slot (scripts are not auto-pipelined across
      // the masters of a cluster), and a conflict costs only that cadre's year.
      for (const { userId, year, days } of groups.values()) {
        const tx = new Tx();
        const through = last.startsWith(year) ? last : `${year}-12-31`;
        // Only over what was read: a check-in added meanwhile must not be overwritten.
        try {
          await ctx.repos.checkins.pack(tx, userId, year, days, { through, cutoff: state.cutoff, reduce });
          await tx.commit(ctx.redis);
        } catch (err) {
          if (!(err instanceof TxConflict)) throw err;
          conflicts += days.length;
        }
      }
      const s = summary(state.reduced);
      const log = ctx.log.child({ job: 'retention' });
      log.info(
        {
          checkins: s.checkins,
          days: s.days,
          from: s.from,
          to: s.to,
          fields: s.fields,
          cutoff: state.cutoff,
          months: state.months,
          packed: state.old.length - conflicts,
          conflicts,
        },
        s.checkins ? 'exact positions of old check-ins removed' : 'no old check-in holds an exact position',
      );
      if (conflicts) log.warn({ days: conflicts }, 'check-ins changed during the run; those days are reduced next run');
      let packed = 0;
      let packConflicts = 0;
      for (const { userId } of state.reports.cadres) {
        const tx = new Tx();
        const n = await ctx.repos.reports.archive(tx, userId, state.reports.before);
        try {
          await tx.commit(ctx.redis);
          packed += n;
        } catch (err) {
          if (!(err instanceof TxConflict)) throw err;
          packConflicts++;
        }
      }
      if (packed || packConflicts)
        log.info({ reports: packed, before: state.reports.before, conflicts: packConflicts }, 'old reports packed');
      let leavesPacked = 0;
      let leaveConflicts = 0;
      for (const userId of state.leaves.cadres) {
        const tx = new Tx();
        const n = await ctx.repos.leave.archive(tx, userId, state.cutoff);
        try {
          await tx.commit(ctx.redis);
          leavesPacked += n;
        } catch (err) {
          if (!(err instanceof TxConflict)) throw err;
          leaveConflicts++;
        }
      }
      if (leavesPacked || leaveConflicts)
        log.info(
          { requests: leavesPacked, cutoff: state.cutoff, conflicts: leaveConflicts },
          'ended leave requests packed',
        );
      const trimmed = await trimAudit(ctx.redis, ctx.keys, new Date(state.audit.cutoff));
      if (trimmed)
        log.info({ entries: trimmed, before: new Date(state.audit.cutoff).toISOString() }, 'old audit entries removed');
    },
  },
};
