/**
 * The attendance data of many cadres in few round trips, for the county-wide figures: each cadre's presence
 * bitmaps of the years asked for (the keys `CheckinRepo` writes) and their approved leave (the hash `LeaveRepo`
 * writes), reduced to what the figures read (`LeaveSpan`).
 *
 * On a single Redis the reads go out in pipelines of `CHUNK` cadres, all sent at once: the bitmaps of a chunk
 * in one MGET, and its leave through one script that decodes the requests on the server and sends back the
 * approved ones' dates and types as one JSON document, a fraction of the requests' size. On a cluster, where a
 * command must stay within one hash slot, each cadre's keys (which share the person's slot) are read with one
 * MGET and one HVALS, and the client pipelines them per node.
 */
import { LEAVE_ARCHIVE, requestsOfHash, unpackLeaves } from '../leave/repo.js';
import type { LeaveRequest } from '../leave/workflow.js';
import { script } from '../redis/script.js';
import { isCluster, type RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Assignment } from '../roster/assignments.js';
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

const EMPTY = Buffer.alloc(0);

/**
 * KEYS: leave hashes. Returns, as JSON, `[rows, packed]`: per hash the approved requests as
 * `[no, type, class, start, end, returnedOn|false, halfStart, halfEnd]` (an empty list may come as `{}`), and
 * per hash the packed archive of ended requests (`LEAVE_ARCHIVE`, deflated: unpacked here) or false.
 */
const APPROVED_LEAVE = script(`
local out, packed = {}, {}
for i, key in ipairs(KEYS) do
  local mine = {}
  packed[i] = false
  local all = redis.call('HGETALL', key)
  for j = 1, #all, 2 do
    if all[j] == '${LEAVE_ARCHIVE}' then
      packed[i] = all[j + 1]
    else
      local r = cjson.decode(all[j + 1])
      if r.status == 'approved' then
        local ret = r.returnedOn
        if type(ret) ~= 'string' then ret = false end
        mine[#mine + 1] = { r.no, r.type, r.class, r.start, r['end'], ret, r.halfStart == true, r.halfEnd == true }
      end
    end
  end
  out[i] = mine
end
return cjson.encode({out, packed})
`);

type LeaveRow = [string, string, LeaveRequest['class'], string, string, string | false, boolean, boolean];

function spanOfRow([no, type, cls, start, end, returnedOn, halfStart, halfEnd]: LeaveRow): LeaveSpan {
  return {
    no,
    type,
    class: cls,
    start,
    end,
    status: 'approved',
    ...(returnedOn !== false ? { returnedOn } : {}),
    ...(halfStart ? { halfStart: true as const } : {}),
    ...(halfEnd ? { halfEnd: true as const } : {}),
  };
}

/** The approved requests among `requests`, as `LeaveSpan`s. */
function approvedOf(requests: readonly LeaveRequest[]): LeaveSpan[] {
  const out: LeaveSpan[] = [];
  for (const r of requests) {
    if (r.status !== 'approved') continue;
    const ret = typeof r.returnedOn === 'string' ? r.returnedOn : false;
    out.push(spanOfRow([r.no, r.type, r.class, r.start, r.end, ret, r.halfStart === true, r.halfEnd === true]));
  }
  return out;
}

function bitmapKeys(keys: Keys, r: AttendanceRead): string[] {
  const out: string[] = [];
  for (const y of r.years)
    out.push(keys.presence(r.userid, y), keys.selfReported(r.userid, y), keys.selfReportPending(r.userid, y));
  return out;
}

function bitsOf(r: AttendanceRead, values: readonly (Buffer | null)[], at: number): Map<number, YearBits> {
  const bits = new Map<number, YearBits>();
  r.years.forEach((y, j) => {
    const k = at + 3 * j;
    bits.set(y, { present: values[k] ?? EMPTY, selfReported: values[k + 1] ?? EMPTY, pending: values[k + 2] ?? EMPTY });
  });
  return bits;
}

