/**
 * The archive of a cadre's older check-ins: the days of one year older than two days, packed by the retention job
 * into one field of the hash `{u:…}:checkins:YYYY` (next to the month hashes `…:checkins:YYYY-MM`). Days before the
 * retention cutoff are packed without their exact positions (the retention step); younger ones keep them until
 * the cutoff passes them, when the next run reduces them in the archive. The field's name says both
 * (`archiveField`): the last date the archive covers, so a reader asking for a later day knows without reading it
 * that the archive has nothing for that day, and the first date that may still hold a position.
 *
 * Packed means: per record a compact form — the time as minutes after local midnight, one number for source,
 * trust, direction, inside and counts, the distance — and anything else the record holds (positions while they
 * are kept, notes, flags, a review, fields added later) as it is; the whole year as JSON in columns, deflated (node:zlib,
 * raw deflate, a small preset dictionary) in base64 behind a version prefix: `c1:`. A record that this form does
 * not give back exactly is kept whole. A year of 300 check-ins of about 180 bytes of JSON each packs into about
 * 2.5 KB.
 *
 * The one thing not kept: the event id of a check-in from the check-in page, a LOCATION report or a location
 * message (a single-use page token valid for ten minutes, a MsgId). It serves only to count a delivered event
 * once: those events are dated when they are sent, WeCom redelivers within seconds and the core's de-duplication
 * record outlives a packed day's two days, so nothing can deliver one again for a packed day. A packed record reads
 * back with the id `packed:<date>:<n>`. Ids that can come back later are kept: WeCom 打卡
 * records (the sync may pull an old day again), back-fills, and any record under review (its number names it).
 *
 * Reading is transparent: `CheckinRepo.day` and `month` see the same records before and after packing; a day also
 * stored in its month hash (written after packing: a late back-fill, a WeCom sync) wins over its archived copy.
 *
 * NEVER change `DICTIONARY_V1` or the codes: archives written with them are read with them. A better form is a
 * `c2:` of its own, and `unpackYear` keeps reading `c1:`.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { CheckinRecord, CheckinSource, Trust } from './record.js';

/**
 * The archive's field: the last date it covers and, while it holds days that may still have exact positions
 * (packed before the retention period ended for them), `+` the first such date: `2026-12-29+2026-11-30`.
 */
export function archiveField(through: string, exactFrom?: string): string {
  return exactFrom ? `${through}+${exactFrom}` : through;
}

/** The last date an archive field covers. */
export function throughOf(field: string): string {
  return field.slice(0, 10);
}

/** The first date that may still hold exact positions in an archive field, if any. */
export function exactFromOf(field: string): string | undefined {
  return field.split('+')[1];
}

/** The records of each day an archive holds: date → records, oldest first. */
export type ArchivedDays = Map<string, CheckinRecord[]>;

const SOURCES: readonly CheckinSource[] = ['page', 'auto', 'message', 'wecom', 'backfill'];
const TRUSTS: readonly Trust[] = ['verified', 'self-reported', 'confirmed'];
/** Sources whose event id is not kept (see above). */
const TRANSIENT_ID = new Set<CheckinSource>(['page', 'auto', 'message']);
/** The fields the compact form carries; any other is kept as it is. */
const CORE = new Set(['id', 'at', 'source', 'trust', 'direction', 'distanceM', 'inside', 'counts']);
/** The order of a record's fields as the ledger writes them (`judgeCheckin`); others follow in their own order. */
const ORDER = [
  'id',
  'at',
  'source',
  'trust',
  'direction',
  'lat',
  'lng',
  'distanceM',
  'accuracyM',
  'inside',
  'counts',
  'label',
  'notes',
  'flagged',
  'review',
];
const ORDERED = new Set(ORDER);

const DICTIONARY_V1 = Buffer.from(
  '{"notes":["地点异常","非常用设备","时间异常","山里没有信号"]},{"flagged":{"kind":"speed","speedKmh":' +
    ',"since":"2026-01-01T00:00:00.000Z"}},{"review":{"status":"confirmed","no":"S-"}}],' +
    '"label":"","lat":35.,"lng":111.,"accuracyM":}],[' +
    '{"d":[1,1,1,3,1,1,1,1,3,1,1],"n":[1,1,1,2,1,1,1,1],"t":[480,490,500,510,520,900,910],"c":[90,90,97,90,90],' +
    '"m":[100,200,300,400,null],"x":[[',
  'utf8',
);

/** Seconds after local (UTC+8) midnight of `date` of the ISO instant `at`; undefined when `at` is not on it. */
function secondsOf(date: string, at: string): number | undefined {
  const ms = Date.parse(at) - Date.parse(`${date}T00:00:00+08:00`);
  return Number.isInteger(ms) && ms >= 0 && ms < 86_400_000 && ms % 1000 === 0 ? ms / 1000 : undefined;
}

function instantOf(date: string, seconds: number): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + seconds * 1000).toISOString();
}

/** The id a packed record without its own reads back with. */
export function packedId(date: string, n: number): string {
  return `packed:${date}:${n}`;
}

type Compact = [minutes: number, code: number, distanceM: number | null, id?: string | null, extra?: object];

