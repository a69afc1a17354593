/**
 * Version 2: every cadre of the stored roster gets an assignment history (one period over their term), so the
 * first import after the upgrade ends or moves periods that exist. Additive: the roster document is left as it
 * is, and the previous release, which never reads the histories, still runs beside this one.
 */
import { seedAssignments } from '../../roster/history.js';
import type { MigrationStep } from '../step.js';

export const assignments: MigrationStep = {
  version: 2,
  name: 'assignment histories from the roster',
  minReader: 0,
  async run(redis, keys, log, now) {
    log.info({ written: await seedAssignments(redis, keys, now) }, 'assignment histories seeded');
  },
};
