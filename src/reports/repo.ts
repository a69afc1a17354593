/**
 * Work reports in Redis: one hash per cadre (number → JSON, and the older reports of a year packed into one field
 * `~YYYY`, see archive.ts), an owner index so `修改汇报 H1001` finds the report without a scan, the photos in a
 * hash of their own, and the short-lived pointer an image sent next attaches to. Reads go to Redis directly and
 * see archived reports like the others; writes go into the update's Tx.
 */
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { Sequence } from '../redis/sequence.js';
import type { Saved, Tx } from '../redis/tx.js';
import { localDate } from '../kit/dates.js';
import { archiveField, isArchiveField, pack, reportsOf, unpack, type StoredReport } from './archive.js';
import type { Report, ReportImage } from './report.js';

/** Report numbers per bucket of the owner index. */
export const OWNER_BUCKET = 100;

/**
 * The owner index hash holding report `no`: one per hundred numbers (`{owner}:report:12` for H1200–H1299), so each
 * stays a small listpack (a single hash of a county's every report becomes a hashtable at 128 entries and costs
 * about 65 bytes a report). A number without digits stays in the single hash `{owner}:report`, which readers also
 * ask for numbers given before the buckets.
 */
export function ownerBucket(keys: Keys, no: string): string {
  const digits = /(\d+)$/.exec(no)?.[1];
  return digits === undefined
    ? keys.owner('report')
    : `${keys.owner('report')}:${Math.floor(Number(digits) / OWNER_BUCKET)}`;
}

/**
 * How long the pointer to a cadre's latest report is kept: the longest photo window the policy allows
 * (`reports.photoMinutes`, at most a day); the handler checks the county's own window against the report's time.
 */
export const LAST_REPORT_TTL_S = 24 * 3600;

export type { StoredReport } from './archive.js';

export interface LastReport {
  no: string;
  /** ISO time of the report, checked against the domain clock (the key's TTL follows the server's clock). */
  at: string;
}

