/**
 * BPMN flow semantics through the gateway: gateways (exclusive, parallel, inclusive, event-based), pass-through
 * elements (script, manual and undefined tasks, none throw events, links) and the terminate end event.
 * Instances are driven with zeebe-node; what happened inside is read from the engine's exported records.
 */
import { useTestEngine, waitFor } from '../support/engineHarness';
import { chain, completeNextJob, deployProcess, flow, message, runToEnd, scriptTask, serviceTask, startInstance } from '../support/bpmn';
import { ofType, trail, trailOf, waitForCompletion, waitForRecords } from '../support/records';

const suite = useTestEngine();

function has(records: string[], entry: string): boolean {
  return records.includes(entry);
}

describe('exclusive gateway', () => {
  const id = 'xor-route';

  beforeAll(() =>
    deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      <bpmn:exclusiveGateway id="xor" default="toLow" />
      ${scriptTask('high', '="high"', 'route')}
      ${scriptTask('mid', '="mid"', 'route')}
      ${scriptTask('low', '="low"', 'route')}
      <bpmn:endEvent id="end" />
      ${chain('start', 'xor')}
      ${flow('xor', 'high', { id: 'toHigh', condition: '=amount > 100' })}
      ${flow('xor', 'mid', { id: 'toMid', condition: '=amount > 10' })}
      ${flow('xor', 'low', { id: 'toLow' })}
      <bpmn:exclusiveGateway id="merge" />
      ${chain('high', 'merge')}
      ${chain('mid', 'merge')}
      ${chain('low', 'merge')}
      ${chain('merge', 'end')}`,
    ),
  );

  it.each([
    [500, 'high'],
    [50, 'mid'],
    [5, 'low'],
  ])('with amount %p takes the first flow whose condition holds, else the default (%p)', async (amount, route) => {
    const result = await runToEnd(suite.zbc, id, { amount });
    expect(result.variables).toEqual({ amount, route });
    const records = await suite.engine.recordsOf(result.processInstanceKey);
    const taken = records
      .filter((r) => r.intent === 'SEQUENCE_FLOW_TAKEN' && String(r.value.elementId).startsWith('to'))
      .map((r) => r.value.elementId);
    // Only one outgoing flow of the gateway, even when several conditions hold (500 > 10 as well).
    expect(taken).toEqual([`to${route[0].toUpperCase()}${route.slice(1)}`]);
  });

  it('raises a CONDITION_ERROR incident when no condition holds and there is no default flow, and goes on once resolved', async () => {
    const noDefault = 'xor-no-default';
    await deployProcess(
      suite.zbc,
      noDefault,
      `<bpmn:startEvent id="start" />
      <bpmn:exclusiveGateway id="xor" />
      ${scriptTask('big', '="big"', 'size')}
      ${scriptTask('small', '="small"', 'size')}
      <bpmn:endEvent id="endBig" />
      <bpmn:endEvent id="endSmall" />
      ${chain('start', 'xor')}
      ${flow('xor', 'big', { condition: '=amount >= 100' })}
      ${flow('xor', 'small', { condition: '=amount < 10' })}
      ${chain('big', 'endBig')}
      ${chain('small', 'endSmall')}`,
    );
    const processInstanceKey = await startInstance(suite.zbc, noDefault, { amount: 50 });
    const [incident] = await waitForRecords(suite.engine, processInstanceKey, ofType('INCIDENT', 'CREATED'));
    expect(incident.value).toMatchObject({
      errorType: 'CONDITION_ERROR',
      elementId: 'xor',
      processInstanceKey,
      errorMessage: expect.stringContaining('Expected at least one condition to evaluate to true'),
    });
    // The gateway stays where it is: activating, with no flow taken.
    const stuck = await trailOf(suite.engine, processInstanceKey);
    expect(has(stuck, 'xor:ELEMENT_ACTIVATING')).toBe(true);
    expect(has(stuck, 'xor:ELEMENT_ACTIVATED')).toBe(false);
    expect(stuck.some((entry) => entry.includes('SEQUENCE_FLOW_TAKEN') && entry.startsWith('xor_to'))).toBe(false);

    // Fix the data on the gateway's scope (the process instance) and resolve: the gateway is evaluated again.
    await suite.zbc.setVariables({ elementInstanceKey: processInstanceKey, variables: { amount: 3 }, local: false });
    await suite.zbc.resolveIncident({ incidentKey: incident.key });
    const done = trail(await waitForCompletion(suite.engine, processInstanceKey));
    expect(has(done, 'small:ELEMENT_COMPLETED')).toBe(true);
    expect(has(done, 'big:ELEMENT_ACTIVATING')).toBe(false);
  });

  it('raises an EXTRACT_VALUE_ERROR incident (not CONDITION_ERROR) when a condition does not evaluate to a boolean', async () => {
    // As Zeebe's ConditionIncidentTest: a condition that yields no boolean is a failed evaluation, not a false one.
    const failing = 'xor-failing-condition';
    await deployProcess(
      suite.zbc,
      failing,
      `<bpmn:startEvent id="start" />
      <bpmn:exclusiveGateway id="xor" />
      <bpmn:endEvent id="endLow" />
      <bpmn:endEvent id="endHigh" />
      ${chain('start', 'xor')}
      ${flow('xor', 'endLow', { condition: '=foo' })}
      ${flow('xor', 'endHigh', { condition: '=foo = "go"' })}`,
    );
    const processInstanceKey = await startInstance(suite.zbc, failing, { foo: 'bar' });
    const [incident] = await waitForRecords(suite.engine, processInstanceKey, ofType('INCIDENT', 'CREATED'));
    expect(incident.value).toMatchObject({
      errorType: 'EXTRACT_VALUE_ERROR',
      elementId: 'xor',
      errorMessage: "Expected result of the expression 'foo' to be 'BOOLEAN', but was 'STRING'.",
    });
    // As in Zeebe's test: update the variable through the incident's variable scope, resolve, and the gateway goes on.
    await suite.zbc.setVariables({ elementInstanceKey: String(incident.value.variableScopeKey), variables: { foo: true }, local: false });
    await suite.zbc.resolveIncident({ incidentKey: incident.key });
    const done = trail(await waitForCompletion(suite.engine, processInstanceKey));
    expect(has(done, 'endLow:ELEMENT_COMPLETED')).toBe(true);
  });
});

describe('parallel gateway', () => {
  it('forks into all branches and joins only when every branch arrived, with the variables of both', async () => {
    const id = 'and-fork-join';
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      <bpmn:parallelGateway id="fork" />
      ${serviceTask('taskA', 'and-a')}
      ${serviceTask('taskB', 'and-b')}
      <bpmn:parallelGateway id="join" />
      ${scriptTask('sum', '=a + b', 'total')}
      <bpmn:endEvent id="end" />
      ${chain('start', 'fork', 'taskA', 'join', 'sum', 'end')}
      ${chain('fork', 'taskB', 'join')}`,
    );
    const finished = runToEnd(suite.zbc, id);
    const jobA = await completeNextJob(suite.zbc, 'and-a', { a: 1 });
    const processInstanceKey = jobA.processInstanceKey;

    // One branch arrived: the join takes the token but does not activate; the other task still waits.
    await waitFor(async () => has(await trailOf(suite.engine, processInstanceKey), 'taskA_to_join:SEQUENCE_FLOW_TAKEN'));
    const halfway = await trailOf(suite.engine, processInstanceKey);
    expect(has(halfway, 'join:ELEMENT_ACTIVATING')).toBe(false);
    expect(has(halfway, 'taskB:ELEMENT_ACTIVATED')).toBe(true);

    await completeNextJob(suite.zbc, 'and-b', { b: 2 });
    const result = await finished;
    expect(result.variables).toEqual({ a: 1, b: 2, total: 3 });

    const entries = await trailOf(suite.engine, processInstanceKey);
    expect(entries.filter((e) => e === 'join:ELEMENT_ACTIVATED')).toHaveLength(1);
    expect(entries.indexOf('join:ELEMENT_ACTIVATING')).toBeGreaterThan(entries.indexOf('taskB_to_join:SEQUENCE_FLOW_TAKEN'));
    expect(entries.indexOf('join:ELEMENT_ACTIVATING')).toBeGreaterThan(entries.indexOf('taskA_to_join:SEQUENCE_FLOW_TAKEN'));
  });
});

