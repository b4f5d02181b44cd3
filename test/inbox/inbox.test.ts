/**
 * The task inbox through the real server and engine: permissions (other city, auditor, locked user, forged ids),
 * form submission (missing field, tampered action / injected field / bad option, oversized input, script in a
 * text field shown escaped on the next step), drafts, the 退单 path back to the province (its reason required and
 * shown to the province), and a lead's assignment.
 */
import { useInboxSuite } from './inboxSuite';
import type { HttpSession } from '../support/serverHarness';
import { waitFor } from '../support/engineHarness';

const suite = useInboxSuite();
const SCRIPT = '<script>alert("x")</script>信号差';

let complaint: string;
let register: string;
let agent: HttpSession;

const registration = (customer: { id: number; phone: string }) => ({
  action: 'complete',
  customerId: String(customer.id),
  phoneNumber: customer.phone,
  serviceLine: 'mobile',
  category: '网络质量',
  urgency: 'normal',
  kind: 'complaint',
  description: SCRIPT,
});

beforeAll(async () => {
  complaint = await suite.startComplaint();
  register = await suite.taskOf(complaint, 'register');
  agent = await suite.login('agent1');
});

it('lists the new register task in the agent\'s groups with counts, and refuses a bad query with a field message', async () => {
  const list = await agent.get('/api/tasks?list=groups&sort=created&order=desc');
  expect(list.status).toBe(200);
  expect(list.json().tasks.map((t: { jobKey: string }) => t.jobKey)).toContain(register);
  expect(list.json().counts.groups).toBeGreaterThanOrEqual(1);
  const page = await agent.get('/tasks');
  expect(page.status).toBe(200);
  expect(page.text).toContain(`/tasks/${register}`);
  const bad = await agent.get('/api/tasks?priority=9&createdFrom=2026-02-30&due=someday');
  expect(bad.status).toBe(400);
  expect(Object.keys(bad.json().fields).sort()).toEqual(['createdFrom', 'due', 'priority']);
  expect((await agent.get('/tasks?sort=name')).status).toBe(400);
});

it('forged task ids are not found, on the page and in the API', async () => {
  for (const forged of ['abc', '1%20or%201%3D1', '99999999999999999999', '2251799813999999']) {
    expect((await agent.get(`/tasks/${forged}`)).status).toBe(404);
    expect((await agent.get(`/api/tasks/${forged}`)).status).toBe(404);
    expect((await agent.postJson(`/api/tasks/${forged}/claim`, {})).status).toBe(404);
  }
});

it('an auditor sees the task but can neither claim nor complete it', async () => {
  const auditor = await suite.login('auditor1');
  expect((await auditor.get(`/api/tasks/${register}`)).status).toBe(200);
  expect((await auditor.get(`/tasks/${register}`)).status).toBe(200);
  expect((await auditor.postJson(`/api/tasks/${register}/claim`, {})).status).toBe(403);
  expect((await auditor.postJson(`/api/tasks/${register}/complete`, { values: {} })).status).toBe(403);
  expect((await auditor.postForm(`/tasks/${register}/claim`, {})).status).toBe(403);
  expect(await suite.knex('tasks').where({ job_key: register }).first('assignee')).toEqual({ assignee: null });
});

it('a locked user cannot sign in', async () => {
  for (let i = 0; i < 5; i++) await suite.client().postForm('/login', { username: 'handler-fs1', password: 'wrong-password' });
  await expect(suite.login('handler-fs1')).rejects.toThrow(/refused/);
});

it('claims, keeps a draft, refuses a missing field and a tampered action, and completes the register task', async () => {
  const customer = await suite.gzCustomer();
  expect((await agent.postForm(`/tasks/${register}`, { action: 'save-draft' })).status).toBe(409);
  const claimed = await agent.postForm(`/tasks/${register}/claim`, {});
  expect(claimed.status).toBe(303);

  const draft = await agent.postForm(`/tasks/${register}`, { action: 'save-draft', phoneNumber: customer.phone, description: '草稿：室内信号差' });
  expect(draft.status).toBe(200);
  expect(draft.text).toContain('草稿已保存');
  const reopened = await agent.get(`/tasks/${register}`);
  expect(reopened.text).toContain('草稿：室内信号差');
  expect(reopened.text).toContain(customer.phone);

  const { serviceLine: _missing, ...withoutServiceLine } = registration(customer);
  const invalid = await agent.postForm(`/tasks/${register}`, withoutServiceLine);
  expect(invalid.status).toBe(422);
  expect(invalid.text).toMatch(/id="field-serviceLine"[\s\S]*此项必填/);
  // The user's input is shown again, escaped.
  expect(invalid.text).toContain('&lt;script&gt;');
  expect(invalid.text).not.toContain(SCRIPT);

  expect((await agent.postForm(`/tasks/${register}`, { ...registration(customer), action: 'approve-all' })).status).toBe(400);
  const tooLong = await agent.postForm(`/tasks/${register}`, { ...registration(customer), description: '长'.repeat(5000) });
  expect(tooLong.status).toBe(422);
  expect(tooLong.text).toContain('不能超过');
  expect((await agent.postForm(`/tasks/${register}`, { ...registration(customer), description: 'x'.repeat(200_000) })).status).toBe(413);
  expect(await suite.knex('tasks').where({ job_key: register }).first('state')).toEqual({ state: 'open' });

  const done = await agent.postForm(`/tasks/${register}`, registration(customer));
  expect(done.status).toBe(303);
  expect(done.location).toBe('/tasks?flash=completed');
  expect((await agent.get(done.location!)).text).toContain('任务已完成');
  expect(await suite.knex('form_drafts').where({ job_key: register })).toHaveLength(0);
});

