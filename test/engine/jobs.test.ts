/**
 * Job workers through the gateway: activation (batch size, variables, worker, deadline, headers), long polling,
 * job streams, time-outs, failing with retries and back-off, and completion races. Jobs are driven with
 * zeebe-node's raw calls, and with @grpc/grpc-js where zeebe-node hides the answer (empty polls, job streams).
 * What the engine did is read from its exported records.
 */
import { status as grpcStatus } from '@grpc/grpc-js';
import type { EngineRecord } from '../../engine/records';
import { startInstance, taskProcess } from '../support/bpmn';
import { deployXml, useTestEngine } from '../support/engineHarness';
import { grpcErrorOf, useRawGateway } from '../support/rawGateway';
import { ofType, waitForCompletion, waitForRecords } from '../support/records';

const suite = useTestEngine();
const raw = useRawGateway(suite);

/** start -> task (job type `jobType`) -> end; `extensions` go into the task's extensionElements. */
async function deployTaskProcess(processId: string, jobType: string, task: { retries?: number; extensions?: string } = {}) {
  await deployXml(suite.zbc, `${processId}.bpmn`, taskProcess(processId, jobType, task));
}

function jobRecordsOf(records: EngineRecord[], intent?: string): EngineRecord[] {
  return records.filter((r) => r.valueType === 'JOB' && (intent === undefined || r.intent === intent));
}

/** The key of the instance's job once its JOB CREATED record is committed. */
async function createdJobKey(processInstanceKey: string): Promise<string> {
  const [created] = await waitForRecords(suite.engine, processInstanceKey, ofType('JOB', 'CREATED'), {
    description: `a job of instance ${processInstanceKey}`,
  });
  return created.key;
}

/** JOB_BATCH ACTIVATED records that handed out `jobKey`, in stream order. */
async function activationsOf(jobKey: string): Promise<EngineRecord[]> {
  const records = await suite.engine.records.byPositionRange(0, Number.MAX_SAFE_INTEGER, { valueTypes: ['JOB_BATCH'] });
  return records.filter((r) => r.intent === 'ACTIVATED' && (r.value.jobKeys as string[]).includes(jobKey));
}

function grpcCode(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}

