/**
 * workers/index.ts serves the catalogue: every job type a model uses has exactly one worker, and no worker waits
 * for a job type no model has.
 */
import { PROCESSES } from '../../processes/catalogue';
import { JOB_WORKERS } from '../../workers/index';

const modelJobTypes = [...new Set(PROCESSES.flatMap((p) => p.jobTypes as readonly string[]))].sort();

it('every job type of the catalogue has exactly one worker', () => {
  const workerTypes = JOB_WORKERS.map((w) => w.type);
  expect(workerTypes.filter((type, i) => workerTypes.indexOf(type) !== i)).toEqual([]);
  expect([...workerTypes].sort()).toEqual(modelJobTypes);
});
