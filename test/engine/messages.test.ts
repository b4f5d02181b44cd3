/**
 * Messages through the gateway, as an application publishes them with zeebe-node: correlation by key to catch
 * events, receive tasks, boundary events and message start events, buffering with a time to live, message id
 * uniqueness, and Zeebe's cardinality rule (a message is correlated at most once per bpmnProcessId).
 */
import { activateOne, chain, completeNextJob, deployProcess, flow, message, processXml, runToEnd, serviceTask } from '../support/bpmn';
import { deployXml, useTestEngine } from '../support/engineHarness';
import { grpcErrorOf } from '../support/rawGateway';
import { and, element, inInstance, ofType, processActivated, recordStream } from '../support/records';

const ALREADY_EXISTS = 6;
const NOT_FOUND = 5;

const suite = useTestEngine();
const records = recordStream(suite);

/** start -> catch (message `name`, key `correlationKey`) -> end */
function catchProcess(id: string, name: string, correlationKey: string, afterCatch = ''): string {
  const next = afterCatch ? 'after' : 'end';
  return processXml(
    id,
    `<bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="${id}_msg" /></bpmn:intermediateCatchEvent>
    ${afterCatch ? serviceTask('after', afterCatch) : ''}
    <bpmn:endEvent id="end" />
    ${afterCatch ? chain('start', 'wait', next, 'end') : chain('start', 'wait', 'end')}`,
    message(`${id}_msg`, name, correlationKey),
  );
}

const subscriptionCreated = (bpmnProcessId: string) =>
  and(ofType('PROCESS_MESSAGE_SUBSCRIPTION', 'CREATED'), (r) => r.value.bpmnProcessId === bpmnProcessId);
const correlatedIn = (processInstanceKey: string) =>
  and(ofType('PROCESS_MESSAGE_SUBSCRIPTION', 'CORRELATED'), inInstance(processInstanceKey));

