/**
 * The snapshot file: gzip-compressed JSON lines, readable without this code. The first line is the header
 * (format, versions, store kind, namespace, when, how many keys), then one line per key (its name without the
 * namespace, its type, its remaining time to live and its value), then a trailer with the key count and the
 * SHA-256 of every line before it, so a truncated or altered file is refused before anything is written.
 *
 * Values are read by type, never as Redis's internal DUMP format, so a future Redis or a future version of the
 * bot can read them. A value that is valid UTF-8 is written as a JSON string; anything else (the presence
 * bitmaps) as `{"b64": "…"}`.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { StoreKind } from '../config/store-kind.js';
import { SCHEMA_VERSION } from '../migrate/version.js';

export const FORMAT_NAME = 'zhucun-backup';
/** The newest snapshot format this code writes and reads; a newer one is refused. */
export const FORMAT_VERSION = 1;
/**
 * The newest schema version of the stored data this code knows (`Keys.schemaVersion()`): the migrations' own
 * (src/migrate). A snapshot of newer data is refused; an older one is migrated after the restore.
 */
export const KNOWN_SCHEMA_VERSION = SCHEMA_VERSION;

/** A string or binary value: text as is, anything that is not UTF-8 in base64. */
export type Encoded = string | { b64: string };

export type KeyType = 'string' | 'hash' | 'set' | 'zset' | 'list' | 'stream';
export const KEY_TYPES: readonly KeyType[] = ['string', 'hash', 'set', 'zset', 'list', 'stream'];

/** One key: its name inside the namespace (`{u:LiXiaoYan}:leaves`), type, remaining ms to live, value. */
export type KeyRecord =
  | { k: string; t: 'string'; ttl?: number; v: Encoded }
  | { k: string; t: 'hash'; ttl?: number; v: [Encoded, Encoded][] }
  | { k: string; t: 'set'; ttl?: number; v: Encoded[] }
  | { k: string; t: 'zset'; ttl?: number; v: [Encoded, string][] }
  | { k: string; t: 'list'; ttl?: number; v: Encoded[] }
  | { k: string; t: 'stream'; ttl?: number; v: [string, Encoded[]][] };

export interface SnapshotHeader {
  format: typeof FORMAT_NAME;
  formatVersion: number;
  /** `Keys.schemaVersion()` when taken (0: before versioning). */
  schemaVersion: number;
  storeKind: StoreKind;
  namespace: string;
  /** ISO time the backup began. */
  takenAt: string;
  /** The bot's version (package.json) that wrote it. */
  appVersion: string;
  keys: number;
}

export interface Snapshot {
  header: SnapshotHeader;
  records: KeyRecord[];
}

interface Trailer {
  trailer: true;
  keys: number;
  sha256: string;
}

/** A snapshot file that cannot be restored: truncated, altered, not a snapshot, or from a newer version. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

/** Encode bytes as read from Redis. */
export function encode(buf: Buffer): Encoded {
  const text = buf.toString('utf8');
  return Buffer.from(text, 'utf8').equals(buf) ? text : { b64: buf.toString('base64') };
}

/** The bytes of an encoded value. */
export function decode(value: Encoded): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.b64, 'base64');
}

/** The whole file: header, one line per key, trailer; gzip-compressed. */
export function serialize(snapshot: Snapshot): Buffer {
  const lines = [JSON.stringify(snapshot.header), ...snapshot.records.map((r) => JSON.stringify(r))];
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  const trailer: Trailer = { trailer: true, keys: snapshot.records.length, sha256: hash.digest('hex') };
  return gzipSync(`${lines.join('\n')}\n${JSON.stringify(trailer)}\n`);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isEncoded = (v: unknown): boolean =>
  typeof v === 'string' || (isObject(v) && typeof v.b64 === 'string' && Object.keys(v).length === 1);
const pairsOf = (v: unknown, second: (x: unknown) => boolean) =>
  Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && isEncoded(p[0]) && second(p[1]));

