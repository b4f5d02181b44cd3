/**
 * User tasks the Zeebe 8.3 way: a job of type `io.camunda.zeebe:userTask` whose custom headers carry the form
 * key, the assignment (assignee, candidate groups and users as JSON lists) and the schedule (due and follow-up
 * dates), static or computed by FEEL. A task list works them through the job API; completing the job completes
 * the task with the variables it was completed with.
 */
import { deployProcess, chain, startInstance, xmlEscape } from '../support/bpmn';
import { useTestEngine, waitFor } from '../support/engineHarness';
import { ofType, recordsWhen, trail, waitForCompletion } from '../support/records';

const USER_TASK = 'io.camunda.zeebe:userTask';

const suite = useTestEngine();

interface UserTaskOptions {
  formKey?: string;
  assignee?: string;
  candidateGroups?: string;
  candidateUsers?: string;
  dueDate?: string;
  followUpDate?: string;
  headers?: Record<string, string>;
}

/** A user task element with the zeebe extension elements a modeler writes for these options. */
function userTask(id: string, options: UserTaskOptions): string {
  const attribute = (name: string, value: string | undefined) => (value === undefined ? '' : ` ${name}="${xmlEscape(value)}"`);
  const parts: string[] = [];
  if (options.formKey !== undefined) parts.push(`<zeebe:formDefinition formKey="${xmlEscape(options.formKey)}" />`);
  if (options.assignee !== undefined || options.candidateGroups !== undefined || options.candidateUsers !== undefined) {
    parts.push(
      `<zeebe:assignmentDefinition${attribute('assignee', options.assignee)}${attribute('candidateGroups', options.candidateGroups)}${attribute('candidateUsers', options.candidateUsers)} />`,
    );
  }
  if (options.dueDate !== undefined || options.followUpDate !== undefined) {
    parts.push(`<zeebe:taskSchedule${attribute('dueDate', options.dueDate)}${attribute('followUpDate', options.followUpDate)} />`);
  }
  if (options.headers) {
    const headers = Object.entries(options.headers).map(([key, value]) => `<zeebe:header key="${key}" value="${xmlEscape(value)}" />`);
    parts.push(`<zeebe:taskHeaders>${headers.join('')}</zeebe:taskHeaders>`);
  }
  return `<bpmn:userTask id="${id}"><bpmn:extensionElements>${parts.join('\n')}</bpmn:extensionElements></bpmn:userTask>`;
}

async function deployUserTaskProcess(processId: string, options: UserTaskOptions): Promise<void> {
  await deployProcess(
    suite.zbc,
    processId,
    `<bpmn:startEvent id="start" />
    ${userTask('handleComplaint', options)}
    <bpmn:endEvent id="end" />
    ${chain('start', 'handleComplaint', 'end')}`,
  );
}

/** The user-task job of one instance, activated the way a task list does it. */
async function activateUserTask(processInstanceKey: string) {
  return waitFor(
    async () => {
      const jobs = await suite.zbc.activateJobs({ type: USER_TASK, worker: 'tasklist', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 2000 });
      const job = jobs.find((j) => j.processInstanceKey === processInstanceKey);
      // Jobs of other instances are handed back for the test that owns them.
      for (const other of jobs.filter((j) => j !== job)) {
        await suite.zbc.failJob({ jobKey: other.key, retries: other.retries, errorMessage: 'not mine', retryBackOff: 0 });
      }
      return job;
    },
    { description: `the user task of instance ${processInstanceKey}` },
  );
}

