/**
 * Variable scopes through the gateway: input/output mappings, propagation of job variables, SetVariables
 * local vs propagate, and the scopes of multi-instance activities (input/output collections, completion
 * condition, empty collections). Zeebe's rules: a document is merged into the nearest scope that has the
 * variable, else into the process instance; input mappings create local variables of the element; with output
 * mappings only the mapped variables leave the element.
 */
import { useTestEngine } from '../support/engineHarness';
import {
  activateCount,
  activateJobs,
  chain,
  completeNextJob,
  deployProcess,
  ioMapping,
  multiInstance,
  runToEnd,
  scriptTask,
  serviceTask,
  startInstance,
} from '../support/bpmn';
import { ofType, waitForRecords } from '../support/records';

const suite = useTestEngine();

/** The VARIABLE records of an instance as `name@scopeKey=value`, in stream order. */
async function variableWrites(processInstanceKey: string): Promise<{ name: string; scopeKey: string; value: unknown; intent: string }[]> {
  const records = await suite.engine.recordsOf(processInstanceKey);
  return records
    .filter((r) => r.valueType === 'VARIABLE')
    .map((r) => ({
      name: String(r.value.name),
      scopeKey: String(r.value.scopeKey),
      value: JSON.parse(String(r.value.value)) as unknown,
      intent: r.intent,
    }));
}

/** A process start -> [body elements chained] -> end. */
function straight(ids: string[], elements: string): string {
  return `<bpmn:startEvent id="start" />
  ${elements}
  <bpmn:endEvent id="end" />
  ${chain('start', ...ids, 'end')}`;
}

describe('input and output mappings', () => {
  it('gives the job its input mappings as local variables that do not reach the process', async () => {
    const id = 'io-input-local';
    await deployProcess(
      suite.zbc,
      id,
      straight(
        ['task'],
        serviceTask('task', 'io-input-local', {
          extensions: ioMapping({ inputs: [['=customer.name', 'recipient'], ['=amount * 2', 'doubled'], ['="gold"', 'tier']] }),
        }),
      ),
    );
    const finished = runToEnd(suite.zbc, id, { customer: { name: 'Wang', city: 'Beijing' }, amount: 21 });
    const job = await completeNextJob(suite.zbc, 'io-input-local');
    expect(job.variables).toEqual({
      customer: { name: 'Wang', city: 'Beijing' },
      amount: 21,
      recipient: 'Wang',
      doubled: 42,
      tier: 'gold',
    });
    const result = await finished;
    expect(result.variables).toEqual({ customer: { name: 'Wang', city: 'Beijing' }, amount: 21 });
    const writes = await variableWrites(result.processInstanceKey);
    expect(writes.filter((w) => w.name === 'recipient')).toEqual([
      { name: 'recipient', scopeKey: job.elementInstanceKey, value: 'Wang', intent: 'CREATED' },
    ]);
  });

  it('with output mappings hands only the mapped values to the scope, into nested targets', async () => {
    const id = 'io-output-nested';
    await deployProcess(
      suite.zbc,
      id,
      straight(
        ['task'],
        serviceTask('task', 'io-output-nested', {
          extensions: ioMapping({
            outputs: [
              ['=result.name', 'customer.name'],
              ['=result.level', 'profile.tier.level'],
              ['=result.score > 50', 'approved'],
            ],
          }),
        }),
      ),
    );
    const finished = runToEnd(suite.zbc, id, { customer: { id: 7, city: 'Shanghai' } });
    await completeNextJob(suite.zbc, 'io-output-nested', { result: { name: 'Li', level: 3, score: 80 }, noise: 'not mapped' });
    const result = await finished;
    // `customer` is extended (not replaced), `profile` is created with its nested path; `result` and `noise` stay behind.
    expect(result.variables).toEqual({
      customer: { id: 7, city: 'Shanghai', name: 'Li' },
      profile: { tier: { level: 3 } },
      approved: true,
    });
  });

  it('without output mappings merges the job variables into the scopes that have them, else into the process', async () => {
    const id = 'io-propagate';
    await deployProcess(
      suite.zbc,
      id,
      straight(
        ['sub', 'report'],
        `<bpmn:subProcess id="sub">
          <bpmn:extensionElements>${ioMapping({ inputs: [['=0', 'attempts']] })}</bpmn:extensionElements>
          <bpmn:startEvent id="subStart" />
          ${serviceTask('work', 'io-propagate')}
          ${scriptTask('seen', '=attempts', 'attemptsSeenInSub')}
          <bpmn:endEvent id="subEnd" />
          ${chain('subStart', 'work', 'seen', 'subEnd')}
        </bpmn:subProcess>
        ${scriptTask('report', '=status', 'reported')}`,
      ),
    );
    const finished = runToEnd(suite.zbc, id, { status: 'new' });
    await completeNextJob(suite.zbc, 'io-propagate', { attempts: 5, status: 'done', fresh: true });
    const result = await finished;
    // `attempts` lived in the sub-process (input mapping) and was updated there: it is gone with it.
    // `status` was updated in the process scope; `fresh` did not exist anywhere and was created there.
    expect(result.variables).toEqual({ status: 'done', fresh: true, attemptsSeenInSub: 5, reported: 'done' });
  });
});

