/**
 * Everything the bot keeps about one person, gathered for `zhucun person export` (the PIPL right of access).
 * A person's own records live under their hash tag (`{u:USERID}`): they are found by a cursor SCAN of that tag,
 * so a kind of record added later is exported too (under `other`) without this file knowing it. From the
 * shared documents only what concerns them is taken: their roster entry, the announcements sent to them with
 * their receipt (not the other recipients), their warning-ladder notices, the push log entries to them, their
 * periods in post, and the audit entries of what they did or what concerned them.
 */
import { dateOfDay } from '../kit/dates.js';
import { AnnounceRepo } from '../announce/repo.js';
import { readAudit } from '../audit/read.js';
import type { AuditEntry } from '../audit/trail.js';
import { bitSet } from '../attendance/ledger.js';
import { isCluster, type RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Assignment } from '../roster/assignments.js';
import { readHistories } from '../roster/history.js';
import type { Roster } from '../roster/roster.js';
import { reportsOf } from '../reports/archive.js';
import { unpackYear } from '../attendance/ledger-archive.js';
import { requestsOfHash } from '../leave/repo.js';
import { PushLogRepo, type PushEntry } from '../schedule/push-log.js';
import { WarningRepo } from '../warnings/store.js';

export interface PersonData {
  userid: string;
  exportedAt: string;
  roster: { person: unknown } | null;
  checkins: Record<string, unknown[]>;
  presence: Record<string, { present: string[]; selfReported: string[] }>;
  leaves: unknown[];
  backfills: unknown[];
  reports: unknown[];
  reportImages: Record<string, unknown>;
  rectifyReplies: Record<string, unknown>;
  approvalInbox: string[];
  announcements: {
    no: string;
    text: string;
    sender: string;
    senderName: string;
    createdAt: string;
    readAt: string | null;
  }[];
  warnings: { month: string; stage: string; at: string }[];
  pushes: Omit<PushEntry, 'userId'>[];
  /** Their periods in post (village, term, first and last day, why it ended). */
  assignments: Assignment[];
  /** Audit entries of what they decided or what concerned them (approvals of their leave, …). */
  audit: AuditEntry[];
  /** Any other record under the person's tag (recent replies kept for de-duplication, …), by key suffix. */
  other: Record<string, unknown>;
}

/** A WeCom userid as the export accepts it: letters, digits and `_ - . @` (no glob or hash-tag characters). */
export const USERID = /^[A-Za-z0-9_.@-]{1,64}$/;

const parse = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

async function scanKeys(redis: RedisClient, match: string): Promise<string[]> {
  const nodes = isCluster(redis) ? redis.nodes('master') : [redis];
  const out: string[] = [];
  for (const node of nodes)
    for await (const batch of node.scanStream({ match, count: 1000 })) out.push(...(batch as string[]));
  return [...new Set(out)].sort();
}

/** The days of `year` whose bit is set in a presence bitmap. */
function bitDates(year: number, buf: Buffer | null): string[] {
  const out: string[] = [];
  for (let i = 0; buf && i < buf.length * 8; i++) if (bitSet(buf, i)) out.push(dateOfDay(year, i));
  return out.filter((d) => d.startsWith(String(year)));
}

/** Any key's value, by its type. */
async function dump(redis: RedisClient, key: string): Promise<unknown> {
  const type = await redis.type(key);
  if (type === 'string') return parse((await redis.get(key)) ?? '');
  if (type === 'hash')
    return Object.fromEntries(Object.entries(await redis.hgetall(key)).map(([f, v]) => [f, parse(v)]));
  if (type === 'set') return (await redis.smembers(key)).sort();
  if (type === 'list') return (await redis.lrange(key, 0, -1)).map(parse);
  if (type === 'zset') return await redis.zrange(key, 0, -1);
  return null;
}