describe('user task headers', () => {
  it('carry the form key, static assignment and static schedule, next to the task headers', async () => {
    await deployUserTaskProcess('user-tasks-static', {
      formKey: 'camunda-forms:bpmn:complaintForm',
      assignee: 'agent-007',
      candidateGroups: 'complaints, tier-2',
      candidateUsers: 'wang.li,zhang.wei',
      dueDate: '2025-12-31T18:00:30+08:00',
      followUpDate: '2025-12-30T09:15:45+08:00',
      headers: { queue: 'broadband' },
    });
    const processInstanceKey = await startInstance(suite.zbc, 'user-tasks-static', { complaintId: 'CMP-1' });

    const job = await activateUserTask(processInstanceKey);

    expect(job.type).toBe(USER_TASK);
    expect(job.elementId).toBe('handleComplaint');
    expect(job.customHeaders).toEqual({
      queue: 'broadband',
      'io.camunda.zeebe:formKey': 'camunda-forms:bpmn:complaintForm',
      'io.camunda.zeebe:assignee': 'agent-007',
      'io.camunda.zeebe:candidateGroups': '["complaints","tier-2"]',
      'io.camunda.zeebe:candidateUsers': '["wang.li","zhang.wei"]',
      'io.camunda.zeebe:dueDate': '2025-12-31T18:00:30+08:00',
      'io.camunda.zeebe:followUpDate': '2025-12-30T09:15:45+08:00',
    });
    expect(job.variables).toEqual({ complaintId: 'CMP-1' });
    const created = (await suite.engine.recordsOf(processInstanceKey)).find((r) => r.valueType === 'JOB' && r.intent === 'CREATED')!;
    expect(created.value.type).toBe(USER_TASK);
    expect(created.value.customHeaders).toEqual(job.customHeaders);
    await suite.zbc.cancelProcessInstance(processInstanceKey);
  });

  it('carry assignment and schedule computed by FEEL from the instance variables', async () => {
    await deployUserTaskProcess('user-tasks-feel', {
      formKey: 'camunda-forms:bpmn:repairForm',
      assignee: '=owner',
      candidateGroups: '=["city-" + city]',
      candidateUsers: '=[owner, "duty-manager"]',
      dueDate: '=date and time(reportedAt) + duration("P3D")',
      followUpDate: '=date and time(reportedAt) + duration("PT4H")',
    });
    const processInstanceKey = await startInstance(suite.zbc, 'user-tasks-feel', {
      owner: 'li.na',
      city: 'beijing',
      reportedAt: '2024-06-03T08:30:15+08:00',
    });

    const job = await activateUserTask(processInstanceKey);
    const headers = job.customHeaders as Record<string, string>;

    expect(headers['io.camunda.zeebe:formKey']).toBe('camunda-forms:bpmn:repairForm');
    expect(headers['io.camunda.zeebe:assignee']).toBe('li.na');
    expect(JSON.parse(headers['io.camunda.zeebe:candidateGroups'])).toEqual(['city-beijing']);
    expect(JSON.parse(headers['io.camunda.zeebe:candidateUsers'])).toEqual(['li.na', 'duty-manager']);
    expect(Date.parse(headers['io.camunda.zeebe:dueDate'])).toBe(Date.parse('2024-06-06T08:30:15+08:00'));
    expect(Date.parse(headers['io.camunda.zeebe:followUpDate'])).toBe(Date.parse('2024-06-03T12:30:15+08:00'));
    await suite.zbc.cancelProcessInstance(processInstanceKey);
  });

  it('compute due dates from now() on engine time, which the clock actuator moves', async () => {
    await deployUserTaskProcess('user-tasks-due-from-now', { dueDate: '=now() + duration("PT2H")' });
    const threeDays = 3 * 24 * 3600_000;
    await suite.engine.advanceClock(threeDays);
    const processInstanceKey = await startInstance(suite.zbc, 'user-tasks-due-from-now');

    const job = await activateUserTask(processInstanceKey);

    // Wall-clock now() would put the due date three days earlier.
    const due = Date.parse(job.customHeaders['io.camunda.zeebe:dueDate']);
    const engineNow = await suite.engine.engineTime();
    expect(engineNow - Date.now()).toBeGreaterThanOrEqual(threeDays - 1_000);
    expect(Math.abs(due - (engineNow + 2 * 3600_000))).toBeLessThan(60_000);
    await suite.zbc.cancelProcessInstance(processInstanceKey);
  });

  it('read today() on engine time too', async () => {
    await deployUserTaskProcess('user-tasks-groups-of-today', { candidateGroups: '=["day-" + string(today())]' });
    await suite.engine.advanceClock(10 * 24 * 3600_000);
    const day = (time: number) => `day-${new Date(time).toISOString().slice(0, 10)}`;
    const before = day(await suite.engine.engineTime());
    const processInstanceKey = await startInstance(suite.zbc, 'user-tasks-groups-of-today');

    const job = await activateUserTask(processInstanceKey);
    const after = day(await suite.engine.engineTime());

    // The wall clock's day lies ten days before either.
    expect([before, after]).toContain(JSON.parse(job.customHeaders['io.camunda.zeebe:candidateGroups'])[0]);
    await suite.zbc.cancelProcessInstance(processInstanceKey);
  });

  it('leave out what the task does not define', async () => {
    await deployUserTaskProcess('user-tasks-bare', { candidateGroups: 'hotline' });
    const processInstanceKey = await startInstance(suite.zbc, 'user-tasks-bare');

    const job = await activateUserTask(processInstanceKey);

    expect(job.customHeaders).toEqual({ 'io.camunda.zeebe:candidateGroups': '["hotline"]' });
    await suite.zbc.cancelProcessInstance(processInstanceKey);
  });

  it('raise an EXTRACT_VALUE_ERROR incident when candidate groups do not evaluate to a list', async () => {
    await deployUserTaskProcess('user-tasks-bad-groups', { candidateGroups: '=city' });
    const processInstanceKey = await startInstance(suite.zbc, 'user-tasks-bad-groups', { city: 'shanghai' });

    const records = await recordsWhen(suite.engine, processInstanceKey, (all) => all.some(ofType('INCIDENT')), 'the incident');
    const incident = records.find((r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED')!;
    expect(incident.value).toMatchObject({
      errorType: 'EXTRACT_VALUE_ERROR',
      errorMessage: "Expected result of the expression 'city' to be 'ARRAY', but was 'STRING'.",
      elementId: 'handleComplaint',
    });
    expect(records.some((r) => r.valueType === 'JOB')).toBe(false);
    await suite.zbc.cancelProcessInstance(processInstanceKey);
  });
});

describe('completing a user task', () => {
  it('completes the task with the variables the job was completed with', async () => {
    await deployProcess(
      suite.zbc,
      'user-tasks-complete',
      `<bpmn:startEvent id="start" />
      ${userTask('approveRefund', { formKey: 'camunda-forms:bpmn:refundForm', candidateGroups: 'billing' })}
      <bpmn:exclusiveGateway id="approved" default="toRejected" />
      <bpmn:endEvent id="refunded" />
      <bpmn:endEvent id="rejected" />
      ${chain('start', 'approveRefund', 'approved')}
      <bpmn:sequenceFlow id="toRefunded" sourceRef="approved" targetRef="refunded">
        <bpmn:conditionExpression xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="bpmn:tFormalExpression">=decision = "refund"</bpmn:conditionExpression>
      </bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="toRejected" sourceRef="approved" targetRef="rejected" />`,
    );
    const processInstanceKey = await startInstance(suite.zbc, 'user-tasks-complete', { amount: 58 });
    const job = await activateUserTask(processInstanceKey);

    await suite.zbc.completeJob({ jobKey: job.key, variables: { decision: 'refund', approver: 'zhao.min' } });

    const records = await waitForCompletion(suite.engine, processInstanceKey);
    const entries = trail(records);
    const at = (entry: string) => entries.indexOf(entry);
    expect(at('approveRefund:ELEMENT_COMPLETED')).toBeGreaterThan(at('approveRefund:ELEMENT_ACTIVATED'));
    expect(at('refunded:ELEMENT_COMPLETED')).toBeGreaterThan(at('approveRefund:ELEMENT_COMPLETED'));
    expect(entries).not.toContain('rejected:ELEMENT_ACTIVATING');
    const jobs = records.filter((r) => r.valueType === 'JOB');
    expect(jobs.map((r) => r.intent)).toEqual(['CREATED', 'COMPLETED']);
    expect(jobs[1].value.variables).toEqual({ decision: 'refund', approver: 'zhao.min' });
    // The completion variables land in the process instance scope, where the gateway reads them.
    const variables = records.filter((r) => r.valueType === 'VARIABLE' && ['decision', 'approver'].includes(r.value.name as string));
    expect(variables.map((r) => [r.value.name, r.value.value, r.value.scopeKey])).toEqual([
      ['decision', '"refund"', processInstanceKey],
      ['approver', '"zhao.min"', processInstanceKey],
    ]);
  });
});