describe('SetVariables', () => {
  it('local writes to the element instance only; propagate merges into the process scope', async () => {
    const id = 'set-variables';
    await deployProcess(suite.zbc, id, straight(['wait', 'after'], `${serviceTask('wait', 'set-variables-wait')}${serviceTask('after', 'set-variables-after')}`));
    const finished = runToEnd(suite.zbc, id, { existing: 1 });
    const [job] = await activateJobs(suite.zbc, 'set-variables-wait');

    await suite.zbc.setVariables({ elementInstanceKey: job.elementInstanceKey, variables: { onlyHere: 'local', existing: 10 }, local: true });
    await suite.zbc.setVariables({ elementInstanceKey: job.elementInstanceKey, variables: { shared: 'propagated' }, local: false });
    await suite.zbc.completeJob({ jobKey: job.key, variables: {} });

    // The next task sees the propagated variable and the untouched process-level `existing`, not the local ones.
    const next = await completeNextJob(suite.zbc, 'set-variables-after');
    expect(next.variables).toEqual({ existing: 1, shared: 'propagated' });
    const result = await finished;
    expect(result.variables).toEqual({ existing: 1, shared: 'propagated' });

    const writes = await variableWrites(result.processInstanceKey);
    expect(writes).toEqual(
      expect.arrayContaining([
        { name: 'onlyHere', scopeKey: job.elementInstanceKey, value: 'local', intent: 'CREATED' },
        { name: 'existing', scopeKey: job.elementInstanceKey, value: 10, intent: 'CREATED' },
        { name: 'shared', scopeKey: result.processInstanceKey, value: 'propagated', intent: 'CREATED' },
      ]),
    );
  });

  it('propagate updates a variable where it lives, in an enclosing sub-process', async () => {
    const id = 'set-variables-sub';
    await deployProcess(
      suite.zbc,
      id,
      straight(
        ['sub'],
        `<bpmn:subProcess id="sub">
          <bpmn:extensionElements>${ioMapping({ inputs: [['=1', 'counter']] })}</bpmn:extensionElements>
          <bpmn:startEvent id="subStart" />
          ${serviceTask('wait', 'set-variables-sub')}
          ${scriptTask('read', '=counter', 'counterInSub')}
          <bpmn:endEvent id="subEnd" />
          ${chain('subStart', 'wait', 'read', 'subEnd')}
        </bpmn:subProcess>`,
      ),
    );
    const finished = runToEnd(suite.zbc, id, { counter: 100 });
    const [job] = await activateJobs(suite.zbc, 'set-variables-sub');
    await suite.zbc.setVariables({ elementInstanceKey: job.elementInstanceKey, variables: { counter: 2 }, local: false });
    await suite.zbc.completeJob({ jobKey: job.key, variables: {} });
    const result = await finished;
    expect(result.variables).toEqual({ counter: 100, counterInSub: 2 });
  });
});

