/**
 * The attendance data of many cadres in few round trips, for the county-wide figures: each cadre's presence
 * bitmaps of the years asked for (the keys `CheckinRepo` writes) and their approved leave (the approved-leave
 * index `LeaveRepo` keeps beside the requests, src/leave/day-index.ts), as the figures read it (`LeaveSpan`).
 *
 * On a single Redis the reads go out in chunks of `CHUNK` cadres, `IN_FLIGHT` chunks at a time, each chunk one
 * script call (`CHUNK_READ`) that answers with two buffers: the chunk's bitmaps one after the other, which the
 * counting reads through views of that one buffer, and its approved leave as one JSON document (the stored
 * requests themselves are not read). On a cluster, where a command
 * must stay within one hash slot, each cadre's keys (which share the person's slot) are read with one MGET and
 * one HVALS, and the client pipelines them per node.
 */
import { approvedOfEntry, byNumber } from '../leave/day-index.js';
import { script } from '../redis/script.js';
import { isCluster, type RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Assignment } from '../roster/assignments.js';
import { keptUnder } from '../redis/version-token.js';
import type { LeaveSpan } from './days.js';
import type { YearBits } from './ledger.js';

/** What to read for one cadre: the years whose bitmaps their figures touch. */
export interface AttendanceRead {
  userid: string;
  years: readonly number[];
}

/** One cadre's data as read: bitmaps by year (every year asked for, empty when never written) and approved leave. */
export interface CadreData {
  bits: Map<number, YearBits>;
  leaves: LeaveSpan[];
}

/** Cadres per pipeline on a single Redis (and per script call, which holds the server for a moment). */
export const CHUNK = 1000;

/** Chunks whose reads are out at once on a single Redis. */
const IN_FLIGHT = 3;

const EMPTY = Buffer.alloc(0);

/**
 * One chunk of cadres on a single Redis. ARGV: the parts of the key names around the userid (the prefix, the
 * suffixes of the presence, self-reported and pending bitmaps before the year, the approved-leave index's),
 * `1` to read the approved leave (empty: the caller has it), then per cadre its userid and its years
 * (`2025,2026`). Returns two strings: the cadres' bitmaps one after
 * the other (per cadre, per year: presence, self-reported, pending; each as two bytes of length and the bytes),
 * and their approved-leave index entries, one line per cadre in order, each line the cadre's entries joined
 * by commas (an entry is JSON, a few dozen bytes, never a raw line break), or nothing when not asked for. A
 * chunk's reply is then two buffers,
 * not a value per key. The key names are built here from the parts `Keys` gives (`templatesOf`) rather than sent in KEYS: on a
 * single server every key is local, and sending four names per cadre cost the client more than the reads.
 * Never used on a cluster (a script's keys must be declared and in one slot there).
 */
const CHUNK_READ = script(`
local pre, presence, selfrep, pending, leave = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local withLeave = ARGV[6] == '1'
local names, leaves = {}, {}
for i = 7, #ARGV, 2 do
  local base = pre .. ARGV[i]
  for y in string.gmatch(ARGV[i + 1], '[^,]+') do
    names[#names + 1] = base .. presence .. y
    names[#names + 1] = base .. selfrep .. y
    names[#names + 1] = base .. pending .. y
  end
  if withLeave then leaves[#leaves + 1] = table.concat(redis.call('HVALS', base .. leave), ',') end
end
local bits = {}
for from = 1, #names, 3000 do
  local values = redis.call('MGET', unpack(names, from, math.min(#names, from + 2999)))
  for j = 1, #values do
    local v = values[j]
    if v then
      local n = #v
      if n > 65535 then error('bitmap longer than 65535 bytes') end
      bits[#bits + 1] = string.char(math.floor(n / 256), n % 256)
      bits[#bits + 1] = v
    else
      bits[#bits + 1] = '\\0\\0'
    end
  end
end
return {table.concat(bits), table.concat(leaves, '\\n')}
`);

const NO_LEAVE: readonly LeaveSpan[] = Object.freeze([]) as readonly LeaveSpan[];

/** A cadre's approved leave from their decoded index entries, by request number. */
function spansOf(entries: readonly unknown[]): LeaveSpan[] {
  if (!entries.length) return NO_LEAVE as LeaveSpan[];
  return byNumber(entries.map(approvedOfEntry));
}

function bitmapKeys(keys: Keys, r: AttendanceRead): string[] {
  const out: string[] = [];
  for (const y of r.years)
    out.push(keys.presence(r.userid, y), keys.selfReported(r.userid, y), keys.selfReportPending(r.userid, y));
  return out;
}

