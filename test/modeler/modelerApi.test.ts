/**
 * The modeler's JSON API through the real server (sessions, CSRF, roles) against a real engine: who may do what,
 * what a rejected deployment answers, versions of deployed models, the platform checks and uploads.
 */
import { readFileSync } from 'node:fs';
import { processFile, USER_TASK_JOB_TYPE } from '../../processes/catalogue';
import { useTestServer, type HttpSession } from '../support/serverHarness';

const server = useTestServer();
const complaintXml = readFileSync(processFile('complaint'), 'utf8');

async function postXml(session: HttpSession, path: string, xml: string) {
  return session.request('POST', path, { body: xml, headers: { 'content-type': 'application/xml', 'x-csrf-token': await session.csrfToken() } });
}

function replaceOnce(xml: string, search: string, replacement: string): string {
  if (!xml.includes(search)) throw new Error(`the model does not contain ${search}`);
  return xml.replace(search, replacement);
}

describe('access', () => {
  it('answers 401 to a signed-out client', async () => {
    const client = server.client();
    expect((await client.get('/api/modeler/processes')).status).toBe(401);
    expect((await postXml(client, '/api/modeler/complaint/drafts', complaintXml)).status).toBe(401);
    expect((await postXml(client, '/api/modeler/complaint/deploy', complaintXml)).status).toBe(401);
    expect((await client.get('/modeler')).location).toMatch(/^\/login\?next=/);
  });

  it('lets an agent view but not save, upload or deploy', async () => {
    const agent = await server.login('agent1');
    expect((await agent.get('/api/modeler/processes')).status).toBe(200);
    expect((await agent.get('/modeler')).status).toBe(200);
    for (const path of ['/api/modeler/complaint/drafts', '/api/modeler/complaint/upload', '/api/modeler/complaint/deploy']) {
      const answer = await postXml(agent, path, complaintXml);
      expect({ path, status: answer.status }).toEqual({ path, status: 403 });
      expect(answer.json().error).toMatch(/analyst/);
    }
    expect((await agent.get('/modeler/complaint/edit')).status).toBe(403);
    expect((await agent.get('/api/modeler/complaint/drafts')).json().drafts).toEqual([]);
  });

  it('lets an analyst save drafts that everyone can read', async () => {
    const analyst = await server.login('analyst1');
    const saved = await postXml(analyst, `/api/modeler/complaint/drafts?comment=${encodeURIComponent('新增审核步骤')}`, complaintXml);
    expect(saved.status).toBe(201);
    expect(saved.json()).toMatchObject({ processId: 'complaint', author: 'analyst1', comment: '新增审核步骤' });

    const agent = await server.login('agent1');
    const drafts = (await agent.get('/api/modeler/complaint/drafts')).json().drafts;
    expect(drafts).toContainEqual(expect.objectContaining({ id: saved.json().id, author: 'analyst1', comment: '新增审核步骤' }));
    const draft = (await agent.get(`/api/modeler/complaint/drafts/${saved.json().id}`)).json();
    expect(draft.xml).toBe(complaintXml);
    expect((await agent.get('/modeler')).text).toContain('新增审核步骤');
  });
});

describe('deploy', () => {
  it('rejects a condition that is not FEEL, naming the sequence flow and the reason', async () => {
    const analyst = await server.login('analyst1');
    const bad = replaceOnce(complaintXml, '=resolvedOnSpot = true', '=resolvedOnSpot = (true');
    const answer = await postXml(analyst, '/api/modeler/complaint/deploy', bad);
    expect(answer.status).toBe(400);
    const body = answer.json();
    expect(body.elementId).toBe('flow-resolved');
    expect(body.message).toMatch(/flow-resolved/);
    expect(body.problems[0].message).toMatch(/FEEL|expression/i);
  });

  it('rejects an element type Zeebe does not support, naming the element', async () => {
    const analyst = await server.login('analyst1');
    const bad = replaceOnce(complaintXml, '<bpmn:userTask id="register"', '<bpmn:complexGateway id="unsupported-gateway" /><bpmn:userTask id="register"');
    const answer = await postXml(analyst, '/api/modeler/complaint/deploy', bad);
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({ error: 'deployment rejected', elementId: 'unsupported-gateway' });
    expect(answer.json().message).toMatch(/ComplexGateway/);
  });

  it('creates version n+1 for a change: new instances run it, running ones keep theirs', async () => {
    const analyst = await server.login('analyst1');
    const first = await postXml(analyst, '/api/modeler/complaint/deploy', complaintXml);
    expect(first.status).toBe(200);
    const { version: before } = first.json();

    const older = await server.zbc.createProcessInstance({ bpmnProcessId: 'complaint', variables: {} });
    expect(older.version).toBe(before);

    const changed = replaceOnce(complaintXml, 'name="登记投诉/建议"', 'name="登记投诉或建议"');
    const deployed = await postXml(analyst, '/api/modeler/complaint/deploy', changed);
    expect(deployed.status).toBe(200);
    expect(deployed.json()).toMatchObject({ version: before + 1, created: true });

    const newer = await server.zbc.createProcessInstance({ bpmnProcessId: 'complaint', variables: {} });
    expect(newer.version).toBe(before + 1);

    // Both wait in the register user task, each in its own version.
    const jobs = await server.zbc.activateJobs({ type: USER_TASK_JOB_TYPE, worker: 'modeler-test', maxJobsToActivate: 10, timeout: 60_000, requestTimeout: 1000 });
    const versionOf = (instanceKey: string) => jobs.find((j) => j.processInstanceKey === instanceKey)?.processDefinitionVersion;
    expect(versionOf(older.processInstanceKey)).toBe(before);
    expect(versionOf(newer.processInstanceKey)).toBe(before + 1);

    // The version list and its XML come from the engine's records; redeploying the same model adds nothing.
    const xml = (await analyst.get(`/api/modeler/complaint/versions/${before + 1}`)).json().xml;
    expect(xml).toContain('登记投诉或建议');
    const again = await postXml(analyst, '/api/modeler/complaint/deploy', changed);
    expect(again.json()).toMatchObject({ version: before + 1, created: false });
    const listed = (await analyst.get('/api/modeler/processes')).json().processes.find((p: { processId: string }) => p.processId === 'complaint');
    expect(listed.versions.map((v: { version: number }) => v.version).slice(-2)).toEqual([before, before + 1]);
    expect((await analyst.get(`/modeler/complaint/versions/${before + 1}`)).status).toBe(200);
  });
});