describe('inclusive gateway', () => {
  const id = 'or-fork';

  beforeAll(() =>
    deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      <bpmn:inclusiveGateway id="or" default="toNone" />
      ${scriptTask('small', '=true', 'tookSmall')}
      ${scriptTask('medium', '=true', 'tookMedium')}
      ${scriptTask('large', '=true', 'tookLarge')}
      ${scriptTask('none', '=true', 'tookDefault')}
      <bpmn:endEvent id="endSmall" />
      <bpmn:endEvent id="endMedium" />
      <bpmn:endEvent id="endLarge" />
      <bpmn:endEvent id="endNone" />
      ${chain('start', 'or')}
      ${flow('or', 'small', { id: 'toSmall', condition: '=x > 1' })}
      ${flow('or', 'medium', { id: 'toMedium', condition: '=x > 5' })}
      ${flow('or', 'large', { id: 'toLarge', condition: '=x > 10' })}
      ${flow('or', 'none', { id: 'toNone' })}
      ${chain('small', 'endSmall')}
      ${chain('medium', 'endMedium')}
      ${chain('large', 'endLarge')}
      ${chain('none', 'endNone')}`,
    ),
  );

  it('takes every flow whose condition holds', async () => {
    const result = await runToEnd(suite.zbc, id, { x: 7 });
    expect(result.variables).toEqual({ x: 7, tookSmall: true, tookMedium: true });
    const records = await suite.engine.recordsOf(result.processInstanceKey);
    const taken = records.filter((r) => r.intent === 'SEQUENCE_FLOW_TAKEN').map((r) => r.value.elementId);
    expect(taken.filter((flowId) => String(flowId).startsWith('to'))).toEqual(['toSmall', 'toMedium']);
  });

  it('takes only the default flow when no condition holds', async () => {
    const result = await runToEnd(suite.zbc, id, { x: 0 });
    expect(result.variables).toEqual({ x: 0, tookDefault: true });
  });
});

describe('event-based gateway', () => {
  const id = 'event-gateway';

  beforeAll(() =>
    deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      <bpmn:eventBasedGateway id="wait" />
      <bpmn:intermediateCatchEvent id="approved">
        <bpmn:messageEventDefinition messageRef="approvalMessage" />
      </bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="timeout">
        <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
      </bpmn:intermediateCatchEvent>
      ${scriptTask('onApproved', '="approved"', 'outcome')}
      ${scriptTask('onTimeout', '="timed out"', 'outcome')}
      <bpmn:endEvent id="endApproved" />
      <bpmn:endEvent id="endTimeout" />
      ${chain('start', 'wait', 'approved', 'onApproved', 'endApproved')}
      ${chain('wait', 'timeout', 'onTimeout', 'endTimeout')}`,
      message('approvalMessage', 'approval', '=orderId'),
    ),
  );

  async function waitingAtGateway(orderId: string) {
    const finished = runToEnd(suite.zbc, id, { orderId });
    // The instance key is only known from the records: wait until the gateway has its timer and subscription.
    const instanceKey = await waitFor(async () => {
      const records = await suite.engine.records.byPositionRange(0, Number.MAX_SAFE_INTEGER, {
        valueTypes: ['PROCESS_MESSAGE_SUBSCRIPTION'],
      });
      const subscription = records.find((r) => r.intent === 'CREATED' && r.value.correlationKey === orderId);
      return subscription?.processInstanceKey ?? undefined;
    });
    const records = await suite.engine.recordsOf(instanceKey);
    expect(records.some((r) => r.valueType === 'TIMER' && r.intent === 'CREATED')).toBe(true);
    return { finished, instanceKey };
  }

  it('continues at the message catch event when the message comes first, and cancels the timer', async () => {
    const { finished, instanceKey } = await waitingAtGateway('order-msg');
    await suite.zbc.publishMessage({ name: 'approval', correlationKey: 'order-msg', variables: { approvedBy: 'li' }, timeToLive: 0 });
    const result = await finished;
    expect(result.variables).toEqual({ orderId: 'order-msg', approvedBy: 'li', outcome: 'approved' });

    const records = await suite.engine.recordsOf(instanceKey);
    expect(records.some((r) => r.valueType === 'TIMER' && r.intent === 'CANCELED')).toBe(true);
    expect(records.some((r) => r.valueType === 'TIMER' && r.intent === 'TRIGGERED')).toBe(false);
    const entries = await trailOf(suite.engine, instanceKey);
    expect(has(entries, 'approved:ELEMENT_COMPLETED')).toBe(true);
    expect(has(entries, 'timeout:ELEMENT_ACTIVATING')).toBe(false);
  });

  it('continues at the timer catch event when the timer fires first, and closes the message subscription', async () => {
    const { finished, instanceKey } = await waitingAtGateway('order-timer');
    await suite.engine.advanceClock(60 * 60 * 1000 + 1000);
    const result = await finished;
    expect(result.variables).toEqual({ orderId: 'order-timer', outcome: 'timed out' });

    const records = await suite.engine.recordsOf(instanceKey);
    expect(records.some((r) => r.valueType === 'PROCESS_MESSAGE_SUBSCRIPTION' && r.intent === 'DELETED')).toBe(true);
    const entries = await trailOf(suite.engine, instanceKey);
    expect(has(entries, 'timeout:ELEMENT_COMPLETED')).toBe(true);
    expect(has(entries, 'approved:ELEMENT_ACTIVATING')).toBe(false);

    // A message published afterwards finds no subscription of this instance.
    await suite.zbc.publishMessage({ name: 'approval', correlationKey: 'order-timer', variables: { late: true }, timeToLive: 0 });
    const after = await suite.engine.recordsOf(instanceKey);
    expect(after.some((r) => r.valueType === 'PROCESS_MESSAGE_SUBSCRIPTION' && r.intent === 'CORRELATED')).toBe(false);
  });
});