describe('correlation by correlation key', () => {
  test('an intermediate catch event takes only the message with its FEEL correlation key; the variables reach the process scope', async () => {
    await deployXml(suite.zbc, 'msg-catch.bpmn', catchProcess('msg-catch', 'payment-received', '=order.id', 'msg-catch-after'));
    const a = await suite.zbc.createProcessInstance({ bpmnProcessId: 'msg-catch', variables: { order: { id: 'A-1' } } });
    const b = await suite.zbc.createProcessInstance({ bpmnProcessId: 'msg-catch', variables: { order: { id: 'B-1' } } });
    const subscriptions = await records.where(subscriptionCreated('msg-catch'));
    expect(subscriptions.map((r) => [r.processInstanceKey, r.value.correlationKey])).toEqual([
      [a.processInstanceKey, 'A-1'],
      [b.processInstanceKey, 'B-1'],
    ]);

    await suite.zbc.publishMessage({ name: 'payment-received', correlationKey: 'A-1', variables: { amount: 99, paidBy: 'card' } });

    expect(await records.where(element('wait', 'ELEMENT_COMPLETED', 'msg-catch'))).toHaveLength(1);
    expect(await records.where(correlatedIn(a.processInstanceKey))).toHaveLength(1);
    expect(await records.where(correlatedIn(b.processInstanceKey))).toHaveLength(0);
    // Merged into the process instance, not kept local to the catch event.
    const amount = await records.where(and(ofType('VARIABLE', 'CREATED'), (r) => r.value.name === 'amount'));
    expect(amount.map((r) => [r.value.scopeKey, r.value.value])).toEqual([[a.processInstanceKey, '99']]);

    const job = await activateOne(suite.zbc, 'msg-catch-after');
    expect(job.processInstanceKey).toBe(a.processInstanceKey);
    expect(job.variables).toEqual({ order: { id: 'A-1' }, amount: 99, paidBy: 'card' });
    await suite.zbc.completeJob({ jobKey: job.key, variables: {} });

    await suite.zbc.publishMessage({ name: 'payment-received', correlationKey: 'B-1', variables: { amount: 5 } });
    const jobB = await activateOne(suite.zbc, 'msg-catch-after');
    expect(jobB.processInstanceKey).toBe(b.processInstanceKey);
    expect(jobB.variables).toEqual({ order: { id: 'B-1' }, amount: 5 });
    await suite.zbc.completeJob({ jobKey: jobB.key, variables: {} });
  });

  test('a receive task with a numeric correlation key completes with the message variables', async () => {
    await deployProcess(
      suite.zbc,
      'msg-receive',
      `<bpmn:startEvent id="start" />
      <bpmn:receiveTask id="receive" messageRef="msg-receive_msg" />
      <bpmn:endEvent id="end" />
      ${chain('start', 'receive', 'end')}`,
      message('msg-receive_msg', 'top-up-confirmed', '=customerNo'),
    );
    const result = runToEnd(suite.zbc, 'msg-receive', { customerNo: 10086 });
    const [subscription] = await records.waitFor(subscriptionCreated('msg-receive'));
    // A number becomes its decimal text, as Zeebe does.
    expect(subscription.value.correlationKey).toBe('10086');

    await suite.zbc.publishMessage({ name: 'top-up-confirmed', correlationKey: '10087', variables: { yuan: 1 } });
    expect(await records.where(correlatedIn(subscription.processInstanceKey!))).toHaveLength(0);
    await suite.zbc.publishMessage({ name: 'top-up-confirmed', correlationKey: '10086', variables: { yuan: 50 } });

    const done = await result;
    expect(done.variables).toEqual({ customerNo: 10086, yuan: 50 });
    expect(await records.where(element('receive', 'ELEMENT_COMPLETED', 'msg-receive'))).toHaveLength(1);
  });

  test('records: subscription CREATED, then MESSAGE PUBLISHED, then CORRELATED, then the catch event completes', async () => {
    await deployXml(suite.zbc, 'msg-order.bpmn', catchProcess('msg-order', 'msg-order', '=key'));
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: 'msg-order', variables: { key: 'k-1' } });
    const { key: messageKey } = await suite.zbc.publishMessage({ name: 'msg-order', correlationKey: 'k-1', variables: {} });
    const all = await records.all();
    const position = (description: string, predicate: (r: (typeof all)[number]) => boolean) => {
      const found = all.filter(predicate);
      expect({ description, count: found.length }).toEqual({ description, count: 1 });
      return found[0].position;
    };
    const activated = position('catch activated', and(element('wait', 'ELEMENT_ACTIVATED'), inInstance(processInstanceKey)));
    const created = position('subscription created', and(ofType('PROCESS_MESSAGE_SUBSCRIPTION', 'CREATED'), inInstance(processInstanceKey)));
    const published = position('message published', (r) => r.valueType === 'MESSAGE' && r.intent === 'PUBLISHED' && r.key === String(messageKey));
    const correlated = position('process subscription correlated', correlatedIn(processInstanceKey));
    const messageSubscriptionCorrelated = position(
      'message subscription correlated',
      and(ofType('MESSAGE_SUBSCRIPTION', 'CORRELATED'), inInstance(processInstanceKey)),
    );
    const completing = position('catch completing', and(element('wait', 'ELEMENT_COMPLETING'), inInstance(processInstanceKey)));
    const completed = position('catch completed', and(element('wait', 'ELEMENT_COMPLETED'), inInstance(processInstanceKey)));
    const processCompleted = position('process completed', and(element('msg-order', 'ELEMENT_COMPLETED'), inInstance(processInstanceKey)));

    expect(created).toBeLessThan(published);
    expect(activated).toBeLessThan(published);
    expect(published).toBeLessThan(correlated);
    expect(published).toBeLessThan(messageSubscriptionCorrelated);
    expect(correlated).toBeLessThan(completing);
    expect(completing).toBeLessThan(completed);
    expect(completed).toBeLessThan(processCompleted);
    const correlatedRecord = all.find((r) => r.position === correlated)!;
    expect(correlatedRecord.value).toMatchObject({ messageKey: String(messageKey), correlationKey: 'k-1', messageName: 'msg-order', elementId: 'wait' });
  });
});