export class ReportRepo {
  private readonly numbers: Sequence;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    this.numbers = new Sequence(redis, keys.sequence('report'), 'H');
  }

  /** A new report number such as H1001, taken in the update's commit (never skipped, never reused). */
  async nextNo(tx: Tx): Promise<string> {
    return this.numbers.next(tx);
  }

  /** One report by number (any case), with its photos; undefined when there is none. */
  async get(no: string): Promise<Report | undefined> {
    const id = no.trim().toUpperCase();
    // The bucket first; numbers given before buckets existed are in the single index hash.
    const [bucketed, single] = await Promise.all([
      this.redis.hget(ownerBucket(this.keys, id), id),
      this.redis.hget(this.keys.owner('report'), id),
    ]);
    const owner = bucketed ?? single;
    if (!owner) return undefined;
    const raw = await this.redis.hget(this.keys.reports(owner), id);
    const found = raw
      ? (JSON.parse(raw) as StoredReport)
      : reportsOf(await this.redis.hvals(this.keys.reports(owner))).find((r) => r.no === id);
    if (!found) return undefined;
    return withImages(found, await this.imagesOf(owner));
  }

  /** All reports of one cadre with their photos, newest first. */
  async ofUser(userId: string): Promise<Report[]> {
    const [rows, images] = await Promise.all([this.redis.hvals(this.keys.reports(userId)), this.imagesOf(userId)]);
    return reportsOf(rows)
      .map((r) => withImages(r, images))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.no.localeCompare(a.no));
  }

  /** Reports of many cadres (weekly digest, 六个一 roll-up), batched. */
  async ofUsers(userIds: string[]): Promise<Map<string, Report[]>> {
    const lists = await Promise.all(userIds.map((u) => this.ofUser(u)));
    return new Map(userIds.map((u, i) => [u, lists[i]!]));
  }

  /** The report an image sent now would attach to, if one was filed recently. */
  async last(userId: string): Promise<LastReport | undefined> {
    const raw = await this.redis.get(this.keys.lastReport(userId));
    return raw ? (JSON.parse(raw) as LastReport) : undefined;
  }

  /**
   * Stage a new or corrected report; a new one also gets its owner entry and becomes the one images attach to.
   * `previous` is the report as read (absent for a new one): the commit applies only while it is still stored,
   * so two corrections of one report at once cannot both win.
   */
  save(tx: Tx, report: StoredReport, { previous }: Saved<StoredReport> = {}): void {
    const { no, userId } = report;
    const key = this.keys.reports(userId);
    tx.expect(key, no, previous ? JSON.stringify(stored(previous)) : null);
    tx.hset(key, no, JSON.stringify(stored(report)));
    if (previous) return;
    tx.hset(ownerBucket(this.keys, no), no, userId);
    const last: LastReport = { no, at: report.createdAt };
    tx.set(this.keys.lastReport(userId), JSON.stringify(last), LAST_REPORT_TTL_S);
  }

  /**
   * Stage moving the reports of `userId` filed before `before` (an ISO instant) into the archives of their years
   * (local dates), each expected unchanged. Only reports that can no longer change may go: the caller chooses
   * `before` beyond the correction and photo windows. Returns how many reports it moves.
   */
  async archive(tx: Tx, userId: string, before: string): Promise<number> {
    const key = this.keys.reports(userId);
    const all = await this.redis.hgetall(key);
    const byYear = new Map<string, { field: string; raw: string; report: StoredReport }[]>();
    for (const [field, raw] of Object.entries(all)) {
      if (isArchiveField(field)) continue;
      const report = JSON.parse(raw) as StoredReport;
      if (!(report.createdAt < before)) continue;
      const year = localDate(new Date(report.createdAt)).slice(0, 4);
      byYear.set(year, [...(byYear.get(year) ?? []), { field, raw, report }]);
    }
    let moved = 0;
    for (const [year, list] of byYear) {
      const field = archiveField(year);
      const old = all[field];
      const kept = old ? unpack(old) : [];
      const adding = new Set(list.map((l) => l.report.no));
      const reports = [...kept.filter((r) => !adding.has(r.no)), ...list.map((l) => stored(l.report))].sort(
        (a, b) => a.createdAt.localeCompare(b.createdAt) || a.no.localeCompare(b.no),
      );
      tx.expect(key, field, old ?? null);
      for (const l of list) tx.expect(key, l.field, l.raw).hdel(key, l.field);
      tx.hset(key, field, pack(reports));
      moved += list.length;
    }
    return moved;
  }

  /** Stage one photo; the update id as field makes a redelivered photo land on itself. */
  addImage(tx: Tx, userId: string, no: string, updateId: string, image: ReportImage): void {
    tx.hset(this.keys.reportImages(userId), `${no}:${updateId}`, JSON.stringify(image));
  }

  /** Photos of one cadre grouped by report number, oldest first. */
  private async imagesOf(userId: string): Promise<Map<string, ReportImage[]>> {
    const all = await this.redis.hgetall(this.keys.reportImages(userId));
    const out = new Map<string, ReportImage[]>();
    for (const [field, raw] of Object.entries(all)) {
      const no = field.slice(0, field.indexOf(':'));
      const list = out.get(no) ?? [];
      list.push(JSON.parse(raw) as ReportImage);
      out.set(no, list);
    }
    for (const list of out.values()) list.sort((a, b) => a.at.localeCompare(b.at));
    return out;
  }
}

/** What the hash holds of a report: its fields in a fixed order, without the photos. */
function stored(report: StoredReport): StoredReport {
  const { no, userId, text, tags, households, createdAt, editedAt } = report;
  return { no, userId, text, tags, households, createdAt, ...(editedAt ? { editedAt } : {}) };
}

function withImages(stored: StoredReport, images: Map<string, ReportImage[]>): Report {
  return { ...stored, images: images.get(stored.no) ?? [] };
}
