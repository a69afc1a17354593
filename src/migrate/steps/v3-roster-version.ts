/**
 * Version 3: the stored roster document gets its version (its SHA-1), by which instances revalidate their cached
 * roster with one short read per update instead of reading the whole document. Additive: the previous release
 * never reads the version and keeps running beside this one (this one still compares the whole document now and
 * then, so an import by that release is noticed).
 */
import { rosterVersion } from '../../roster/version.js';
import type { MigrationStep } from '../step.js';

export const rosterVersionStep: MigrationStep = {
  version: 3,
  name: 'roster document version',
  minReader: 0,
  async run(redis, keys, log) {
    const raw = await redis.get(keys.roster());
    if (raw === null) return;
    await redis.set(keys.rosterVersion(), rosterVersion(raw));
    log.info('roster version written');
  },
};