function bitsOf(r: AttendanceRead, values: readonly (Buffer | null)[], at: number): Map<number, YearBits> {
  const bits = new Map<number, YearBits>();
  for (let j = 0, k = at; j < r.years.length; j++, k += 3)
    bits.set(r.years[j]!, {
      present: values[k] ?? EMPTY,
      selfReported: values[k + 1] ?? EMPTY,
      pending: values[k + 2] ?? EMPTY,
    });
  return bits;
}

/**
 * Read the bitmaps and approved leave of `reads` and hand each cadre's to `each` with their read, in order, as their chunk
 * arrives; a few chunks are out at once, so Redis answers while the caller counts. What `each` is handed is
 * valid during the call only (each cadre's data is dropped, or reused, once counted).
 */
export async function readAttendance<R extends AttendanceRead>(
  redis: RedisClient,
  keys: Keys,
  reads: readonly R[],
  each: (read: R, data: CadreData) => void,
): Promise<void> {
  const chunks: (readonly R[])[] = [];
  for (let i = 0; i < reads.length; i += CHUNK) chunks.push(reads.slice(i, i + CHUNK));
  if (isCluster(redis)) {
    const pending = chunks.map((chunk) =>
      Promise.all(
        chunk.map((r) => {
          const names = bitmapKeys(keys, r);
          return Promise.all([
            names.length ? redis.mgetBuffer(...names) : Promise.resolve([]),
            redis.hvals(keys.leaveDays(r.userid)),
          ]);
        }),
      ),
    );
    // Nothing rejects unheard while an earlier chunk is being awaited.
    pending.forEach((p) => p.catch(() => undefined));
    for (const [c, p] of pending.entries()) {
      const rows = await p;
      chunks[c]!.forEach((r, i) =>
        each(r, {
          bits: bitsOf(r, rows[i]![0], 0),
          leaves: spansOf(rows[i]![1].map((e) => JSON.parse(e) as unknown)),
        }),
      );
    }
    return;
  }
  if (!chunks.length) return;
  // The pipelines use the script by its hash: load it once before they go out (a fresh or restarted server).
  // The approved leave's version token is read first: what is kept under it was read no earlier than this.
  const readAt = performance.now();
  const [, leaveVersion] = await Promise.all([redis.script('LOAD', CHUNK_READ.lua), redis.get(keys.leaveVersion())]);
  const leaveSpans = lastLeave.of(redis, keys.ns);
  // A cadre's approved leave is read again unless kept from a recent read under the same token (every writer of
  // an index replaces it); a chunk whose cadres all have theirs kept reads bitmaps only.
  const keptLeave = (chunk: readonly R[]): LeaveSpan[][] | undefined => {
    if (leaveVersion === null) return undefined;
    const out: LeaveSpan[][] = [];
    for (const r of chunk) {
      const last = leaveSpans.get(r.userid);
      if (!keptUnder(leaveVersion, last, readAt)) return undefined;
      out.push(last.value);
    }
    return out;
  };
  const names = templatesOf(keys);
  // The cadres share a few lists of years: each joined once.
  const joined = new Map<readonly number[], string>();
  const yearsArg = (years: readonly number[]) => {
    let s = joined.get(years);
    if (s === undefined) joined.set(years, (s = years.join(',')));
    return s;
  };
  const send = (chunk: readonly R[]) => {
    const kept = keptLeave(chunk);
    const args: string[] = [...names.args, kept ? '' : '1'];
    for (const r of chunk) args.push(r.userid, yearsArg(r.years));
    // One array argument (the client flattens it); the reply's strings as buffers.
    const p = (redis as unknown as BufferEval).evalshaBuffer(CHUNK_READ.sha, 0, args);
    // Nothing rejects unheard while an earlier chunk is being awaited.
    p.catch(() => undefined);
    return { p, kept };
  };
  // A few chunks in flight: Redis answers the next ones while the caller counts this one, and the replies
  // waiting to be counted stay few (all of a large county's at once would outlive the young generation).
  const pending: (ReturnType<typeof send> | undefined)[] = chunks.slice(0, IN_FLIGHT).map(send);
  const bits = new Map<number, YearBits>();
  const slots: YearBits[] = [];
  for (const [c, chunk] of chunks.entries()) {
    const { p, kept } = pending[c]!;
    const [blob, leaveLines] = await p;
    if (c + IN_FLIGHT < chunks.length) pending.push(send(chunks[c + IN_FLIGHT]!));
    pending[c] = undefined;
    let line = 0;
    let at = 0;
    for (let i = 0; i < chunk.length; i++) {
      const r = chunk[i]!;
      // One map and one object per year for every cadre: what `each` is handed is valid during the call only.
      bits.clear();
      for (let j = 0; j < r.years.length; j++) {
        const b = (slots[j] ??= { present: EMPTY, selfReported: EMPTY, pending: EMPTY });
        b.present = segment(blob, at);
        at += 2 + b.present.length;
        b.selfReported = segment(blob, at);
        at += 2 + b.selfReported.length;
        b.pending = segment(blob, at);
        at += 2 + b.pending.length;
        bits.set(r.years[j]!, b);
      }
      if (kept) {
        each(r, { bits, leaves: kept[i]! });
        continue;
      }
      // The cadre's line of leave entries, compared as bytes with the last read's and decoded only when new.
      if (line > leaveLines.length) throw new Error(`approved leave of fewer than ${chunk.length} cadres`);
      let end = leaveLines.indexOf(10, line);
      if (end < 0) end = leaveLines.length;
      const read =
        end === line
          ? noLeave(leaveSpans, r.userid)
          : parsedOf(leaveSpans, r.userid, leaveLines, line, end, leaveOfLine);
      read.version = leaveVersion;
      read.at = readAt;
      line = end + 1;
      each(r, { bits, leaves: read.value });
    }
    if (!kept && line !== leaveLines.length + 1)
      throw new Error(`approved leave of ${chunk.length} cadres: ${leaveLines.length + 1 - line} bytes unread`);
    if (at !== blob.length) throw new Error(`bitmaps of ${chunk.length} cadres: ${blob.length - at} bytes unread`);
  }
}