describe('message buffering', () => {
  test('a message published with a time to live before the subscription opens is correlated when it opens', async () => {
    await deployXml(suite.zbc, 'msg-buffered.bpmn', catchProcess('msg-buffered', 'msg-buffered', '=key'));
    const { key: messageKey } = await suite.zbc.publishMessage({
      name: 'msg-buffered',
      correlationKey: 'early',
      timeToLive: 60_000,
      variables: { note: 'early' },
    });
    // Most of the time to live has passed: still buffered.
    await suite.engine.advanceClock(50_000);
    const done = await runToEnd(suite.zbc, 'msg-buffered', { key: 'early' });
    expect(done.variables).toEqual({ key: 'early', note: 'early' });
    const [correlated] = await records.where(correlatedIn(done.processInstanceKey));
    expect(correlated.value.messageKey).toBe(String(messageKey));
  });

  test('after its time to live has passed the message is gone and a later message is taken instead', async () => {
    await deployXml(suite.zbc, 'msg-stale.bpmn', catchProcess('msg-stale', 'msg-stale', '=key'));
    const { key: staleKey } = await suite.zbc.publishMessage({ name: 'msg-stale', correlationKey: 's', timeToLive: 10_000, variables: { note: 'stale' } });
    const mark = await records.mark();
    await suite.engine.advanceClock(10_001);
    await records.waitFor((r) => r.valueType === 'MESSAGE' && r.intent === 'EXPIRED' && r.key === String(staleKey), {
      fromPosition: mark,
      description: 'the stale message to expire',
    });

    const result = runToEnd(suite.zbc, 'msg-stale', { key: 's' });
    const [subscription] = await records.waitFor(subscriptionCreated('msg-stale'));
    expect(await records.where(correlatedIn(subscription.processInstanceKey!))).toHaveLength(0);

    await suite.zbc.publishMessage({ name: 'msg-stale', correlationKey: 's', variables: { note: 'fresh' } });
    expect((await result).variables).toEqual({ key: 's', note: 'fresh' });
  });

  test('a message with time to live 0 is not buffered: it expires at once', async () => {
    await deployXml(suite.zbc, 'msg-ttl0.bpmn', catchProcess('msg-ttl0', 'msg-ttl0', '=key'));
    const { key: unbufferedKey } = await suite.zbc.publishMessage({ name: 'msg-ttl0', correlationKey: 'z', timeToLive: 0, variables: { note: 'unbuffered' } });
    const ofMessage = await records.where((r) => r.valueType === 'MESSAGE' && r.key === String(unbufferedKey));
    expect(ofMessage.map((r) => r.intent)).toEqual(['PUBLISHED', 'EXPIRED']);

    const result = runToEnd(suite.zbc, 'msg-ttl0', { key: 'z' });
    const [subscription] = await records.waitFor(subscriptionCreated('msg-ttl0'));
    expect(await records.where(correlatedIn(subscription.processInstanceKey!))).toHaveLength(0);

    await suite.zbc.publishMessage({ name: 'msg-ttl0', correlationKey: 'z', variables: { note: 'later' } });
    expect((await result).variables).toEqual({ key: 'z', note: 'later' });
  });
});

describe('message id uniqueness', () => {
  test('publishing the same messageId again while the first is buffered is rejected with ALREADY_EXISTS', async () => {
    const publish = (correlationKey: string, variables: Record<string, unknown> = {}, name = 'msg-id') =>
      suite.zbc.publishMessage({ name, correlationKey, messageId: 'sms-7788', timeToLive: 30_000, variables });
    await publish('c-1', { n: 1 });

    const error = await grpcErrorOf(publish('c-1', { n: 2 }));
    expect(error.code).toBe(ALREADY_EXISTS);
    expect(error.message).toContain("a message with that id was already published");
    // The id is unique per message name and correlation key.
    await publish('c-2');
    await publish('c-1', {}, 'msg-id-other');

    // Correlating does not remove the message from the buffer: the id stays taken.
    await deployXml(suite.zbc, 'msg-id.bpmn', catchProcess('msg-id', 'msg-id', '=key'));
    const done = await runToEnd(suite.zbc, 'msg-id', { key: 'c-1' });
    expect(done.variables).toEqual({ key: 'c-1', n: 1 });
    expect((await grpcErrorOf(publish('c-1', { n: 3 }))).code).toBe(ALREADY_EXISTS);
    const rejected = await records.where((r) => r.valueType === 'MESSAGE' && r.intent === 'PUBLISHED' && r.value.messageId === 'sms-7788' && r.value.correlationKey === 'c-1' && r.value.name === 'msg-id');
    expect(rejected).toHaveLength(1);

    // Once the message has expired, the id may be used again.
    const mark = await records.mark();
    await suite.engine.advanceClock(30_001);
    await records.waitFor((r) => r.valueType === 'MESSAGE' && r.intent === 'EXPIRED' && r.value.messageId === 'sms-7788', {
      count: 3,
      fromPosition: mark,
      description: 'the three buffered messages to expire',
    });
    await publish('c-1', { n: 4 });
  });

  test('a message with time to live 0 leaves its id free', async () => {
    const publish = () => suite.zbc.publishMessage({ name: 'msg-id-ttl0', correlationKey: 'x', messageId: 'once', timeToLive: 0, variables: {} });
    await publish();
    await publish();
  });
});