/** One chunk of cadres as read, in the order asked. */
export type AttendanceChunk = [userid: string, data: CadreData][];

/**
 * Read the bitmaps and approved leave of `reads` and hand them to `each` a chunk at a time, in order; every
 * request is sent before the first chunk is handed over, so Redis answers while the caller counts.
 */
export async function readAttendance(
  redis: RedisClient,
  keys: Keys,
  reads: readonly AttendanceRead[],
  each: (chunk: AttendanceChunk) => void,
): Promise<void> {
  const chunks: (readonly AttendanceRead[])[] = [];
  for (let i = 0; i < reads.length; i += CHUNK) chunks.push(reads.slice(i, i + CHUNK));
  if (isCluster(redis)) {
    const pending = chunks.map((chunk) =>
      Promise.all(
        chunk.map((r) => {
          const names = bitmapKeys(keys, r);
          return Promise.all([
            names.length ? redis.mgetBuffer(...names) : Promise.resolve([]),
            redis.hgetall(keys.leaves(r.userid)),
          ]);
        }),
      ),
    );
    // Nothing rejects unheard while an earlier chunk is being awaited.
    pending.forEach((p) => p.catch(() => undefined));
    for (const [c, p] of pending.entries()) {
      const rows = await p;
      each(
        chunks[c]!.map((r, i) => [
          r.userid,
          { bits: bitsOf(r, rows[i]![0], 0), leaves: approvedOf(requestsOfHash(rows[i]![1])) },
        ]),
      );
    }
    return;
  }
  // The pipelines use the script by its hash: load it once before they go out (a fresh or restarted server).
  if (chunks.length) await redis.script('LOAD', APPROVED_LEAVE.lua);
  const pending = chunks.map((chunk) => {
    const pipe = redis.pipeline();
    const names = chunk.flatMap((r) => bitmapKeys(keys, r));
    pipe.mgetBuffer(...(names.length ? names : [keys.presence(chunk[0]!.userid, 0)]));
    const leaveKeys = chunk.map((r) => keys.leaves(r.userid));
    pipe.evalsha(APPROVED_LEAVE.sha, leaveKeys.length, leaveKeys);
    return pipe.exec();
  });

  pending.forEach((p) => p.catch(() => undefined));
  for (const [c, p] of pending.entries()) {
    const replies = (await p)!;
    for (const [err] of replies) if (err) throw err;
    const values = replies[0]![1] as (Buffer | null)[];
    const [leaves, packed] = JSON.parse(replies[1]![1] as string) as [
      (LeaveRow[] | Record<string, never>)[],
      (string | false)[],
    ];
    let at = 0;
    each(
      chunks[c]!.map((r, i) => {
        const rows = leaves[i];
        const archive = packed[i];
        const spans = Array.isArray(rows) ? rows.map(spanOfRow) : [];
        // A request stored on its own as well as in the archive was written after packing: its own wins.
        if (archive) spans.push(...approvedOf(unpackLeaves(archive).filter((r) => !spans.some((s) => s.no === r.no))));
        const data = { bits: bitsOf(r, values, at), leaves: spans };
        at += 3 * r.years.length;
        return [r.userid, data];
      }),
    );
  }
}

/**
 * Every stored assignment history (userid → periods), as `readHistories` without userids gives them, read in
 * pages: one reply of a county's whole hash is many megabytes, slower to take apart than pages of a few
 * thousand fields.
 */
export async function readAllHistories(redis: RedisClient, keys: Keys): Promise<Map<string, Assignment[]>> {
  const out = new Map<string, Assignment[]>();
  let cursor = '0';
  do {
    const [next, fields] = await redis.hscan(keys.assignments(), cursor, 'COUNT', 2000);
    for (let i = 0; i < fields.length; i += 2) out.set(fields[i]!, JSON.parse(fields[i + 1]!) as Assignment[]);
    cursor = next;
  } while (cursor !== '0');
  return out;
}