/** A cadre's approved leave from their line of index entries (frozen: a later read may hand out the same). */
function leaveOfLine(line: string): LeaveSpan[] {
  const spans = spansOf(JSON.parse(`[${line}]`) as unknown[]);
  for (const r of spans) Object.freeze(r);
  return Object.freeze(spans) as LeaveSpan[];
}

const NO_LEAVE_SPANS = NO_LEAVE as LeaveSpan[];

/** What a process keeps of a county's reads: one value per client and namespace, made on first use. */
class PerNamespace<V> {
  private readonly byClient = new WeakMap<RedisClient, Map<string, V>>();

  constructor(private readonly make: () => V) {}

  of(redis: RedisClient, ns: string): V {
    let byNamespace = this.byClient.get(redis);
    if (!byNamespace) this.byClient.set(redis, (byNamespace = new Map()));
    let value = byNamespace.get(ns);
    if (value === undefined) byNamespace.set(ns, (value = this.make()));
    return value;
  }
}

/**
 * Values parsed from stored text, as a client last read them per namespace and userid: a read hands out the
 * value parsed last time when the stored bytes are the same (compared whole, so never stale), and decodes and
 * parses only what changed. A county's histories and approved leave change seldom, and taking them apart was a
 * large part of the figures' cost. Holds at most one value (and its bytes) per person of the namespace ever
 * read in the process; a read of every history forgets the people no longer stored. (The approved leave is also
 * handed out without a read at all while its version token is unchanged: see `readAttendance`.)
 */
type LastRead<T> = PerNamespace<Map<string, Parsed<T>>>;
const lastRead = <T>(): LastRead<T> => new PerNamespace(() => new Map<string, Parsed<T>>());

interface Parsed<T> {
  raw: Buffer;
  value: T;
  /** The version token the value was read under, and when (`performance.now()`), where the data has one. */
  version?: string | null;
  at?: number;
}

/**
 * The value of bytes `start` to `end` of `buf` for `userid`: the one parsed before when the bytes are the
 * same, else the text decoded and parsed now, and kept (with a copy of the bytes: a view would keep the whole
 * reply alive).
 */
function parsedOf<T>(
  values: Map<string, Parsed<T>>,
  userid: string,
  buf: Buffer,
  start: number,
  end: number,
  parse: (text: string) => T,
): Parsed<T> {
  const last = values.get(userid);
  if (last && last.raw.length === end - start && last.raw.compare(buf, start, end) === 0) return last;
  const read = { raw: Buffer.from(buf.subarray(start, end)), value: parse(buf.toString('utf8', start, end)) };
  values.set(userid, read);
  return read;
}

/** A cadre without approved leave, kept as read (so that a read under the same token need not ask again). */
function noLeave(values: Map<string, Parsed<LeaveSpan[]>>, userid: string): Parsed<LeaveSpan[]> {
  const last = values.get(userid);
  if (last?.value === NO_LEAVE_SPANS) return last;
  const read = { raw: EMPTY, value: NO_LEAVE_SPANS };
  values.set(userid, read);
  return read;
}

/**
 * The approved leave as last read, with the leave's version token it was read under and when: handed out again
 * without a read while the token is unchanged, for `FULL_CHECK_MS` (see `readAttendance`).
 */
const lastLeave = lastRead<LeaveSpan[]>();

