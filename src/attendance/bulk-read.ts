/**
 * The attendance data of many cadres in few round trips, for the county-wide figures: each cadre's presence
 * bitmaps of the years asked for (the keys `CheckinRepo` writes) and their approved leave (the approved-leave
 * index `LeaveRepo` keeps beside the requests, src/leave/day-index.ts), as the figures read it (`LeaveSpan`).
 *
 * On a single Redis the reads go out in pipelines of `CHUNK` cadres, `IN_FLIGHT` chunks at a time: the bitmaps
 * of a chunk in one MGET, and its approved leave through one script that joins each cadre's index entries into
 * one JSON document for the chunk (the stored requests themselves are not read). On a cluster, where a command
 * must stay within one hash slot, each cadre's keys (which share the person's slot) are read with one MGET and
 * one HVALS, and the client pipelines them per node.
 */
import { approvedOfEntry, byNumber } from '../leave/day-index.js';
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

/** Chunks whose reads are out at once on a single Redis. */
const IN_FLIGHT = 3;

const EMPTY = Buffer.alloc(0);

/**
 * KEYS: approved-leave index hashes. Returns one JSON document for them all: per key, in order, the list of its
 * entries (`[[e, e], [], [e], …]`). Each entry is a few dozen bytes: joining them costs Redis little.
 */
const LEAVE_DAYS = script(`
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = '[' .. table.concat(redis.call('HVALS', key), ',') .. ']'
end
return '[' .. table.concat(out, ',') .. ']'
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
 * Read the bitmaps and approved leave of `reads` and hand each cadre's to `each`, in order, as their chunk
 * arrives; a few chunks are out at once, so Redis answers while the caller counts. What `each` is handed is
 * valid during the call only (each cadre's data is dropped, or reused, once counted).
 */
export async function readAttendance(
  redis: RedisClient,
  keys: Keys,
  reads: readonly AttendanceRead[],
  each: (userid: string, data: CadreData) => void,
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
        each(r.userid, {
          bits: bitsOf(r, rows[i]![0], 0),
          leaves: spansOf(rows[i]![1].map((e) => JSON.parse(e) as unknown)),
        }),
      );
    }
    return;
  }
  // The pipelines use the script by its hash: load it once before they go out (a fresh or restarted server).
  if (chunks.length) await redis.script('LOAD', LEAVE_DAYS.lua);
  const send = (chunk: readonly AttendanceRead[]) => {
    const pipe = redis.pipeline();
    const names = chunk.flatMap((r) => bitmapKeys(keys, r));
    pipe.mgetBuffer(...(names.length ? names : [keys.presence(chunk[0]!.userid, 0)]));
    const leaveKeys = chunk.map((r) => keys.leaveDays(r.userid));
    pipe.evalsha(LEAVE_DAYS.sha, leaveKeys.length, ...leaveKeys);
    const p = pipe.exec();
    // Nothing rejects unheard while an earlier chunk is being awaited.
    p.catch(() => undefined);
    return p;
  };
  // A few chunks in flight: Redis answers the next ones while the caller counts this one, and the replies
  // waiting to be counted stay few (all of a large county's at once would outlive the young generation).
  const pending: (ReturnType<typeof send> | undefined)[] = chunks.slice(0, IN_FLIGHT).map(send);
  for (const [c, chunk] of chunks.entries()) {
    const replies = (await pending[c])!;
    if (c + IN_FLIGHT < chunks.length) pending.push(send(chunks[c + IN_FLIGHT]!));
    pending[c] = undefined;
    for (const [err] of replies) if (err) throw err;
    const values = replies[0]![1] as (Buffer | null)[];
    const leaves = JSON.parse(replies[1]![1] as string) as unknown[][];
    let at = 0;
    for (let i = 0; i < chunk.length; i++) {
      const r = chunk[i]!;
      each(r.userid, { bits: bitsOf(r, values, at), leaves: spansOf(leaves[i]!) });
      at += 3 * r.years.length;
    }
  }
}

/**
 * Every stored assignment history (userid → periods), as `readHistories` without userids gives them, read in
 * pages: one reply of a county's whole hash is many megabytes, slower to take apart than pages of a few
 * thousand fields.
 */
export async function readAllHistories(redis: RedisClient, keys: Keys): Promise<Map<string, Assignment[]>> {
  const out = new Map<string, Assignment[]>();
  const page = (cursor: string) => redis.hscan(keys.assignments(), cursor, 'COUNT', 2000);
  let reply = await page('0');
  for (;;) {
    const [next, fields] = reply;
    // The next page is asked for before this one is decoded: Redis finds it meanwhile.
    const following = next === '0' ? undefined : page(next);
    following?.catch(() => undefined);
    for (let i = 0; i < fields.length; i += 2) out.set(fields[i]!, JSON.parse(fields[i + 1]!) as Assignment[]);
    if (!following) return out;
    reply = await following;
  }
}