describe('multi-instance', () => {
  it('parallel: one instance per item with its own input element, results collected in item order', async () => {
    const id = 'mi-parallel';
    await deployProcess(
      suite.zbc,
      id,
      straight(
        ['each'],
        serviceTask('each', 'mi-parallel', {
          // `doubled` is made local by an input mapping, so each job's result stays in its own instance.
          extensions: ioMapping({ inputs: [['=null', 'doubled']] }),
          inner: multiInstance({ inputCollection: '=items', inputElement: 'item', outputCollection: 'results', outputElement: '=doubled' }),
        }),
      ),
    );
    const finished = runToEnd(suite.zbc, id, { items: [1, 2, 3] });
    const jobs = await activateCount(suite.zbc, 'mi-parallel', 3);
    expect(jobs.map((j) => [j.variables.item, j.variables.loopCounter]).sort()).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    // Completed out of order: the collection still follows the input order.
    for (const job of [...jobs].sort((a, b) => b.variables.item - a.variables.item)) {
      await suite.zbc.completeJob({ jobKey: job.key, variables: { doubled: job.variables.item * 2 } });
    }
    const result = await finished;
    expect(result.variables).toEqual({ items: [1, 2, 3], results: [2, 4, 6] });
  });

  it('sequential: one instance at a time, in collection order', async () => {
    const id = 'mi-sequential';
    await deployProcess(
      suite.zbc,
      id,
      straight(
        ['each'],
        serviceTask('each', 'mi-sequential', {
          inner: multiInstance({
            sequential: true,
            inputCollection: '=names',
            inputElement: 'name',
            outputCollection: 'greetings',
            outputElement: '="hello " + name',
          }),
        }),
      ),
    );
    const finished = runToEnd(suite.zbc, id, { names: ['a', 'b', 'c'] });
    const seen: [unknown, unknown][] = [];
    for (let i = 0; i < 3; i++) {
      const jobs = await activateJobs(suite.zbc, 'mi-sequential', { max: 5 });
      // Only the current item has a job; the next one is created when it completes.
      expect(jobs).toHaveLength(1);
      seen.push([jobs[0].variables.name, jobs[0].variables.loopCounter]);
      await suite.zbc.completeJob({ jobKey: jobs[0].key, variables: {} });
    }
    expect(seen).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    const result = await finished;
    expect(result.variables).toEqual({ names: ['a', 'b', 'c'], greetings: ['hello a', 'hello b', 'hello c'] });
  });

  it('completion condition: ends the body early, terminating the other instances; missing results are null', async () => {
    const id = 'mi-completion';
    await deployProcess(
      suite.zbc,
      id,
      straight(
        ['each'],
        serviceTask('each', 'mi-completion', {
          extensions: ioMapping({ inputs: [['=null', 'answer']] }),
          inner: multiInstance({
            inputCollection: '=[10, 20, 30, 40]',
            inputElement: 'n',
            outputCollection: 'answers',
            outputElement: '=answer',
            completionCondition: '=numberOfCompletedInstances >= 2',
          }),
        }),
      ),
    );
    const finished = runToEnd(suite.zbc, id);
    const jobs = await activateCount(suite.zbc, 'mi-completion', 4);
    const byItem = new Map(jobs.map((j) => [j.variables.n as number, j]));
    await suite.zbc.completeJob({ jobKey: byItem.get(30)!.key, variables: { answer: 'thirty' } });
    await suite.zbc.completeJob({ jobKey: byItem.get(10)!.key, variables: { answer: 'ten' } });
    const result = await finished;
    expect(result.variables).toEqual({ answers: ['ten', null, 'thirty', null] });

    const records = await suite.engine.recordsOf(result.processInstanceKey);
    const canceled = records.filter((r) => r.valueType === 'JOB' && r.intent === 'CANCELED').map((r) => r.key);
    expect(canceled.sort()).toEqual([byItem.get(20)!.key, byItem.get(40)!.key].sort());
    await expect(suite.zbc.completeJob({ jobKey: byItem.get(20)!.key, variables: {} })).rejects.toThrow(/NOT_FOUND/);
  });

  it('sequential with a completion condition: starts no further instance once the condition holds', async () => {
    const id = 'mi-sequential-completion';
    await deployProcess(
      suite.zbc,
      id,
      straight(
        ['each'],
        scriptTask('each', '=item * 10', 'result', {
          extensions: ioMapping({ inputs: [['=null', 'result']] }),
          inner: multiInstance({
            sequential: true,
            inputCollection: '=[1, 2, 3, 4, 5]',
            inputElement: 'item',
            outputCollection: 'results',
            outputElement: '=result',
            completionCondition: '=result >= 30',
          }),
        }),
      ),
    );
    const result = await runToEnd(suite.zbc, id);
    expect(result.variables).toEqual({ results: [10, 20, 30, null, null] });
    const records = await suite.engine.recordsOf(result.processInstanceKey);
    const inner = records.filter(
      (r) => r.valueType === 'PROCESS_INSTANCE' && r.intent === 'ELEMENT_ACTIVATED' && r.value.bpmnElementType === 'SCRIPT_TASK',
    );
    expect(inner).toHaveLength(3);
  });

  it('an interrupting boundary event on the activity terminates the body with every instance, and nothing is collected', async () => {
    const id = 'mi-interrupted';
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      ${serviceTask('each', 'mi-interrupted', {
        inner: multiInstance({ inputCollection: '=[1, 2, 3]', inputElement: 'item', outputCollection: 'results', outputElement: '=item' }),
      })}
      <bpmn:boundaryEvent id="deadline" attachedToRef="each">
        <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
      </bpmn:boundaryEvent>
      <bpmn:endEvent id="end" />
      <bpmn:endEvent id="late" />
      ${chain('start', 'each', 'end')}
      ${chain('deadline', 'late')}`,
    );
    const finished = runToEnd(suite.zbc, id);
    const jobs = await activateCount(suite.zbc, 'mi-interrupted', 3);
    // One instance finishes before the deadline; its result must not leak out of the terminated body either.
    await suite.zbc.completeJob({ jobKey: jobs[0].key, variables: {} });
    const processInstanceKey = jobs[0].processInstanceKey;
    // One timer for the body, not one per inner instance.
    const timers = await waitForRecords(suite.engine, processInstanceKey, ofType('TIMER', 'CREATED'));
    expect(timers).toHaveLength(1);
    await suite.engine.advanceClock(60 * 60 * 1000 + 1000);

    const result = await finished;
    expect(result.variables).toEqual({});
    const records = await suite.engine.recordsOf(processInstanceKey);
    const terminated = records.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.intent === 'ELEMENT_TERMINATED' && r.value.elementId === 'each');
    expect(terminated.map((r) => r.value.bpmnElementType).sort()).toEqual(['MULTI_INSTANCE_BODY', 'SERVICE_TASK', 'SERVICE_TASK']);
    expect(records.filter((r) => r.valueType === 'JOB' && r.intent === 'CANCELED')).toHaveLength(2);
    expect(records.some((r) => r.value.elementId === 'late' && r.intent === 'ELEMENT_COMPLETED')).toBe(true);
  });

  it('empty collection: the body completes at once with an empty output collection', async () => {
    const id = 'mi-empty';
    await deployProcess(
      suite.zbc,
      id,
      straight(
        ['each', 'after'],
        `${serviceTask('each', 'mi-empty', {
          inner: multiInstance({ inputCollection: '=items', inputElement: 'item', outputCollection: 'results', outputElement: '=item' }),
        })}
        ${scriptTask('after', '=count(results)', 'resultCount')}`,
      ),
    );
    const result = await runToEnd(suite.zbc, id, { items: [] });
    expect(result.variables).toEqual({ items: [], results: [], resultCount: 0 });
    const records = await suite.engine.recordsOf(result.processInstanceKey);
    const each = records.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'each');
    expect(each.map((r) => `${r.value.bpmnElementType}:${r.intent}`)).toEqual([
      'MULTI_INSTANCE_BODY:ELEMENT_ACTIVATING',
      'MULTI_INSTANCE_BODY:ELEMENT_ACTIVATED',
      'MULTI_INSTANCE_BODY:ELEMENT_COMPLETING',
      'MULTI_INSTANCE_BODY:ELEMENT_COMPLETED',
    ]);
    expect(records.some((r) => r.valueType === 'JOB')).toBe(false);
  });

  it('keeps the input element and loop counter out of the process scope', async () => {
    const id = 'mi-local';
    await deployProcess(
      suite.zbc,
      id,
      straight(
        ['each'],
        scriptTask('each', '=item + loopCounter', 'last', {
          inner: multiInstance({ sequential: true, inputCollection: '=[100, 200]', inputElement: 'item' }),
        }),
      ),
    );
    const result = await runToEnd(suite.zbc, id);
    // The script result `last` is not local, so it reaches the process (last write wins); `item` does not.
    expect(result.variables).toEqual({ last: 202 });
  });

  it('raises an EXTRACT_VALUE_ERROR incident when the input collection is not a list', async () => {
    const id = 'mi-not-a-list';
    await deployProcess(
      suite.zbc,
      id,
      straight(['each'], serviceTask('each', 'mi-not-a-list', { inner: multiInstance({ inputCollection: '=items', inputElement: 'item' }) })),
    );
    const processInstanceKey = await startInstance(suite.zbc, id, { items: 'abc' });
    const [incident] = await waitForRecords(suite.engine, processInstanceKey, ofType('INCIDENT', 'CREATED'));
    expect(incident.value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'each' });
  });
});
