/**
 * Every job worker of the platform, one per job type of processes/catalogue.ts (test/workers checks that each
 * job type has exactly one).
 */
import type { JobWorkerDefinition } from './jobWorker';

export const JOB_WORKERS: readonly JobWorkerDefinition<any>[] = [];