it('the city task is invisible to another city, shows the script escaped, and 退单 returns it to the province with the reason', async () => {
  const sign = await suite.taskOf(complaint, 'sign-for');
  const sz = await suite.login('handler-sz1');
  expect((await sz.get(`/tasks/${sign}`)).status).toBe(404);
  expect((await sz.postJson(`/api/tasks/${sign}/complete`, { values: {} })).status).toBe(404);
  expect((await sz.get('/api/tasks?list=unassigned')).json().tasks.map((t: { jobKey: string }) => t.jobKey)).not.toContain(sign);

  const gz = await suite.login('handler-gz1');
  const signPage = await gz.get(`/tasks/${sign}`);
  expect(signPage.status).toBe(200);
  expect(signPage.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  expect(signPage.text).not.toContain('<script>alert');
  expect((await gz.postJson(`/api/tasks/${sign}/claim`, {})).status).toBe(200);
  expect((await gz.postJson(`/api/tasks/${sign}/complete`, { action: 'complete', values: { signNote: '已签收' } })).json()).toEqual({ outcome: 'done' });

  const handle = await suite.taskOf(complaint, 'handle');
  await gz.postForm(`/tasks/${handle}/claim`, {});
  const badOption = await gz.postForm(`/tasks/${handle}`, { action: 'complete', cityOutcome: 'closed-by-magic' });
  expect(badOption.status).toBe(422);
  expect(badOption.text).toContain('请从列表中选择');
  // 退单 cannot go without its reason: the field's message, and no error thrown.
  const noReason = await gz.postForm(`/tasks/${handle}`, { action: 'misrouted', returnReason: '  ' });
  expect(noReason.status).toBe(422);
  expect(noReason.text).toMatch(/id="field-returnReason"[\s\S]*此项必填/);
  expect(await suite.knex('engine_records').where({ key: handle, value_type: 'JOB', intent: 'ERROR_THROWN' })).toHaveLength(0);
  expect(await suite.knex('tasks').where({ job_key: handle }).first('state')).toEqual({ state: 'open' });
  // An injected variable the form does not have never reaches the engine.
  const returned = await gz.postForm(`/tasks/${handle}`, { action: 'misrouted', returnReason: '号码归属深圳', resolvedOnSpot: 'true' });
  expect(returned.status).toBe(303);

  const redispatch = await suite.taskOf(complaint, 'redispatch');
  const row = await suite.knex('tasks').where({ job_key: redispatch }).first('variables', 'candidate_groups');
  expect(row.candidate_groups).toEqual(['backoffice']);
  expect(row.variables).toMatchObject({ resolvedOnSpot: false });
  // ThrowError carried only the action's schema field; the injected one stayed out.
  const thrown = await suite.knex('engine_records').where({ key: handle, value_type: 'JOB', intent: 'ERROR_THROWN' }).first();
  expect(thrown).toBeDefined();
  const job = typeof thrown.value === 'string' ? JSON.parse(thrown.value) : thrown.value;
  expect(job).toMatchObject({ errorCode: 'MISROUTED', variables: { returnReason: '号码归属深圳' } });
  expect(job.variables).not.toHaveProperty('resolvedOnSpot');
  // The boundary event's output mapping hands the city handler's reason to the province.
  expect(row.variables).toMatchObject({ returnReason: '号码归属深圳' });
  const backoffice = await suite.login('backoffice1');
  const redispatchPage = await backoffice.get(`/tasks/${redispatch}`);
  expect(redispatchPage.status).toBe(200);
  expect(redispatchPage.text).toContain('<dd data-context="returnReason">号码归属深圳</dd>');
  expect((await backoffice.get(`/api/tasks/${redispatch}`)).json().variables.returnReason).toBe('号码归属深圳');
});

it('a team lead assigns a task to a member of its group, not to someone outside it', async () => {
  const redispatch = await suite.taskOf(complaint, 'redispatch');
  const lead = await suite.login('teamlead1');
  const page = await lead.get(`/tasks/${redispatch}`);
  expect(page.text).toContain('value="backoffice1"');
  expect((await lead.postForm(`/tasks/${redispatch}/assign`, { assignee: 'handler-gz1' })).status).toBe(422);
  const assigned = await lead.postForm(`/tasks/${redispatch}/assign`, { assignee: 'backoffice1' });
  expect(assigned.status).toBe(303);
  expect((await lead.get(assigned.location!)).text).toContain('已将任务分配给 backoffice1');
  const mine = await waitFor(async () => {
    const list = (await (await suite.login('backoffice1')).get('/api/tasks?list=mine')).json();
    return list.tasks.some((t: { jobKey: string }) => t.jobKey === redispatch) ? list : undefined;
  }, { description: 'the assigned task in backoffice1\'s list' });
  expect(mine.counts.mine).toBeGreaterThanOrEqual(1);
});

it('masks customer numbers for an auditor and shows them to the agent, in English on request', async () => {
  const redispatch = await suite.taskOf(complaint, 'redispatch');
  const customer = await suite.gzCustomer();
  const auditor = await suite.login('auditor1');
  const audited = (await auditor.get(`/api/tasks/${redispatch}`)).json();
  expect(audited.variables.phoneNumber).toBe(`${customer.phone.slice(0, 3)}****${customer.phone.slice(-4)}`);
  const english = await auditor.get('/tasks?list=center&lang=en');
  expect(english.text).toContain('All of my center');
  expect(english.text).not.toContain(customer.phone);
});