describe("Zeebe's cardinality rule", () => {
  test('two instances of one process wait for the same message: one message correlates to only one of them', async () => {
    await deployXml(suite.zbc, 'msg-card-same.bpmn', catchProcess('msg-card-same', 'msg-card', '=key'));
    const one = await suite.zbc.createProcessInstance({ bpmnProcessId: 'msg-card-same', variables: { key: 'shared' } });
    const two = await suite.zbc.createProcessInstance({ bpmnProcessId: 'msg-card-same', variables: { key: 'shared' } });

    await suite.zbc.publishMessage({ name: 'msg-card', correlationKey: 'shared', variables: { first: true } });
    const afterFirst = [
      ...(await records.where(correlatedIn(one.processInstanceKey))),
      ...(await records.where(correlatedIn(two.processInstanceKey))),
    ];
    expect(afterFirst).toHaveLength(1);

    await suite.zbc.publishMessage({ name: 'msg-card', correlationKey: 'shared', variables: { first: false } });
    const completed = await records.where(element('msg-card-same', 'ELEMENT_COMPLETED'));
    expect(completed.map((r) => r.processInstanceKey).sort()).toEqual([one.processInstanceKey, two.processInstanceKey].sort());
  });

  test('two subscriptions of the same message inside one instance: one message triggers only one of them', async () => {
    await deployProcess(
      suite.zbc,
      'msg-card-within',
      `<bpmn:startEvent id="start" />
      <bpmn:parallelGateway id="fork" />
      <bpmn:intermediateCatchEvent id="left"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="right"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="endLeft" />
      <bpmn:endEvent id="endRight" />
      ${chain('start', 'fork')}
      ${chain('fork', 'left', 'endLeft')}
      ${chain('fork', 'right', 'endRight')}`,
      message('m', 'msg-card-within', '=key'),
    );
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: 'msg-card-within', variables: { key: 'w' } });
    expect(await records.where(and(ofType('PROCESS_MESSAGE_SUBSCRIPTION', 'CREATED'), inInstance(processInstanceKey)))).toHaveLength(2);

    await suite.zbc.publishMessage({ name: 'msg-card-within', correlationKey: 'w', variables: {} });
    const caught = (await records.where(and(ofType('PROCESS_INSTANCE', 'ELEMENT_COMPLETED'), inInstance(processInstanceKey)))).filter(
      (r) => r.value.elementId === 'left' || r.value.elementId === 'right',
    );
    expect(caught).toHaveLength(1);

    await suite.zbc.publishMessage({ name: 'msg-card-within', correlationKey: 'w', variables: {} });
    expect(await records.where(and(element('msg-card-within', 'ELEMENT_COMPLETED'), inInstance(processInstanceKey)))).toHaveLength(1);
  });

  test('different processes waiting for the same message all get it', async () => {
    await deployXml(suite.zbc, 'msg-card-p.bpmn', catchProcess('msg-card-p', 'msg-card-multi', '=key'));
    await deployXml(suite.zbc, 'msg-card-q.bpmn', catchProcess('msg-card-q', 'msg-card-multi', '=key'));
    const p = await suite.zbc.createProcessInstance({ bpmnProcessId: 'msg-card-p', variables: { key: 'm' } });
    const q = await suite.zbc.createProcessInstance({ bpmnProcessId: 'msg-card-q', variables: { key: 'm' } });
    const { key } = await suite.zbc.publishMessage({ name: 'msg-card-multi', correlationKey: 'm', variables: {} });
    for (const instance of [p, q]) {
      const [correlated] = await records.where(correlatedIn(instance.processInstanceKey));
      expect(correlated.value.messageKey).toBe(String(key));
    }
  });

  test('a buffered message is correlated once per bpmnProcessId, across versions, but still to other processes', async () => {
    await deployXml(suite.zbc, 'msg-card-buf.bpmn', catchProcess('msg-card-buf', 'msg-card-buf', '=key'));
    await deployXml(suite.zbc, 'msg-card-buf-other.bpmn', catchProcess('msg-card-buf-other', 'msg-card-buf', '=key'));
    const { key } = await suite.zbc.publishMessage({ name: 'msg-card-buf', correlationKey: 'b', timeToLive: 60_000, variables: { n: 1 } });

    const first = await suite.zbc.createProcessInstance({ bpmnProcessId: 'msg-card-buf', variables: { key: 'b' } });
    expect((await records.where(correlatedIn(first.processInstanceKey))).map((r) => r.value.messageKey)).toEqual([String(key)]);

    const second = await suite.zbc.createProcessInstance({ bpmnProcessId: 'msg-card-buf', variables: { key: 'b' } });
    expect(await records.where(subscriptionCreated('msg-card-buf'))).toHaveLength(2);
    expect(await records.where(correlatedIn(second.processInstanceKey))).toHaveLength(0);

    // A new version has the same bpmnProcessId: still the same process for the rule.
    const v2 = await deployXml(suite.zbc, 'msg-card-buf.bpmn', catchProcess('msg-card-buf', 'msg-card-buf', '=key').replace('id="end"', 'id="end" name="v2"'));
    expect(v2.deployments[0].process.version).toBe(2);
    const third = await suite.zbc.createProcessInstance({ bpmnProcessId: 'msg-card-buf', variables: { key: 'b' } });
    expect(third.version).toBe(2);
    expect(await records.where(correlatedIn(third.processInstanceKey))).toHaveLength(0);

    const other = await suite.zbc.createProcessInstance({ bpmnProcessId: 'msg-card-buf-other', variables: { key: 'b' } });
    expect((await records.where(correlatedIn(other.processInstanceKey))).map((r) => r.value.messageKey)).toEqual([String(key)]);
    await suite.zbc.cancelProcessInstance(second.processInstanceKey);
    await suite.zbc.cancelProcessInstance(third.processInstanceKey);
  });

  test('a process waiting at a catch event and having a message start event for the same message: the waiting instance takes it, no new instance starts', async () => {
    await deployProcess(
      suite.zbc,
      'msg-card-start',
      `<bpmn:startEvent id="byMessage"><bpmn:messageEventDefinition messageRef="startMsg" /></bpmn:startEvent>
      <bpmn:startEvent id="start" />
      <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="catchMsg" /></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end" />
      <bpmn:endEvent id="startedEnd" />
      ${chain('start', 'wait', 'end')}
      ${flow('byMessage', 'startedEnd')}`,
      message('startMsg', 'order-updated') + message('catchMsg', 'order-updated', '=orderId'),
    );
    const waiting = await suite.zbc.createProcessInstance({ bpmnProcessId: 'msg-card-start', variables: { orderId: 'o-9' } });
    const mark = await records.mark();

    await suite.zbc.publishMessage({ name: 'order-updated', correlationKey: 'o-9', variables: {} });
    expect(await records.where(correlatedIn(waiting.processInstanceKey))).toHaveLength(1);
    expect(await records.where(processActivated('msg-card-start'), mark)).toHaveLength(0);

    // With no instance waiting, the same message starts one.
    await suite.zbc.publishMessage({ name: 'order-updated', correlationKey: 'o-9', variables: {} });
    expect(await records.where(processActivated('msg-card-start'), mark)).toHaveLength(1);
  });
});

