/**
 * city-complaint (规范 8.1): the city handler signs for the work order and replies, returns it as misrouted or asks
 * for an extension; a reminder (催单) at 75 % of the time limit and the supervisor (督办) when it has passed.
 */
import { processXml, startInstance } from '../support/bpmn';
import { deployXml, useTestEngine } from '../support/engineHarness';
import { recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels, dueDateOf, takeJob } from './drive';

const suite = useTestEngine();
const stream = recordStream(suite);
const HOUR = 3600_000;
const groupsOf = (job: { customHeaders: Record<string, unknown> }) => JSON.parse(String(job.customHeaders['io.camunda.zeebe:candidateGroups']));

beforeAll(async () => {
  await deployModels(suite.zbc, 'city-complaint');
  // The province side as complaint will call it: a misrouted order comes back as the BPMN error MISROUTED.
  await deployXml(
    suite.zbc,
    'province-dispatch.bpmn',
    processXml(
      'province-dispatch',
      `<bpmn:startEvent id="start" />
       <bpmn:callActivity id="city"><bpmn:extensionElements><zeebe:calledElement processId="city-complaint" /></bpmn:extensionElements></bpmn:callActivity>
       <bpmn:boundaryEvent id="returned" attachedToRef="city"><bpmn:errorEventDefinition errorRef="misrouted" /></bpmn:boundaryEvent>
       <bpmn:endEvent id="answered" /><bpmn:endEvent id="redispatch" />
       <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="city" /><bpmn:sequenceFlow id="f2" sourceRef="city" targetRef="answered" />
       <bpmn:sequenceFlow id="f3" sourceRef="returned" targetRef="redispatch" />`,
      '<bpmn:error id="misrouted" errorCode="MISROUTED" />',
    ),
  );
});

/** Variables as dispatch-to-city sets them from the SLA configuration, relative to engine time. */
async function dispatched(processId = 'city-complaint') {
  const now = await stream.engineNow();
  const variables = {
    workOrderId: 'WO-2026-0001',
    cityCode: 'gz',
    slaCitySign: 'PT2H',
    cityRemindAt: new Date(now + 36 * HOUR).toISOString(),
    cityReplyDueAt: new Date(now + 48 * HOUR).toISOString(),
  };
  return { key: await startInstance(suite.zbc, processId, variables), now, variables };
}

it('the city group signs for the order and replies in time', async () => {
  const { key, now, variables } = await dispatched();
  const sign = await complete(suite.zbc, key, 'sign-for', { signedBy: 'gz-handler-1' });
  expect(sign.customHeaders['io.camunda.zeebe:formKey']).toBe('city-complaint-sign');
  expect(groupsOf(sign)).toEqual(['city-gz']);
  expect(dueDateOf(sign) - now).toBeGreaterThanOrEqual(2 * HOUR);
  expect(dueDateOf(sign) - now).toBeLessThan(2 * HOUR + 60_000);

  const handle = await complete(suite.zbc, key, 'handle', { cityOutcome: 'replied', cause: '基站故障', resolution: '已修复', replyText: '您反映的信号问题已处理。' });
  expect(dueDateOf(handle)).toBe(Date.parse(variables.cityReplyDueAt));
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('replied:ELEMENT_COMPLETED');
  expect(steps).not.toContain('send-reminder:ELEMENT_ACTIVATED');
});

it('a misrouted order (退单) goes back to the province as the error MISROUTED', async () => {
  const { key } = await dispatched('province-dispatch');
  const [child] = await stream.waitFor((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.bpmnElementType === 'PROCESS' && r.value.parentProcessInstanceKey === key, {
    description: 'the city-complaint instance',
  });
  await complete(suite.zbc, child.key, 'sign-for');
  await complete(suite.zbc, child.key, 'handle', { cityOutcome: 'misrouted', returnReason: '号码归属佛山' });
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('redispatch:ELEMENT_COMPLETED');
});

it('an approved extension moves the time limit by the hours asked for', async () => {
  const { key, variables } = await dispatched();
  await complete(suite.zbc, key, 'sign-for');
  await complete(suite.zbc, key, 'handle', { cityOutcome: 'extension', extensionHours: 24, extensionReason: '需上门测试' });
  const approval = await complete(suite.zbc, key, 'approve-extension', { extensionApproved: true });
  expect(groupsOf(approval)).toEqual(['team-lead']);

  const again = await complete(suite.zbc, key, 'handle', { cityOutcome: 'replied', replyText: '已上门处理。' });
  expect(dueDateOf(again)).toBe(Date.parse(variables.cityReplyDueAt) + 24 * HOUR);
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('replied:ELEMENT_COMPLETED');
});

it('reminds at 75 % of the limit, then the supervisor takes over: handles one order, extends another', async () => {
  const handled = await dispatched();
  const extended = await dispatched();
  for (const { key } of [handled, extended]) {
    await complete(suite.zbc, key, 'sign-for');
    await takeJob(suite.zbc, key, 'handle');
  }

  await suite.engine.advanceClock(36 * HOUR + 60_000);
  for (const { key } of [handled, extended]) {
    const reminder = await complete(suite.zbc, key, 'send-reminder', { reminded: true }, 'send-reminder');
    expect(reminder.customHeaders.template).toBe('city-complaint-reminder');
  }

  await suite.engine.advanceClock(12 * HOUR);
  const supervise = await complete(suite.zbc, handled.key, 'supervise', { supervisorDecision: 'handled', replyText: '督办直接答复客户。' });
  expect(groupsOf(supervise)).toEqual(['supervisor']);
  const handledSteps = trail(await waitForCompletion(suite.engine, handled.key));
  expect(handledSteps).toContain('handle:ELEMENT_TERMINATED');
  expect(handledSteps).toContain('supervisor-handled:ELEMENT_COMPLETED');

  await complete(suite.zbc, extended.key, 'supervise', { supervisorDecision: 'extend', extensionHours: 12 });
  const again = await takeJob(suite.zbc, extended.key, 'handle');
  // The next reminder comes at 75 % of the 12-hour extension past the old limit (engine time is 1 min past it now).
  await suite.engine.advanceClock(9 * HOUR - 5 * 60_000);
  await expect(takeJob(suite.zbc, extended.key, 'send-reminder', 'send-reminder', { timeoutMs: 1000 })).rejects.toThrow();
  await suite.engine.advanceClock(5 * 60_000);
  await complete(suite.zbc, extended.key, 'send-reminder', {}, 'send-reminder');
  await suite.zbc.completeJob({ jobKey: again.key, variables: { cityOutcome: 'replied', replyText: '延期后已处理。' } });
  expect(dueDateOf(again)).toBe(Date.parse(extended.variables.cityReplyDueAt) + 12 * HOUR);
  expect(trail(await waitForCompletion(suite.engine, extended.key))).toContain('replied:ELEMENT_COMPLETED');
});