describe('platform checks', () => {
  it('finds a missing form key, an unknown job type and an unknown group', async () => {
    const analyst = await server.login('analyst1');
    let xml = replaceOnce(complaintXml, 'formKey="complaint-register"', 'formKey="no-such-form"');
    xml = replaceOnce(xml, '<zeebe:taskDefinition type="dispatch-to-city"', '<zeebe:taskDefinition type="no-such-worker"');
    xml = replaceOnce(xml, 'formKey="complaint-review" />\n        <zeebe:assignmentDefinition candidateGroups="backoffice"', 'formKey="complaint-review" />\n        <zeebe:assignmentDefinition candidateGroups="backoffice, no-such-group"');
    xml = replaceOnce(xml, '<zeebe:formDefinition formKey="complaint-callback" />', '');
    const answer = await postXml(analyst, '/api/modeler/check', xml);
    expect(answer.status).toBe(200);
    const issues: { elementId: string; message: string }[] = answer.json().issues;
    expect(issues).toContainEqual({ elementId: 'register', message: expect.stringContaining('no-such-form') });
    expect(issues).toContainEqual({ elementId: 'dispatch', message: expect.stringContaining('no-such-worker') });
    expect(issues).toContainEqual({ elementId: 'review', message: expect.stringContaining('no-such-group') });
    expect(issues).toContainEqual({ elementId: 'callback', message: '用户任务没有表单键：任务收件箱无法显示它' });
    expect(issues).toContainEqual({ elementId: 'register', message: '表单键“no-such-form”不是任务收件箱中的表单' });
    // Known names pass: the review task's own form and its backoffice group.
    expect(issues.filter((i) => i.elementId === 'review')).toHaveLength(1);

    // In English for a reader who chose English (the choice is kept, so it is set back afterwards).
    const english = await postXml(analyst, '/api/modeler/check?lang=en', xml);
    expect(english.json().issues).toContainEqual({ elementId: 'dispatch', message: 'no job worker for the job type "no-such-worker"' });
    expect((await analyst.get('/api/session?lang=zh-CN')).status).toBe(200);
  });

  it('knows the city groups of the city centers', async () => {
    const analyst = await server.login('analyst1');
    const xml = replaceOnce(complaintXml, 'candidateGroups="backoffice"', 'candidateGroups="city-gz, city-xx"');
    const issues: { elementId: string; message: string }[] = (await postXml(analyst, '/api/modeler/check', xml)).json().issues;
    const groupIssues = issues.filter((i) => i.message.startsWith('候选组'));
    expect(groupIssues).toEqual([{ elementId: 'redispatch', message: expect.stringContaining('city-xx') }]);
  });
});

describe('upload', () => {
  it('refuses what is not a BPMN model of the process', async () => {
    const analyst = await server.login('analyst1');
    const notXml = await postXml(analyst, '/api/modeler/complaint/upload?fileName=notes.bpmn', 'just some notes');
    expect(notXml.status).toBe(400);
    expect(notXml.json().fields.xml).toMatch(/BPMN|XML|unparsable|malformed/i);

    const otherXml = await postXml(analyst, '/api/modeler/complaint/upload', '<?xml version="1.0"?><html><body>hi</body></html>');
    expect(otherXml.status).toBe(400);

    const otherProcess = await postXml(analyst, '/api/modeler/complaint/upload', readFileSync(processFile('dunning'), 'utf8'));
    expect(otherProcess.status).toBe(400);
    expect(otherProcess.json().fields.xml).toMatch(/complaint/);

    const asJson = await analyst.postJson('/api/modeler/complaint/upload', { xml: complaintXml });
    expect(asJson.status).toBe(415);
  });

  it('saves an uploaded model as a draft', async () => {
    const analyst = await server.login('analyst1');
    const answer = await postXml(analyst, '/api/modeler/complaint/upload?fileName=complaint-v2.bpmn', complaintXml);
    expect(answer.status).toBe(201);
    expect(answer.json()).toMatchObject({ author: 'analyst1', comment: expect.stringContaining('complaint-v2.bpmn') });
    expect((await analyst.get(`/modeler/complaint/edit?draft=${answer.json().id}`)).status).toBe(200);
  });
});
