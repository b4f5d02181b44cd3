/**
 * The worker framework through zeebe-node: a handler's outcome becomes CompleteJob, ThrowError or FailJob, bad input
 * variables become an incident naming the field, and technical failures are retried until the retries run out.
 */
import { z } from 'zod';
import { chain, deployProcess, serviceTask, startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { and, element, inInstance, ofType, trail, waitForCompletion, waitForRecords } from '../support/records';
import { bpmnError, completeWith, defineJobWorker, PermanentJobFailure } from '../../workers/jobWorker';

let attempts = 0;

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