describe('ActivateJobs', () => {
  it('hands out at most maxJobsToActivate jobs per request, each job once', async () => {
    const type = 'jobs-batch-size';
    await deployTaskProcess('jobs-batch-size', type);
    const instances = [];
    for (let i = 0; i < 3; i++) instances.push(await startInstance(suite.zbc, 'jobs-batch-size', { n: i }));
    const created = await Promise.all(instances.map(createdJobKey));

    const first = await suite.zbc.activateJobs({ type, worker: 'w', timeout: 60_000, maxJobsToActivate: 2, requestTimeout: 2000 });
    const second = await suite.zbc.activateJobs({ type, worker: 'w', timeout: 60_000, maxJobsToActivate: 2, requestTimeout: 2000 });
    const third = await raw.activateJobs({ type, maxJobsToActivate: 2, requestTimeout: -1 });

    expect(first).toHaveLength(2);
    expect(second).toHaveLength(1);
    expect(third.jobs).toHaveLength(0);
    const handedOut = [...first, ...second].map((job) => job.key);
    expect(new Set(handedOut).size).toBe(3);
    expect([...handedOut].sort()).toEqual([...created].sort());
  });

  it('returns only the variables named in fetchVariable, or all visible ones without it', async () => {
    const type = 'jobs-fetch-variables';
    await deployTaskProcess('jobs-fetch-variables', type);
    const variables = { customerId: 'C-10010', plan: '5G-129', balance: 12.5, tags: ['vip'] };
    await createdJobKey(await startInstance(suite.zbc, 'jobs-fetch-variables', variables));
    await createdJobKey(await startInstance(suite.zbc, 'jobs-fetch-variables', variables));

    const [picked] = await suite.zbc.activateJobs({
      type,
      worker: 'w',
      timeout: 60_000,
      maxJobsToActivate: 1,
      fetchVariable: ['customerId', 'balance', 'notThere'],
      requestTimeout: 2000,
    });
    const [all] = await suite.zbc.activateJobs({ type, worker: 'w', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 2000 });

    expect(picked.variables).toEqual({ customerId: 'C-10010', balance: 12.5 });
    expect(all.variables).toEqual(variables);
  });

  it('records the worker, sets the deadline to activation time + timeout and passes zeebe:taskHeaders', async () => {
    const type = 'jobs-worker-deadline';
    await deployTaskProcess('jobs-worker-deadline', type, {
      extensions: `<zeebe:taskHeaders>
        <zeebe:header key="channel" value="hotline-10010" />
        <zeebe:header key="priority" value="high" />
      </zeebe:taskHeaders>`,
    });
    const processInstanceKey = await startInstance(suite.zbc, 'jobs-worker-deadline');
    await createdJobKey(processInstanceKey);
    const wallBefore = Date.now();

    const [job] = await suite.zbc.activateJobs({
      type,
      worker: 'billing-worker-7',
      timeout: 45_000,
      maxJobsToActivate: 1,
      requestTimeout: 2000,
    });

    expect(job.worker).toBe('billing-worker-7');
    expect(job.customHeaders).toEqual({ channel: 'hotline-10010', priority: 'high' });
    expect(job.processInstanceKey).toBe(processInstanceKey);
    expect(job.elementId).toBe('task');
    const [activation] = await activationsOf(job.key);
    expect(activation.value.worker).toBe('billing-worker-7');
    expect(activation.value.timeout).toBe(45_000);
    // The deadline is engine time at activation plus the timeout (engine time never runs behind the wall clock).
    expect(Number(job.deadline)).toBe(activation.timestamp + 45_000);
    expect(Number(job.deadline)).toBeGreaterThanOrEqual(wallBefore + 45_000);
  });

  it('long poll: a request waiting with requestTimeout gets a job created after it started', async () => {
    const type = 'jobs-long-poll';
    await deployTaskProcess('jobs-long-poll', type);
    const started = Date.now();
    const polling = suite.zbc.activateJobs({ type, worker: 'poller', timeout: 60_000, maxJobsToActivate: 5, requestTimeout: 5000 });

    await new Promise((resolve) => setTimeout(resolve, 300));
    const processInstanceKey = await startInstance(suite.zbc, 'jobs-long-poll', { ticket: 'T-1' });
    const jobs = await polling;
    const elapsed = Date.now() - started;

    expect(jobs).toHaveLength(1);
    expect(jobs[0].processInstanceKey).toBe(processInstanceKey);
    expect(jobs[0].worker).toBe('poller');
    expect(jobs[0].variables).toEqual({ ticket: 'T-1' });
    // It waited for the job, and was answered as soon as the job existed, long before its requestTimeout.
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(4000);
  });

  it('long poll: a poll answered with a job leaves no time-out pending behind it', async () => {
    const type = 'jobs-long-poll-release';
    await deployTaskProcess('jobs-long-poll-release', type);
    const pendingTimeouts = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = pendingTimeouts();
    const polls = 20;
    for (let i = 0; i < polls; i++) {
      const polling = suite.zbc.activateJobs({ type, worker: 'poller', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 30));
      await startInstance(suite.zbc, 'jobs-long-poll-release', { i });
      expect(await polling).toHaveLength(1);
    }
    // Each answered poll used to keep its 60 s time-out, and with it the finished call, alive.
    expect(pendingTimeouts() - before).toBeLessThan(polls / 2);
  });

  it('long poll: when requestTimeout runs out the call ends without any job', async () => {
    const outcome = await raw.activateJobs({ type: 'jobs-nobody-creates-these', requestTimeout: 400 });

    expect(outcome.code).toBe(grpcStatus.OK);
    expect(outcome.jobs).toEqual([]);
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(350);
    expect(outcome.elapsedMs).toBeLessThan(3000);
  });

  it('a negative requestTimeout answers at once: nothing when there is no job, the job when there is one', async () => {
    const type = 'jobs-no-wait';
    const empty = await raw.activateJobs({ type, requestTimeout: -1 });
    expect(empty.code).toBe(grpcStatus.OK);
    expect(empty.jobs).toEqual([]);
    expect(empty.elapsedMs).toBeLessThan(1000);

    await deployTaskProcess('jobs-no-wait', type);
    const jobKey = await createdJobKey(await startInstance(suite.zbc, 'jobs-no-wait'));
    const found = await raw.activateJobs({ type, requestTimeout: -1 });
    expect(found.code).toBe(grpcStatus.OK);
    expect(found.jobs.map((job) => job.key)).toEqual([jobKey]);
  });
});