describe('pass-through elements', () => {
  it('runs a FEEL script task into its result variable', async () => {
    const id = 'script-task';
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      ${scriptTask('compute', '=sum(items) * factor', 'total')}
      ${scriptTask('describe', '="order " + string(total)', 'label')}
      <bpmn:endEvent id="end" />
      ${chain('start', 'compute', 'describe', 'end')}`,
    );
    const result = await runToEnd(suite.zbc, id, { items: [1, 2, 3], factor: 10 });
    expect(result.variables).toEqual({ items: [1, 2, 3], factor: 10, total: 60, label: 'order 60' });
  });

  it('passes through manual tasks, undefined tasks, none throw events and link events', async () => {
    const id = 'pass-through';
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      <bpmn:manualTask id="manual" />
      <bpmn:task id="undefinedTask" />
      <bpmn:intermediateThrowEvent id="milestone" />
      <bpmn:intermediateThrowEvent id="jump"><bpmn:linkEventDefinition name="toFinish" /></bpmn:intermediateThrowEvent>
      <bpmn:intermediateCatchEvent id="landing"><bpmn:linkEventDefinition name="toFinish" /></bpmn:intermediateCatchEvent>
      ${scriptTask('finish', '="done"', 'state')}
      <bpmn:endEvent id="end" />
      ${chain('start', 'manual', 'undefinedTask', 'milestone', 'jump')}
      ${chain('landing', 'finish', 'end')}`,
    );
    const result = await runToEnd(suite.zbc, id);
    expect(result.variables).toEqual({ state: 'done' });
    const completed = (await trailOf(suite.engine, result.processInstanceKey))
      .filter((e) => e.endsWith(':ELEMENT_COMPLETED'))
      .map((e) => e.split(':')[0]);
    expect(completed).toEqual(['start', 'manual', 'undefinedTask', 'milestone', 'jump', 'landing', 'finish', 'end', id]);
  });
});

