/** consultation (规范 6.1 / 7.6): answered by the agent, by the back office, or by the national center's agent. */
import { startInstance } from '../support/bpmn';
import { useTestEngine } from '../support/engineHarness';
import { trail, waitForCompletion } from '../support/records';
import { complete, deployModels, dueDateOf } from './drive';

const suite = useTestEngine();
const NOTIFY = 'notify-customer';
const ARCHIVE = 'archive';

beforeAll(() => deployModels(suite.zbc, 'consultation'));

const start = (origin: 'province' | 'national') =>
  startInstance(suite.zbc, 'consultation', { origin, channel: 'phone', workOrderId: 'WO-C-1', slaConsultationExpert: 'PT24H' });

async function replyAndArchive(key: string) {
  const reply = await complete(suite.zbc, key, 'reply-customer', { notified: true }, NOTIFY);
  expect(reply.customHeaders.template).toBe('consultation-reply');
  await complete(suite.zbc, key, 'archive', {}, ARCHIVE);
  return trail(await waitForCompletion(suite.engine, key));
}

it('the agent answers on the call from the knowledge base; the answer is sent and archived', async () => {
  const key = await start('province');
  const task = await complete(suite.zbc, key, 'agent-answer', { answered: true, answerText: '4G 套餐可在营业厅或网上营业厅办理变更。' });
  expect(task.customHeaders['io.camunda.zeebe:formKey']).toBe('consultation-answer');
  expect(JSON.parse(String(task.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['agent']);

  const steps = await replyAndArchive(key);
  expect(steps).not.toContain('expert-answer:ELEMENT_ACTIVATED');
  expect(steps).toContain('consultation-closed:ELEMENT_COMPLETED');
});

it('an unanswered question goes to the back office, due within the configured SLA', async () => {
  const key = await start('province');
  await complete(suite.zbc, key, 'agent-answer', { answered: false });
  const before = Date.now();
  const expert = await complete(suite.zbc, key, 'expert-answer', { answerText: '国际漫游资费以目的地为准，详见资费表。' });
  expect(JSON.parse(String(expert.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['backoffice']);
  // Due 24 h (slaConsultationExpert) after the task was created, which was shortly before it was taken.
  expect(dueDateOf(expert)).toBeGreaterThan(before + 24 * 3600_000 - 60_000);
  expect(dueDateOf(expert)).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);

  expect(await replyAndArchive(key)).toContain('consultation-closed:ELEMENT_COMPLETED');
});

it('the national center answers itself, or forwards the question to the province', async () => {
  const answered = await start('national');
  await complete(suite.zbc, answered, 'national-answer', { answered: true, answerText: '已答复' });
  const direct = await replyAndArchive(answered);
  expect(direct).not.toContain('agent-answer:ELEMENT_ACTIVATED');

  const forwarded = await start('national');
  const national = await complete(suite.zbc, forwarded, 'national-answer', { answered: false });
  expect(JSON.parse(String(national.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['national-agent']);
  await complete(suite.zbc, forwarded, 'agent-answer', { answered: true, answerText: '省中心已答复' });
  const steps = await replyAndArchive(forwarded);
  expect(steps).toContain('flow-forward-province:SEQUENCE_FLOW_TAKEN');
  expect(steps).toContain('consultation-closed:ELEMENT_COMPLETED');
});