describe('StreamActivatedJobs', () => {
  it('pushes jobs to an open stream as they are created, and stops when the stream is closed', async () => {
    const type = 'jobs-streamed';
    await deployTaskProcess('jobs-streamed', type);
    const stream = raw.streamJobs({ type, worker: 'stream-worker', timeout: 30_000, fetchVariable: ['ticket'] });
    try {
      // Give the gateway a moment to register the stream before any job exists.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const first = await startInstance(suite.zbc, 'jobs-streamed', { ticket: 'T-100', note: 'not fetched' });
      const pushedFirst = await stream.next();
      const second = await startInstance(suite.zbc, 'jobs-streamed', { ticket: 'T-200', note: 'not fetched' });
      const pushedSecond = await stream.next();

      expect(pushedFirst.processInstanceKey).toBe(first);
      expect(pushedSecond.processInstanceKey).toBe(second);
      for (const [job, ticket] of [
        [pushedFirst, 'T-100'],
        [pushedSecond, 'T-200'],
      ] as const) {
        expect(job.worker).toBe('stream-worker');
        expect(JSON.parse(job.variables)).toEqual({ ticket });
        const [activation] = await activationsOf(job.key);
        expect(Number(job.deadline)).toBe(activation.timestamp + 30_000);
      }
      // Pushed jobs are activated: a poll does not get them too.
      expect((await raw.activateJobs({ type, requestTimeout: -1 })).jobs).toEqual([]);

      await suite.zbc.completeJob({ jobKey: pushedFirst.key, variables: { handled: 1 } });
      await suite.zbc.completeJob({ jobKey: pushedSecond.key, variables: { handled: 2 } });
      await waitForCompletion(suite.engine, first);
      await waitForCompletion(suite.engine, second);
    } finally {
      stream.close();
    }

    await new Promise((resolve) => setTimeout(resolve, 200));
    const third = await startInstance(suite.zbc, 'jobs-streamed', { ticket: 'T-300' });
    const polled = await raw.activateJobs({ type, requestTimeout: 3000 });
    expect(polled.jobs.map((job) => job.processInstanceKey)).toEqual([third]);
    expect(stream.pending()).toEqual([]);
  });
});

describe('job time-out', () => {
  it('makes an activated job that was not completed activatable again after its timeout, for another worker', async () => {
    const type = 'jobs-timeout';
    await deployTaskProcess('jobs-timeout', type);
    const processInstanceKey = await startInstance(suite.zbc, 'jobs-timeout');
    const jobKey = await createdJobKey(processInstanceKey);

    const [taken] = await suite.zbc.activateJobs({ type, worker: 'slow-worker', timeout: 5000, maxJobsToActivate: 1, requestTimeout: 2000 });
    expect(taken.key).toBe(jobKey);
    expect((await raw.activateJobs({ type, requestTimeout: -1 })).jobs).toEqual([]);

    await suite.engine.advanceClock(6000);
    const [again] = await suite.zbc.activateJobs({ type, worker: 'second-worker', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 3000 });

    expect(again.key).toBe(jobKey);
    expect(again.worker).toBe('second-worker');
    await suite.zbc.completeJob({ jobKey, variables: {} });
    const records = await waitForCompletion(suite.engine, processInstanceKey);
    expect(jobRecordsOf(records).map((r) => r.intent)).toEqual(['CREATED', 'TIMED_OUT', 'COMPLETED']);
    const activations = await activationsOf(jobKey);
    expect(activations.map((r) => r.value.worker)).toEqual(['slow-worker', 'second-worker']);
    const timedOut = jobRecordsOf(records, 'TIMED_OUT')[0];
    expect(timedOut.position).toBeGreaterThan(activations[0].position);
    expect(timedOut.position).toBeLessThan(activations[1].position);
  });
});