/** EVALSHA answering with buffers: the client has it (as every command's `…Buffer` form), its types do not. */
interface BufferEval {
  evalshaBuffer(sha: string, numkeys: number, args: string[]): Promise<[Buffer, Buffer]>;
}

/** The value at `at` of a chunk's reply (two bytes of length, then the bytes), as a view (no copy). */
function segment(blob: Buffer, at: number): Buffer {
  const length = (blob[at]! << 8) | blob[at + 1]!;
  return length ? blob.subarray(at + 2, at + 2 + length) : EMPTY;
}

/** A key of `Keys` cut around the userid and the year it was built with: the script puts the parts together. */
function cut(make: (userid: string, year: number) => string): [string, string] {
  const key = make(ID, YEAR);
  const i = key.indexOf(ID);
  const j = key.lastIndexOf(String(YEAR));
  if (i < 0 || j !== key.length - String(YEAR).length || key.indexOf(ID, i + 1) >= 0)
    throw new Error(`unexpected key shape: ${key}`);
  return [key.slice(0, i), key.slice(i + ID.length, j)];
}

const ID = '\u0001id\u0001';
const YEAR = 917_263;

/**
 * The names of a cadre's keys that the chunk script reads, as the parts around the userid (and the year):
 * every name still comes from `Keys`; the script only joins the parts.
 */
function templatesOf(keys: Keys): { args: string[] } {
  const [pre, presence] = cut((u, y) => keys.presence(u, y));
  const [pre2, self] = cut((u, y) => keys.selfReported(u, y));
  const [pre3, pend] = cut((u, y) => keys.selfReportPending(u, y));
  const leave = keys.leaveDays(ID);
  const k = leave.indexOf(ID);
  if (pre2 !== pre || pre3 !== pre || leave.slice(0, k) !== pre) throw new Error(`unexpected key shape: ${leave}`);
  return { args: [pre, presence, self, pend, leave.slice(k + ID.length)] };
}
/** The histories as last read (see `LastRead`). */
const lastHistories = lastRead<Assignment[]>();

function historyOf(raw: string): Assignment[] {
  const history = JSON.parse(raw) as Assignment[];
  for (const a of history) Object.freeze(a);
  return Object.freeze(history) as Assignment[];
}

/** Every history as last read whole, per client and namespace, with the version token it was read under. */
const wholeHistories = new PerNamespace<{
  last?: { version: string; at: number; all: ReadonlyMap<string, readonly Assignment[]> };
}>(() => ({}));

/**
 * Every stored assignment history (userid → periods), as `readHistories` without userids gives them. While the
 * histories' version token (`Keys.assignmentsVersion`, replaced by every writer) is the one of this process's
 * last whole read, and that read is recent (`FULL_CHECK_MS`, as the roster store trusts its version), that read
 * is handed out again after one GET: a county's histories change with roster imports, and sending them whole
 * took 30 MB for 100,000 cadres. Otherwise they are read in pages: one reply of a county's whole hash is many
 * megabytes, slower to take apart than pages of a few thousand fields. The map and the histories are shared,
 * hence read-only (the histories frozen).
 */
export async function readAllHistories(
  redis: RedisClient,
  keys: Keys,
): Promise<ReadonlyMap<string, readonly Assignment[]>> {
  // Read before the pages: a write meanwhile replaces the token, so what is kept under this one is never reused.
  const version = await redis.get(keys.assignmentsVersion());
  const kept = wholeHistories.of(redis, keys.ns);
  const last = kept.last;
  if (keptUnder(version, last, performance.now())) return last.all;
  const at = performance.now();
  const all = await readHistoryPages(redis, keys);
  kept.last = version === null ? undefined : { version, at, all };
  return all;
}

/** Every stored history, read in pages of the hash. */
async function readHistoryPages(redis: RedisClient, keys: Keys): Promise<Map<string, Assignment[]>> {
  const values = lastHistories.of(redis, keys.ns);
  const out = new Map<string, Assignment[]>();
  const page = (cursor: string) => redis.hscanBuffer(keys.assignments(), cursor, 'COUNT', 2000);
  let reply = await page('0');
  for (;;) {
    const [cursor, fields] = reply;
    const next = cursor.toString();
    // The next page is asked for before this one is decoded: Redis finds it meanwhile.
    const following = next === '0' ? undefined : page(next);
    following?.catch(() => undefined);
    for (let i = 0; i < fields.length; i += 2) {
      const userid = fields[i]!.toString();
      const raw = fields[i + 1]!;
      out.set(userid, parsedOf(values, userid, raw, 0, raw.length, historyOf).value);
    }
    if (!following) break;
    reply = await following;
  }
  for (const userid of values.keys()) if (!out.has(userid)) values.delete(userid);
  return out;
}
