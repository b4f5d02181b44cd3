/**
 * consultation (规范 6.1 / 7.6): answered by the agent, by the back office, or by the national center's agent; the
 * notify-customer worker sends the answer in the channel the question came by, and archive records it.
 */
import { slaValue } from '../../db/slaConfig';
import { startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { trail, waitForCompletion } from '../support/records';
import { complete, deployModels, dueDateOf } from './drive';

const suite = usePlatform();
let customer: { id: number; phone: string; email: string };

beforeAll(async () => {
  await deployModels(suite.zbc, 'consultation');
  customer = await suite.knex('customers').where({ city_code: 'sz' }).whereNotNull('email').orderBy('id').first();
});

async function start(origin: 'province' | 'national', requester: Record<string, unknown> = { channel: 'phone', customerId: customer.id, phoneNumber: customer.phone }) {
  const slaConsultationExpert = `PT${await slaValue(suite.knex, 'consultation.deadline')}M`;
  return startInstance(suite.zbc, 'consultation', { origin, ...requester, slaConsultationExpert });
}

/** The consultation ended, archived as a work order of its own; resolves with its trail and the outbox rows of the answer. */
async function repliedAndArchived(key: string, answerText: string) {
  const steps = trail(await waitForCompletion(suite.engine, key));
  const order = await suite.knex('work_orders').where({ process_instance_key: key }).first();
  expect(order).toMatchObject({ state: 'archived', category: 'consultation' });
  const replies = await suite.knex('outbox').where('body', 'like', `%${answerText}%`).orderBy('channel');
  return { steps, replies };
}

it('the agent answers on the call from the knowledge base; the answer is sent by SMS and mail and archived', async () => {
  const key = await start('province');
  const task = await complete(suite.zbc, key, 'agent-answer', { answered: true, answerText: '4G 套餐可在营业厅或网上营业厅办理变更。' });
  expect(task.customHeaders['io.camunda.zeebe:formKey']).toBe('consultation-answer');
  expect(JSON.parse(String(task.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['agent']);

  const { steps, replies } = await repliedAndArchived(key, '4G 套餐可在营业厅或网上营业厅办理变更。');
  expect(steps).not.toContain('expert-answer:ELEMENT_ACTIVATED');
  expect(steps).toContain('consultation-closed:ELEMENT_COMPLETED');
  expect(replies.map((row) => [row.channel, row.recipient])).toEqual([['email', customer.email], ['sms', customer.phone]]);
});

it('an unanswered question goes to the back office, due within the configured SLA; a mailed question is answered by mail', async () => {
  const key = await start('province', { channel: 'email', customerEmail: 'sun.li@example.com', customerName: '孙丽' });
  await complete(suite.zbc, key, 'agent-answer', { answered: false });
  const before = Date.now();
  const expert = await complete(suite.zbc, key, 'expert-answer', { answerText: '国际漫游资费以目的地为准，详见资费表。' });
  expect(JSON.parse(String(expert.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['backoffice']);
  // Due consultation.deadline (24 h) after the task was created, which was shortly before it was taken.
  const deadlineMs = (await slaValue(suite.knex, 'consultation.deadline')) * 60_000;
  expect(dueDateOf(expert)).toBeGreaterThan(before + deadlineMs - 60_000);
  expect(dueDateOf(expert)).toBeLessThanOrEqual(Date.now() + deadlineMs);

  const { steps, replies } = await repliedAndArchived(key, '国际漫游资费以目的地为准');
  expect(steps).toContain('consultation-closed:ELEMENT_COMPLETED');
  expect(replies.map((row) => [row.channel, row.recipient, row.status])).toEqual([['email', 'sun.li@example.com', 'sent']]);
  const [mail] = (await suite.caughtMail()).filter((m) => m.rcptTo.includes('sun.li@example.com'));
  expect(mail.subject).toBe('您的咨询答复');
});

it('the national center answers itself, or forwards the question to the province', async () => {
  const answered = await start('national');
  await complete(suite.zbc, answered, 'national-answer', { answered: true, answerText: '全国中心已答复' });
  const direct = await repliedAndArchived(answered, '全国中心已答复');
  expect(direct.steps).not.toContain('agent-answer:ELEMENT_ACTIVATED');
  expect(direct.replies.filter((row) => row.channel === 'sms')).toHaveLength(1);

  const forwarded = await start('national');
  const national = await complete(suite.zbc, forwarded, 'national-answer', { answered: false });
  expect(JSON.parse(String(national.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['national-agent']);
  await complete(suite.zbc, forwarded, 'agent-answer', { answered: true, answerText: '省中心已答复' });
  const { steps } = await repliedAndArchived(forwarded, '省中心已答复');
  expect(steps).toContain('flow-forward-province:SEQUENCE_FLOW_TAKEN');
  expect(steps).toContain('consultation-closed:ELEMENT_COMPLETED');
});
