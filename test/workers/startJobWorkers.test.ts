/**
 * The worker framework through zeebe-node: a handler's outcome becomes CompleteJob, ThrowError or FailJob, bad input
 * variables become an incident naming the field, and technical failures are retried until the retries run out.
 */
import { z } from 'zod';
import { waitFor } from '../support/engineHarness';
import { chain, deployProcess, serviceTask, startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { and, element, inInstance, ofType, trail, waitForCompletion, waitForRecords } from '../support/records';
import { bpmnError, completeWith, defineJobWorker, PermanentJobFailure } from '../../workers/jobWorker';

let attempts = 0;
/** Amount 99: the first attempt waits for `releaseLostAttempt`, then fails while the engine is down. */
let lostAttempts = 0;
let lostAttemptStarted: () => void = () => undefined;
let releaseLostAttempt: () => void = () => undefined;

const doubleWorker = defineJobWorker({
  type: 'framework-double',
  input: z.object({ amount: z.number().int() }),
  async handle({ amount }, job) {
    if (amount < 0) return bpmnError('NEGATIVE', `amount ${amount} is negative`, { rejectedAmount: amount });
    if (amount === 13) {
      attempts += 1;
      throw new Error(`unlucky attempt ${attempts}`);
    }
    if (amount === 666) throw new PermanentJobFailure('will never work');
    if (amount === 99 && ++lostAttempts === 1) {
      lostAttemptStarted();
      await new Promise<void>((resolve) => (releaseLostAttempt = resolve));
      throw new Error('failed while the engine was away');
    }
    return completeWith({ doubled: amount * 2, seenHeader: job.customHeaders.note ?? null });
  },
  retryBackOffMs: 0,
});

const suite = usePlatform({ workers: [doubleWorker], seed: false });

beforeAll(() =>
  deployProcess(
    suite.zbc,
    'framework-probe',
    `<bpmn:startEvent id="start" />
${serviceTask('double', 'framework-double', { retries: 3, extensions: '<zeebe:taskHeaders><zeebe:header key="note" value="from-header" /></zeebe:taskHeaders>' })}
<bpmn:boundaryEvent id="negative" attachedToRef="double"><bpmn:errorEventDefinition errorRef="negative-error" /></bpmn:boundaryEvent>
<bpmn:endEvent id="end" /><bpmn:endEvent id="rejected" />
${chain('start', 'double', 'end')}
${chain('negative', 'rejected')}`,
    '<bpmn:error id="negative-error" errorCode="NEGATIVE" />',
  ),
);

it('completes the job with the handler variables, reading the custom headers', async () => {
  const key = await startInstance(suite.zbc, 'framework-probe', { amount: 21 });
  const records = await waitForCompletion(suite.engine, key);
  expect(trail(records)).toContain('end:ELEMENT_COMPLETED');
  const variables = records.filter(ofType('VARIABLE', 'CREATED')).map((r) => [r.value.name, r.value.value]);
  expect(variables).toEqual(expect.arrayContaining([['doubled', '42'], ['seenHeader', '"from-header"']]));
});

it('a business outcome is a BPMN error the model catches, with its variables', async () => {
  const key = await startInstance(suite.zbc, 'framework-probe', { amount: -5 });
  const records = await waitForCompletion(suite.engine, key);
  expect(trail(records)).toContain('rejected:ELEMENT_COMPLETED');
  expect(records.filter(ofType('VARIABLE', 'CREATED')).map((r) => r.value.name)).toContain('rejectedAmount');
});

it('invalid input variables raise an incident at once, naming the field', async () => {
  const key = await startInstance(suite.zbc, 'framework-probe', { amount: 'twenty' });
  const [incident] = await waitForRecords(suite.engine, key, ofType('INCIDENT', 'CREATED'));
  expect(incident.value.errorMessage).toMatch(/framework-double: invalid input variables: amount:/);
  const failures = (await suite.engine.recordsOf(key)).filter(ofType('JOB', 'FAILED'));
  expect(failures).toHaveLength(1);
  expect(failures[0].value.retries).toBe(0);
});

it('a technical failure is retried with one retry fewer each time, then becomes an incident', async () => {
  attempts = 0;
  const key = await startInstance(suite.zbc, 'framework-probe', { amount: 13 });
  const [incident] = await waitForRecords(suite.engine, key, ofType('INCIDENT', 'CREATED'));
  expect(incident.value.errorMessage).toBe('framework-double: unlucky attempt 3');
  const failures = (await suite.engine.recordsOf(key)).filter(and(inInstance(key), ofType('JOB', 'FAILED')));
  expect(failures.map((r) => r.value.retries)).toEqual([2, 1, 0]);
  expect(attempts).toBe(3);
});

it('a permanent failure goes straight to an incident', async () => {
  const key = await startInstance(suite.zbc, 'framework-probe', { amount: 666 });
  const [incident] = await waitForRecords(suite.engine, key, ofType('INCIDENT', 'CREATED'));
  expect(incident.value.errorMessage).toBe('framework-double: will never work');
  expect((await suite.engine.recordsOf(key)).filter(element('double', 'ELEMENT_COMPLETED'))).toHaveLength(0);
});

it('an outcome the engine cannot take (it is restarting) leaves the worker running, and the job runs again after its time-out', async () => {
  const unreported = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const started = new Promise<void>((resolve) => (lostAttemptStarted = resolve));
    const key = await startInstance(suite.zbc, 'framework-probe', { amount: 99 });
    await started;
    await suite.engine.restart(async () => {
      releaseLostAttempt();
      // zeebe-node answers a rejected handler with a FailJob it never awaits: unhandled, that rejection ended
      // the whole process (jest reported the suite's worker as crashed).
      await waitFor(() => unreported.mock.calls.some(([line]) => String(line).includes('could not be reported')), {
        description: 'the worker to give up reporting the failure',
      });
    });
    expect(unreported.mock.calls.map(([line]) => String(line)).join('\n')).toMatch(/framework-double: the outcome of job \d+ could not be reported/);

    // The failure never reached the engine: the job is still activated, until its 30 s time-out passes.
    await suite.advanceClock(31_000);
    const records = await waitForCompletion(suite.engine, key);
    expect(trail(records)).toContain('end:ELEMENT_COMPLETED');
    expect(records.filter(ofType('JOB', 'FAILED'))).toHaveLength(0);
    expect(records.filter(ofType('JOB', 'TIMED_OUT'))).toHaveLength(1);
    expect(lostAttempts).toBe(2);
  } finally {
    unreported.mockRestore();
  }
});