/** True when a parsed line is a well-formed key record. */
function isRecord(r: unknown): r is KeyRecord {
  if (!isObject(r) || typeof r.k !== 'string' || r.k === '') return false;
  if (r.ttl !== undefined && !(Number.isInteger(r.ttl) && (r.ttl as number) > 0)) return false;
  switch (r.t) {
    case 'string':
      return isEncoded(r.v);
    case 'hash':
      return pairsOf(r.v, isEncoded);
    case 'zset':
      return pairsOf(r.v, (s) => typeof s === 'string' && !Number.isNaN(Number(s.replace(/inf$/i, 'Infinity'))));
    case 'set':
    case 'list':
      return Array.isArray(r.v) && r.v.every(isEncoded);
    case 'stream':
      return (
        Array.isArray(r.v) &&
        r.v.every(
          (e) =>
            Array.isArray(e) &&
            typeof e[0] === 'string' &&
            /^\d+-\d+$/.test(e[0]) &&
            Array.isArray(e[1]) &&
            e[1].length % 2 === 0 &&
            (e[1] as unknown[]).every(isEncoded),
        )
      );
    default:
      return false;
  }
}

function parseLine(line: string, what: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new SnapshotError(`${what} is not JSON: the file is damaged`);
  }
}

/** Check a header against what this code knows; throws SnapshotError saying what is wrong. */
function checkHeader(h: unknown, knownSchema: number): SnapshotHeader {
  if (!isObject(h) || h.format !== FORMAT_NAME) throw new SnapshotError(`not a ${FORMAT_NAME} snapshot`);
  if (typeof h.formatVersion !== 'number' || h.formatVersion > FORMAT_VERSION)
    throw new SnapshotError(
      `the snapshot's format version ${String(h.formatVersion)} is newer than this version of the bot reads (${FORMAT_VERSION}): restore it with the version that wrote it (${String(h.appVersion)}) or a newer one`,
    );
  if (typeof h.schemaVersion !== 'number' || h.schemaVersion > knownSchema)
    throw new SnapshotError(
      `the snapshot's data is at schema version ${String(h.schemaVersion)}, newer than this version of the bot knows (${knownSchema}): restore it with the version that wrote it (${String(h.appVersion)}) or a newer one`,
    );
  if (h.storeKind !== 'sandbox' && h.storeKind !== 'production')
    throw new SnapshotError(`the snapshot's header names no store kind (sandbox or production)`);
  if (typeof h.namespace !== 'string' || typeof h.takenAt !== 'string' || Number.isNaN(Date.parse(h.takenAt)))
    throw new SnapshotError('the snapshot header is incomplete (namespace, takenAt)');
  return h as unknown as SnapshotHeader;
}

/**
 * Read a whole snapshot file and check everything before any of it is used: gzip, header, versions, every
 * line, key count and checksum. `knownSchema` is the newest schema version this code knows.
 */
export function parseSnapshot(file: Buffer, knownSchema: number): Snapshot {
  let text: string;
  try {
    text = gunzipSync(file).toString('utf8');
  } catch (err) {
    throw new SnapshotError(`not a complete gzip file (truncated or not a snapshot): ${(err as Error).message}`);
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length < 2) throw new SnapshotError('the snapshot is empty or truncated (no trailer)');
  const header = checkHeader(parseLine(lines[0]!, 'the header'), knownSchema);
  const trailer = parseLine(lines.at(-1)!, 'the last line');
  if (!isObject(trailer) || trailer.trailer !== true)
    throw new SnapshotError('the snapshot is truncated: its last line is not the trailer');
  const hash = createHash('sha256');
  for (const line of lines.slice(0, -1)) hash.update(`${line}\n`);
  if (hash.digest('hex') !== trailer.sha256)
    throw new SnapshotError('the snapshot is damaged: its checksum does not match its content');
  const records = lines.slice(1, -1).map((line, i) => {
    const r = parseLine(line, `line ${i + 2}`);
    if (!isRecord(r)) throw new SnapshotError(`line ${i + 2} is not a valid key record`);
    return r;
  });
  if (records.length !== trailer.keys || records.length !== header.keys)
    throw new SnapshotError(
      `the snapshot holds ${records.length} keys but says ${String(trailer.keys)}: the file is damaged`,
    );
  return { header, records };
}
