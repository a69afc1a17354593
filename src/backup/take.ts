/**
 * Taking a snapshot (`zhucun backup`, the backup job): read the namespace, write the file next to its final
 * name and rename it into place (a crash never leaves a half-written snapshot under the final name), readable
 * by its owner only (it holds personal data), and record it in the audit trail.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { appendAudit, type AuditChannel } from '../audit/trail.js';
import { storeState, type StoreKind } from '../config/store-kind.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { FORMAT_NAME, FORMAT_VERSION, serialize, type Snapshot } from './format.js';
import { readNamespace } from './read.js';
import { readSchemaVersion } from '../migrate/version.js';

/** The bot's version, from package.json. */
export function appVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The schema version of the stored data (`Keys.schemaVersion()`; absent: 0, before versioning). */
export async function storedSchemaVersion(redis: RedisClient, keys: Keys): Promise<number> {
  return (await readSchemaVersion(redis, keys)).version;
}

/** What kind of store this is: its marker, or what its data looks like; an empty one counts as production. */
async function kindOf(redis: RedisClient, keys: Keys): Promise<StoreKind> {
  const state = await storeState(redis, keys);
  return 'marked' in state ? state.marked : 'unmarked' in state ? state.unmarked : 'production';
}

/** Read the namespace into a snapshot; `now` is when it began (the header's takenAt). */
export async function takeSnapshot(redis: RedisClient, keys: Keys, now: Date): Promise<Snapshot> {
  const schemaVersion = await storedSchemaVersion(redis, keys);
  const storeKind = await kindOf(redis, keys);
  const records = await readNamespace(redis, keys);
  return {
    header: {
      format: FORMAT_NAME,
      formatVersion: FORMAT_VERSION,
      schemaVersion,
      storeKind,
      namespace: keys.ns,
      takenAt: now.toISOString(),
      appVersion: appVersion(),
      keys: records.length,
    },
    records,
  };
}

/** Write bytes to `path` through a temporary file in the same folder and a rename; mode 0600. */
export async function writePrivateFile(path: string, data: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 }); // a folder made here is its owner's only
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  const file = await open(tmp, 'wx', 0o600);
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (err) {
    await file.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await file.close();
  try {
    await chmod(tmp, 0o600); // whatever the umask
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export interface TakenBackup {
  file: string;
  header: Snapshot['header'];
  bytes: number;
}

/**
 * Take a snapshot into `file` and record `backup.take` in the audit trail. `actor`/`channel`: who asked
 * (`cli:<user>@<host>` on the command line, `job:backup` for the schedule).
 */
export async function takeBackup(
  redis: RedisClient,
  keys: Keys,
  opts: { file: string; now: Date; actor: string; channel: AuditChannel },
): Promise<TakenBackup> {
  const snapshot = await takeSnapshot(redis, keys, opts.now);
  const data = serialize(snapshot);
  await writePrivateFile(opts.file, data);
  await appendAudit(redis, keys, {
    kind: 'backup.take',
    actor: opts.actor,
    channel: opts.channel,
    at: opts.now.getTime(),
    id: `backup.take:${keys.ns}:${opts.now.toISOString()}:${basename(opts.file)}`,
    ref: basename(opts.file),
    summary: `${snapshot.header.keys} keys`,
  });
  return { file: opts.file, header: snapshot.header, bytes: data.length };
}
