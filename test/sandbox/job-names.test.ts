import { expect, it } from 'vitest';
import { JOBS } from '../../src/jobs/index.js';
import { JOB_NAMES } from '../../templates/sandbox.js';

it('gives every scheduled job a Chinese name on the sandbox clock panel', () => {
  expect(JOBS.map((j) => j.id).filter((id) => !JOB_NAMES[id])).toEqual([]);
});