describe('message boundary events', () => {
  function boundaryProcess(id: string, interrupting: boolean): string {
    return processXml(
      id,
      `<bpmn:startEvent id="start" />
      ${serviceTask('work', `${id}-work`)}
      <bpmn:boundaryEvent id="onMessage" attachedToRef="work" cancelActivity="${interrupting}">
        <bpmn:messageEventDefinition messageRef="${id}_msg" />
      </bpmn:boundaryEvent>
      ${serviceTask('handle', `${id}-handle`)}
      <bpmn:endEvent id="end" />
      <bpmn:endEvent id="handled" />
      ${chain('start', 'work', 'end')}
      ${chain('onMessage', 'handle', 'handled')}`,
      message(`${id}_msg`, `${id}-cancel`, '=ticketId'),
    );
  }

  test('an interrupting message boundary event terminates the task, cancels its job and continues on its own path', async () => {
    await deployXml(suite.zbc, 'msg-boundary-int.bpmn', boundaryProcess('msg-boundary-int', true));
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: 'msg-boundary-int', variables: { ticketId: 't-1' } });
    const [jobCreated] = await records.where(and(ofType('JOB', 'CREATED'), inInstance(processInstanceKey)));

    await suite.zbc.publishMessage({ name: 'msg-boundary-int-cancel', correlationKey: 't-1', variables: { reason: 'customer hung up' } });

    const ofInstance = await records.where(inInstance(processInstanceKey));
    const intents = (elementId: string) => ofInstance.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === elementId).map((r) => r.intent);
    expect(intents('work')).toEqual(['ELEMENT_ACTIVATING', 'ELEMENT_ACTIVATED', 'ELEMENT_TERMINATING', 'ELEMENT_TERMINATED']);
    expect(intents('onMessage')).toEqual(['ELEMENT_ACTIVATING', 'ELEMENT_ACTIVATED', 'ELEMENT_COMPLETING', 'ELEMENT_COMPLETED']);
    expect(ofInstance.filter((r) => r.valueType === 'JOB' && r.key === jobCreated.key).map((r) => r.intent)).toEqual(['CREATED', 'CANCELED']);
    expect((await grpcErrorOf(suite.zbc.completeJob({ jobKey: jobCreated.key, variables: {} }))).code).toBe(NOT_FOUND);

    const handle = await activateOne(suite.zbc, 'msg-boundary-int-handle');
    expect(handle.processInstanceKey).toBe(processInstanceKey);
    expect(handle.variables).toEqual({ ticketId: 't-1', reason: 'customer hung up' });
    await suite.zbc.completeJob({ jobKey: handle.key, variables: {} });
    const ended = await records.where(and(ofType('PROCESS_INSTANCE', 'ELEMENT_COMPLETED'), inInstance(processInstanceKey)));
    expect(ended.map((r) => r.value.elementId)).toEqual(['start', 'onMessage', 'handle', 'handled', 'msg-boundary-int']);
  });

  test('a non-interrupting message boundary event fires for every message while the task keeps running', async () => {
    await deployXml(suite.zbc, 'msg-boundary-non.bpmn', boundaryProcess('msg-boundary-non', false));
    const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: 'msg-boundary-non', variables: { ticketId: 't-2' } });

    await suite.zbc.publishMessage({ name: 'msg-boundary-non-cancel', correlationKey: 't-2', variables: { reminder: 1 } });
    await suite.zbc.publishMessage({ name: 'msg-boundary-non-cancel', correlationKey: 't-2', variables: { reminder: 2 } });

    const ofInstance = await records.where(inInstance(processInstanceKey));
    expect(ofInstance.filter(element('onMessage', 'ELEMENT_COMPLETED'))).toHaveLength(2);
    expect(ofInstance.filter((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'work').map((r) => r.intent)).toEqual([
      'ELEMENT_ACTIVATING',
      'ELEMENT_ACTIVATED',
    ]);
    const handleJobs = ofInstance.filter((r) => r.valueType === 'JOB' && r.intent === 'CREATED' && r.value.type === 'msg-boundary-non-handle');
    expect(handleJobs).toHaveLength(2);

    const work = await activateOne(suite.zbc, 'msg-boundary-non-work');
    // Both messages were merged into the process scope, the later one last.
    expect(work.variables).toEqual({ ticketId: 't-2', reminder: 2 });
    await suite.zbc.completeJob({ jobKey: work.key, variables: {} });
    expect(await records.where(and(element('work', 'ELEMENT_COMPLETED'), inInstance(processInstanceKey)))).toHaveLength(1);
    // The subscription closed with the task: a third message finds nothing.
    await suite.zbc.publishMessage({ name: 'msg-boundary-non-cancel', correlationKey: 't-2', variables: {} });
    expect(await records.where(and(element('onMessage', 'ELEMENT_ACTIVATED'), inInstance(processInstanceKey)))).toHaveLength(2);
    for (let i = 0; i < 2; i++) await completeNextJob(suite.zbc, 'msg-boundary-non-handle');
    expect(await records.where(and(element('msg-boundary-non', 'ELEMENT_COMPLETED'), inInstance(processInstanceKey)))).toHaveLength(1);
  });
});