/** Gather one person's data; `roster` is the current roster (the person may have left it). */
export async function personData(
  redis: RedisClient,
  keys: Keys,
  roster: Roster,
  userid: string,
  now: Date,
): Promise<PersonData> {
  const doc: PersonData = {
    userid,
    exportedAt: now.toISOString(),
    roster: roster.person(userid) ? { person: roster.person(userid) } : null,
    checkins: {},
    presence: {},
    leaves: [],
    backfills: [],
    reports: [],
    reportImages: {},
    rectifyReplies: {},
    approvalInbox: [],
    announcements: [],
    warnings: [],
    pushes: [],
    assignments: [],
    audit: [],
    other: {},
  };
  const prefix = `${keys.ns}:{${keys.userTag(userid)}}:`;
  const archived = new Map<string, unknown[]>();
  for (const key of await scanKeys(redis, `${prefix}*`)) {
    const [kind, ...rest] = key.slice(prefix.length).split(':');
    const arg = rest.join(':');
    if (kind === 'busy') continue; // a lock held for a few seconds, no data
    if (kind === 'checkins' && /^\d{4}$/.test(arg)) {
      // Older days packed into the year's archive (src/attendance/ledger-archive.ts); a day also in its month
      // hash was written after packing, and that version is the day's.
      for (const raw of await redis.hvals(key))
        for (const [date, records] of unpackYear(arg, raw)) archived.set(date, records);
    } else if (kind === 'checkins') {
      for (const [date, raw] of Object.entries(await redis.hgetall(key)))
        doc.checkins[date] = JSON.parse(raw) as unknown[];
    } else if (kind === 'presence' || kind === 'selfrep') {
      const year = (doc.presence[arg] ??= { present: [], selfReported: [] });
      year[kind === 'presence' ? 'present' : 'selfReported'] = bitDates(Number(arg), await redis.getBuffer(key));
    } else if (kind === 'reports') {
      // Older reports are packed by year (src/reports/archive.ts): the export shows every one in full.
      doc.reports = reportsOf(await redis.hvals(key));
    } else if (kind === 'leaves') {
      // Ended requests are packed into one field (src/leave/repo.ts): the export shows every one in full.
      doc.leaves = requestsOfHash(await redis.hgetall(key));
    } else if (kind === 'backfills') {
      doc[kind] = (await redis.hvals(key)).map(parse);
    } else if (kind === 'reportimages') {
      doc.reportImages = (await dump(redis, key)) as Record<string, unknown>;
    } else if (kind === 'rectify') {
      doc.rectifyReplies = (await dump(redis, key)) as Record<string, unknown>;
    } else if (kind === 'inbox') {
      doc.approvalInbox = (await redis.smembers(key)).sort();
    } else {
      doc.other[key.slice(prefix.length)] = await dump(redis, key);
    }
  }
  for (const [date, records] of archived) doc.checkins[date] ??= records;
  doc.checkins = Object.fromEntries(Object.entries(doc.checkins).sort(([a], [b]) => a.localeCompare(b)));

  const ann = new AnnounceRepo(redis, keys);
  for (const no of (await redis.zrange(keys.announcements(), 0, -1)).reverse()) {
    const a = await ann.get(no);
    if (!a?.recipients.includes(userid)) continue;
    const readAt = (await ann.readAt(no, userid)) ?? null;
    doc.announcements.push({
      no: a.no,
      text: a.text,
      sender: a.sender,
      senderName: a.senderName,
      createdAt: a.createdAt,
      readAt,
    });
  }
  doc.warnings = (await new WarningRepo(redis, keys).all())
    .filter((w) => w.userId === userid)
    .map(({ month, stage, at }) => ({ month, stage, at }));
  const log = new PushLogRepo(redis, keys);
  const months = (await scanKeys(redis, keys.pushLog('*'))).map((k) => k.slice(k.lastIndexOf(':') + 1));
  for (const month of months) {
    for (const { userId, ...entry } of await log.month(month)) if (userId === userid) doc.pushes.push(entry);
  }
  doc.pushes.sort((a, b) => a.at.localeCompare(b.at));
  doc.assignments = (await readHistories(redis, keys, [userid])).get(userid) ?? [];
  doc.audit = (await readAudit(redis, keys, { users: [userid] })).entries;
  return doc;
}

/** Whether the store holds nothing at all about the person (not on the roster, no records). */
export function isEmpty(doc: PersonData): boolean {
  const { userid: _u, exportedAt: _e, ...rest } = doc;
  return Object.values(rest).every(
    (v) => v === null || (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0),
  );
}
