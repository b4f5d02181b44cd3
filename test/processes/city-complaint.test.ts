/**
 * city-complaint (规范 8.1): the city handler signs for the work order and replies, returns it as misrouted or asks
 * for an extension; a reminder (催单) at 75 % of the time limit, mailed by the send-reminder worker to the city
 * group, and the supervisor (督办) when it has passed.
 */
import { slaValues } from '../../db/slaConfig';
import { createWorkOrder, findWorkOrder, workOrderEvents } from '../../db/workOrders';
import { processXml, startInstance } from '../support/bpmn';
import { deployXml, waitFor } from '../support/engineHarness';
import { usePlatform } from '../support/platformHarness';
import { recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels, dueDateOf } from './drive';

const suite = usePlatform();
const stream = recordStream(suite);
const HOUR = 3600_000;
const MINUTE = 60_000;
let orders = 0;
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

/** The city's limits as dispatch-to-city sets them from the SLA configuration for a normal complaint. */
async function limits() {
  const sla = await slaValues(suite.knex, ['complaint.sign_for', 'complaint.deadline.normal', 'complaint.reminder_at']);
  const replyMs = sla['complaint.deadline.normal'] * MINUTE;
  return { signMs: sla['complaint.sign_for'] * MINUTE, replyMs, remindMs: (replyMs * sla['complaint.reminder_at']) / 100 };
}

/** A work order dispatched to 广州, and its city-complaint instance. */
async function dispatched(processId = 'city-complaint') {
  const now = await stream.engineNow();
  const { signMs, replyMs, remindMs } = await limits();
  const order = await createWorkOrder(suite.knex, {
    channel: 'phone', category: '网络质量', state: 'dispatched', centerCode: 'gz', idempotencyKey: `city-complaint-test-${++orders}`, actor: 'test', now: new Date(now),
  });
  const variables = {
    workOrderId: order.number,
    cityCode: 'gz',
    slaCitySign: `PT${signMs / MINUTE}M`,
    cityRemindAt: new Date(now + remindMs).toISOString(),
    cityReplyDueAt: new Date(now + replyMs).toISOString(),
  };
  return { key: await startInstance(suite.zbc, processId, variables), now, variables };
}

const remindersOf = async (workOrderId: string) =>
  (await suite.caughtMail()).filter((m) => m.rcptTo.includes('city-gz@service.example.cn') && m.subject.startsWith(`【催单】投诉工单 ${workOrderId} `));

function reminded(workOrderId: string, count: number) {
  return waitFor(async () => ((await remindersOf(workOrderId)).length >= count ? remindersOf(workOrderId) : undefined), {
    timeoutMs: 10_000,
    description: `reminder mail ${count} of ${workOrderId}`,
  });
}

it('the city group signs for the order and replies in time', async () => {
  const { key, now, variables } = await dispatched();
  const sign = await complete(suite.zbc, key, 'sign-for', { signedBy: 'gz-handler-1' });
  expect(sign.customHeaders['io.camunda.zeebe:formKey']).toBe('city-complaint-sign');
  expect(groupsOf(sign)).toEqual(['city-gz']);
  const { signMs } = await limits();
  expect(dueDateOf(sign) - now).toBeGreaterThanOrEqual(signMs);
  expect(dueDateOf(sign) - now).toBeLessThan(signMs + 60_000);

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

it('reminds the city group by mail at 75 % of the limit, then the supervisor takes over: handles one order, extends another', async () => {
  const { replyMs, remindMs } = await limits();
  const handled = await dispatched();
  const extended = await dispatched();
  for (const { key } of [handled, extended]) {
    await complete(suite.zbc, key, 'sign-for', { signedBy: 'gz-handler-1' });
  }

  expect(await remindersOf(handled.variables.workOrderId)).toHaveLength(0);
  await suite.advanceClock(remindMs + MINUTE);
  for (const { variables } of [handled, extended]) {
    const [mail] = await reminded(variables.workOrderId, 1);
    expect(mail.htmlBody).toContain(variables.workOrderId);
    const order = (await findWorkOrder(suite.knex, variables.workOrderId))!;
    // The worker logs the reminder on the work order once the mail is out.
    await waitFor(async () => (await workOrderEvents(suite.knex, order.id)).some((e) => e.action === 'reminded'), { description: `the reminder event of ${order.number}` });
  }

  await suite.advanceClock(replyMs - remindMs);
  const supervise = await complete(suite.zbc, handled.key, 'supervise', { supervisorDecision: 'handled', replyText: '督办直接答复客户。' });
  expect(groupsOf(supervise)).toEqual(['supervisor']);
  const handledSteps = trail(await waitForCompletion(suite.engine, handled.key));
  expect(handledSteps).toContain('handle:ELEMENT_TERMINATED');
  expect(handledSteps).toContain('supervisor-handled:ELEMENT_COMPLETED');

  await complete(suite.zbc, extended.key, 'supervise', { supervisorDecision: 'extend', extensionHours: 12 });
  // The next reminder comes at 75 % of the 12-hour extension past the old limit (engine time is 1 min past it now).
  await suite.advanceClock(9 * HOUR - 5 * MINUTE);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await remindersOf(extended.variables.workOrderId)).toHaveLength(1);
  await suite.advanceClock(5 * MINUTE);
  await reminded(extended.variables.workOrderId, 2);
  const handle = await complete(suite.zbc, extended.key, 'handle', { cityOutcome: 'replied', replyText: '延期后已处理。' });
  expect(dueDateOf(handle)).toBe(Date.parse(extended.variables.cityReplyDueAt) + 12 * HOUR);
  expect(trail(await waitForCompletion(suite.engine, extended.key))).toContain('replied:ELEMENT_COMPLETED');
});
