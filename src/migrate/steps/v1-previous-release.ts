/**
 * Version 1: the data of the release before schema versions. That release stored every key this one reads in
 * the same form, so nothing is converted: the step makes sure the one shared document everything hangs off
 * (the roster) is readable, and the runner then stamps the data as version 1. The previous release ignores the
 * stamp, so it still runs beside this one.
 */
import type { MigrationStep } from '../step.js';

export const previousRelease: MigrationStep = {
  version: 1,
  name: 'stamp data of the previous release',
  minReader: 0,
  async run(redis, keys, log) {
    const raw = await redis.get(keys.roster());
    if (raw === null) {
      log.info('no roster stored yet');
      return;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch {
      throw new Error(`${keys.roster()} is not JSON: import the roster again (\`zhucun roster import FILE\`)`);
    }
    const cadres = (doc as { cadres?: unknown } | null)?.cadres;
    if (!Array.isArray(cadres))
      throw new Error(
        `${keys.roster()} has no list of cadres: import the roster again (\`zhucun roster import FILE\`)`,
      );
    log.info({ cadres: cadres.length }, 'roster of the previous release is readable');
  },
};