describe('terminate end event', () => {
  it('terminates the other branches of its scope and completes the process', async () => {
    const id = 'terminate-end';
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      <bpmn:parallelGateway id="fork" />
      ${serviceTask('slow', 'terminate-slow')}
      <bpmn:endEvent id="slowEnd" />
      ${scriptTask('fast', '="fast"', 'winner')}
      <bpmn:endEvent id="kill"><bpmn:terminateEventDefinition /></bpmn:endEvent>
      ${chain('start', 'fork', 'slow', 'slowEnd')}
      ${chain('fork', 'fast', 'kill')}`,
    );
    const result = await runToEnd(suite.zbc, id);
    expect(result.variables).toEqual({ winner: 'fast' });

    const records = await suite.engine.recordsOf(result.processInstanceKey);
    expect(records.some((r) => r.valueType === 'JOB' && r.intent === 'CANCELED')).toBe(true);
    const entries = await trailOf(suite.engine, result.processInstanceKey);
    expect(has(entries, 'slow:ELEMENT_TERMINATED')).toBe(true);
    expect(has(entries, 'slowEnd:ELEMENT_ACTIVATING')).toBe(false);
    expect(entries.indexOf('slow:ELEMENT_TERMINATED')).toBeGreaterThan(entries.indexOf('kill:ELEMENT_COMPLETED'));
    // The process itself completes (it is not terminated).
    expect(entries[entries.length - 1]).toBe(`${id}:ELEMENT_COMPLETED`);
    // And nothing is left for a worker.
    await expect(
      suite.zbc.activateJobs({ type: 'terminate-slow', worker: 'w', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 }),
    ).resolves.toEqual([]);
  });

  it('inside a sub-process ends only the sub-process, and the process goes on after it', async () => {
    const id = 'terminate-in-sub';
    await deployProcess(
      suite.zbc,
      id,
      `<bpmn:startEvent id="start" />
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="subStart" />
        <bpmn:parallelGateway id="fork" />
        ${serviceTask('slow', 'terminate-sub-slow')}
        <bpmn:endEvent id="slowEnd" />
        <bpmn:endEvent id="kill"><bpmn:terminateEventDefinition /></bpmn:endEvent>
        ${chain('subStart', 'fork', 'slow', 'slowEnd')}
        ${chain('fork', 'kill')}
      </bpmn:subProcess>
      ${scriptTask('after', '="after sub"', 'state')}
      <bpmn:endEvent id="end" />
      ${chain('start', 'sub', 'after', 'end')}`,
    );
    const result = await runToEnd(suite.zbc, id);
    expect(result.variables).toEqual({ state: 'after sub' });
    const entries = await trailOf(suite.engine, result.processInstanceKey);
    expect(has(entries, 'slow:ELEMENT_TERMINATED')).toBe(true);
    expect(has(entries, 'sub:ELEMENT_COMPLETED')).toBe(true);
    expect(entries.indexOf('after:ELEMENT_ACTIVATING')).toBeGreaterThan(entries.indexOf('sub:ELEMENT_COMPLETED'));
  });
});