describe('FailJob', () => {
  it('with retries left and no back-off makes the job activatable again at once, with the new retries', async () => {
    const type = 'jobs-fail-retry';
    await deployTaskProcess('jobs-fail-retry', type, { retries: 3 });
    const processInstanceKey = await startInstance(suite.zbc, 'jobs-fail-retry');
    await createdJobKey(processInstanceKey);

    const [job] = await suite.zbc.activateJobs({ type, worker: 'w', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 2000 });
    expect(job.retries).toBe(3);
    await suite.zbc.failJob({ jobKey: job.key, retries: 2, errorMessage: 'CRM answered 503', retryBackOff: 0 });
    const retried = await raw.activateJobs({ type, requestTimeout: -1 });

    expect(retried.jobs.map((j) => [j.key, j.retries])).toEqual([[job.key, 2]]);
    const failed = jobRecordsOf(await suite.engine.recordsOf(processInstanceKey), 'FAILED');
    expect(failed).toHaveLength(1);
    expect(failed[0].value).toMatchObject({ retries: 2, errorMessage: 'CRM answered 503' });
  });

  it('with a retryBackOff keeps the job back until the back-off has passed', async () => {
    const type = 'jobs-fail-backoff';
    await deployTaskProcess('jobs-fail-backoff', type, { retries: 3 });
    const processInstanceKey = await startInstance(suite.zbc, 'jobs-fail-backoff');
    const jobKey = await createdJobKey(processInstanceKey);

    await suite.zbc.activateJobs({ type, worker: 'w', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 2000 });
    await suite.zbc.failJob({ jobKey, retries: 2, errorMessage: 'billing system busy', retryBackOff: 30_000 });

    expect((await raw.activateJobs({ type, requestTimeout: -1 })).jobs).toEqual([]);
    await suite.engine.advanceClock(10_000);
    expect((await raw.activateJobs({ type, requestTimeout: 300 })).jobs).toEqual([]);

    await suite.engine.advanceClock(25_000);
    const [again] = await suite.zbc.activateJobs({ type, worker: 'w2', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 3000 });
    expect(again.key).toBe(jobKey);
    expect(again.retries).toBe(2);

    await suite.zbc.completeJob({ jobKey, variables: { billed: true } });
    const records = await waitForCompletion(suite.engine, processInstanceKey);
    expect(jobRecordsOf(records).map((r) => r.intent)).toEqual(['CREATED', 'FAILED', 'RECURRED_AFTER_BACKOFF', 'COMPLETED']);
    const failed = jobRecordsOf(records, 'FAILED')[0];
    const recurred = jobRecordsOf(records, 'RECURRED_AFTER_BACKOFF')[0];
    // It came back only once 30 s of engine time had passed since it failed.
    expect(recurred.timestamp - failed.timestamp).toBeGreaterThanOrEqual(30_000);
  });
});

describe('CompleteJob', () => {
  it('completes the task with the given variables; a second completion of the same job is NOT_FOUND', async () => {
    const type = 'jobs-complete-twice';
    await deployTaskProcess('jobs-complete-twice', type);
    const processInstanceKey = await startInstance(suite.zbc, 'jobs-complete-twice', { amount: 30 });
    const jobKey = await createdJobKey(processInstanceKey);
    await suite.zbc.activateJobs({ type, worker: 'w', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 2000 });

    await suite.zbc.completeJob({ jobKey, variables: { paid: true } });
    const second = await grpcErrorOf(suite.zbc.completeJob({ jobKey, variables: { paid: false } }));

    expect(second.code).toBe(grpcStatus.NOT_FOUND);
    const records = await waitForCompletion(suite.engine, processInstanceKey);
    expect(jobRecordsOf(records, 'COMPLETED')).toHaveLength(1);
    const paid = records.filter((r) => r.valueType === 'VARIABLE' && r.value.name === 'paid');
    expect(paid.map((r) => [r.intent, r.value.value])).toEqual([['CREATED', 'true']]);
  });

  it('answers NOT_FOUND for a job key that never existed', async () => {
    const error = await grpcErrorOf(suite.zbc.completeJob({ jobKey: '2251799813999999', variables: {} }));
    expect(error.code).toBe(grpcStatus.NOT_FOUND);
  });

  it('lets exactly one of several concurrent completions of the same job succeed, and keeps serving', async () => {
    const type = 'jobs-complete-race';
    await deployTaskProcess('jobs-complete-race', type);
    const processInstanceKey = await startInstance(suite.zbc, 'jobs-complete-race');
    const jobKey = await createdJobKey(processInstanceKey);
    await suite.zbc.activateJobs({ type, worker: 'w', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 2000 });

    const outcomes = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((attempt) => suite.zbc.completeJob({ jobKey, variables: { attempt } })),
    );

    const succeeded = outcomes.filter((o) => o.status === 'fulfilled');
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(succeeded).toHaveLength(1);
    expect(rejected.map((o) => grpcCode(o.reason))).toEqual([5, 5, 5, 5].map(() => grpcStatus.NOT_FOUND));
    const records = await waitForCompletion(suite.engine, processInstanceKey);
    expect(jobRecordsOf(records, 'COMPLETED')).toHaveLength(1);
    expect(records.filter((r) => r.valueType === 'VARIABLE' && r.value.name === 'attempt')).toHaveLength(1);

    // The engine goes on serving: a new instance runs to its end.
    const next = await startInstance(suite.zbc, 'jobs-complete-race');
    const [job] = await suite.zbc.activateJobs({ type, worker: 'w', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 2000 });
    expect(job.processInstanceKey).toBe(next);
    await suite.zbc.completeJob({ jobKey: job.key, variables: {} });
    await waitForCompletion(suite.engine, next);
  });
});