describe('message start events', () => {
  function startProcess(id: string, messageName: string): string {
    return processXml(
      id,
      `<bpmn:startEvent id="byMessage"><bpmn:messageEventDefinition messageRef="${id}_msg" /></bpmn:startEvent>
      ${serviceTask('work', `${id}-work`)}
      <bpmn:endEvent id="end" />
      ${chain('byMessage', 'work', 'end')}`,
      message(`${id}_msg`, messageName),
    );
  }

  test('a message creates an instance and its variables arrive in it; without a correlation key every message starts one', async () => {
    await deployXml(suite.zbc, 'msg-start.bpmn', startProcess('msg-start', 'complaint-filed'));
    const mark = await records.mark();
    await suite.zbc.publishMessage({ name: 'complaint-filed', correlationKey: '', variables: { complaintId: 'C-1', level: 'urgent' } });
    const [started] = await records.where(processActivated('msg-start'), mark);
    expect(started).toBeDefined();
    expect(await records.where(and(element('byMessage', 'ELEMENT_COMPLETED'), inInstance(started.processInstanceKey!)))).toHaveLength(1);

    const job = await activateOne(suite.zbc, 'msg-start-work');
    expect(job.processInstanceKey).toBe(started.processInstanceKey);
    expect(job.variables).toEqual({ complaintId: 'C-1', level: 'urgent' });

    await suite.zbc.publishMessage({ name: 'complaint-filed', correlationKey: '', variables: { complaintId: 'C-2' } });
    expect(await records.where(processActivated('msg-start'), mark)).toHaveLength(2);
    await suite.zbc.completeJob({ jobKey: job.key, variables: {} });
    await completeNextJob(suite.zbc, 'msg-start-work');
  });

  test('with a correlation key, no second instance starts while the first runs; a buffered one starts when it ends', async () => {
    await deployXml(suite.zbc, 'msg-start-key.bpmn', startProcess('msg-start-key', 'sim-swap'));
    const mark = await records.mark();
    const started = () => records.where(processActivated('msg-start-key'), mark);

    const publish = (phone: string, attempt: number, timeToLive = 0) =>
      suite.zbc.publishMessage({ name: 'sim-swap', correlationKey: phone, timeToLive, variables: { phone, attempt } });
    await publish('138-0000', 1);
    expect(await started()).toHaveLength(1);
    await publish('138-0000', 2);
    expect(await started()).toHaveLength(1);
    // Another key is another business case.
    await publish('138-1111', 1);
    expect(await started()).toHaveLength(2);

    // Buffered while the first runs; Zeebe correlates it once that instance ends.
    await publish('138-0000', 3, 60_000);
    expect(await started()).toHaveLength(2);

    const jobs = [await activateOne(suite.zbc, 'msg-start-key-work'), await activateOne(suite.zbc, 'msg-start-key-work')];
    expect(jobs.map((job) => job.variables).sort((a, b) => String(a.phone).localeCompare(String(b.phone)))).toEqual([
      { phone: '138-0000', attempt: 1 },
      { phone: '138-1111', attempt: 1 },
    ]);
    await suite.zbc.completeJob({ jobKey: jobs.find((job) => job.variables.phone === '138-0000')!.key, variables: {} });

    const afterEnd = await started();
    expect(afterEnd).toHaveLength(3);
    const third = await activateOne(suite.zbc, 'msg-start-key-work');
    expect(third.processInstanceKey).toBe(afterEnd[2].processInstanceKey);
    expect(third.variables).toEqual({ phone: '138-0000', attempt: 3 });
  });
});