function decodeRecord(date: string, n: number, c: Compact | CheckinRecord): CheckinRecord {
  if (!Array.isArray(c)) return c;
  const [minutes, code, distanceM, id, extra] = c;
  const source = SOURCES[code % 5]!;
  const fields: Record<string, unknown> = {
    id: id ?? packedId(date, n),
    at: instantOf(date, Math.round(minutes * 60)),
    source,
    trust: TRUSTS[Math.floor(code / 5) % 3]!,
    direction: Math.floor(code / 15) % 2 ? 'out' : 'in',
    ...(distanceM === null ? {} : { distanceM }),
    inside: Math.floor(code / 30) % 2 === 1,
    counts: Math.floor(code / 60) % 2 === 1,
    ...(extra ?? {}),
  };
  return Object.fromEntries([
    ...ORDER.filter((k) => k in fields).map((k) => [k, fields[k]]),
    ...Object.entries(fields).filter(([k]) => !ORDERED.has(k)),
  ]) as unknown as CheckinRecord;
}

/** The record as it reads back after packing: the same, minus a transient event id. Pure. */
export function asPacked(date: string, n: number, r: CheckinRecord): CheckinRecord {
  return transient(r) ? { ...r, id: packedId(date, n) } : r;
}

/** A record whose event id is not kept (an id given on an earlier packing is kept as it is). */
function transient(r: CheckinRecord): boolean {
  return TRANSIENT_ID.has(r.source) && r.review === undefined && !r.id.startsWith('packed:');
}

function encodeRecord(date: string, n: number, r: CheckinRecord): Compact | CheckinRecord {
  const seconds = secondsOf(date, r.at);
  const source = SOURCES.indexOf(r.source);
  const trust = TRUSTS.indexOf(r.trust);
  if (seconds === undefined || source < 0 || trust < 0) return r;
  const code = source + trust * 5 + (r.direction === 'out' ? 15 : 0) + (r.inside ? 30 : 0) + (r.counts ? 60 : 0);
  const extra = Object.fromEntries(Object.entries(r).filter(([k]) => !CORE.has(k)));
  const keepId = !transient(r);
  const c: Compact = [seconds / 60, code, r.distanceM ?? null];
  if (keepId || Object.keys(extra).length) c.push(keepId ? r.id : null);
  if (Object.keys(extra).length) c.push(extra);
  // Only a form that gives back exactly this record (key order included) is used; anything unusual stays whole.
  return JSON.stringify(decodeRecord(date, n, c)) === JSON.stringify(asPacked(date, n, r)) ? c : asPacked(date, n, r);
}

/**
 * What an archive holds, column by column (similar numbers next to each other deflate best): per day the days
 * since the day before (the first: since 1 January) and how many records; per compact record its minutes, code
 * and distance; for the few with an id or other fields, those by record number; records kept whole by number.
 */
interface Columns {
  d: number[];
  n: number[];
  t: number[];
  c: number[];
  m: (number | null)[];
  x: [index: number, id: string | null, extra?: object][];
  w: [index: number, record: CheckinRecord][];
}

const DAY_MS = 86_400_000;

/** Pack days of one year (date → records) into an archive value. Pure. */
export function packYear(days: ArchivedDays): string {
  const cols: Columns = { d: [], n: [], t: [], c: [], m: [], x: [], w: [] };
  let previous = Date.parse(`${[...days.keys()][0]?.slice(0, 4) ?? '2000'}-01-01T00:00:00Z`);
  let index = 0;
  for (const [date, records] of [...days].filter(([, r]) => r.length).sort(([a], [b]) => a.localeCompare(b))) {
    const at = Date.parse(`${date}T00:00:00Z`);
    cols.d.push(Math.round((at - previous) / DAY_MS));
    cols.n.push(records.length);
    previous = at;
    records.forEach((r, n) => {
      const c = encodeRecord(date, n, r);
      if (!Array.isArray(c)) cols.w.push([index, c]);
      else {
        cols.t.push(c[0]);
        cols.c.push(c[1]);
        cols.m.push(c[2]);
        if (c.length > 3) cols.x.push(c[4] === undefined ? [index, c[3] ?? null] : [index, c[3] ?? null, c[4]]);
      }
      index++;
    });
  }
  const json = Buffer.from(JSON.stringify(cols), 'utf8');
  return `c1:${deflateRawSync(json, { level: 9, dictionary: DICTIONARY_V1 }).toString('base64')}`;
}

/** The days of an archive value of `year`; throws on a value this release cannot read. */
export function unpackYear(year: string, raw: string): ArchivedDays {
  if (!raw.startsWith('c1:')) throw new Error(`not a check-in archive this release reads: ${raw.slice(0, 8)}…`);
  const json = inflateRawSync(Buffer.from(raw.slice(3), 'base64'), { dictionary: DICTIONARY_V1 });
  const cols = JSON.parse(json.toString('utf8')) as Columns;
  const whole = new Map(cols.w);
  const more = new Map(cols.x.map(([i, id, extra]) => [i, [id, ...(extra === undefined ? [] : [extra])] as const]));
  const out: ArchivedDays = new Map();
  let at = Date.parse(`${year}-01-01T00:00:00Z`);
  let index = 0;
  let k = 0;
  cols.d.forEach((delta, day) => {
    at += delta * DAY_MS;
    const date = new Date(at).toISOString().slice(0, 10);
    const records: CheckinRecord[] = [];
    for (let n = 0; n < cols.n[day]!; n++, index++) {
      const kept = whole.get(index);
      if (kept) records.push(kept);
      else {
        const compact: Compact = [cols.t[k]!, cols.c[k]!, cols.m[k]!, ...(more.get(index) ?? [])] as Compact;
        records.push(decodeRecord(date, n, compact));
        k++;
      }
    }
    out.set(date, records);
  });
  return out;
}
