/** bill-inquiry (规范 7.5): the bill by IVR announcement, by mail or on the agent's screen; a dispute becomes a complaint. */
import { startInstance } from '../support/bpmn';
import { useTestEngine } from '../support/engineHarness';
import { and, ofType, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels, throwFrom } from './drive';

const suite = useTestEngine();
const stream = recordStream(suite);
const bill = { month: '2026-10', total: 88.5, items: [{ name: '套餐月费', amount: 58 }, { name: '国内流量', amount: 30.5 }] };

beforeAll(() => deployModels(suite.zbc, 'bill-inquiry', 'city-complaint', 'complaint'));

const start = (channel: 'ivr' | 'agent' | 'email') =>
  startInstance(suite.zbc, 'bill-inquiry', { channel, phoneNumber: '13800000001', billMonth: '2026-10', serviceLine: '移动' });

it('IVR self-service: the looked-up bill is turned into the announcement text', async () => {
  const key = await start('ivr');
  await complete(suite.zbc, key, 'bill-lookup', { bill }, 'bill-lookup');
  const records = await waitForCompletion(suite.engine, key);
  const announcement = records.filter(ofType('VARIABLE')).find((r) => r.value.name === 'announcement');
  expect(JSON.parse(String(announcement?.value.value))).toBe('您2026-10月份移动话费合计88.5元。');
  expect(trail(records)).toContain('inquiry-answered:ELEMENT_COMPLETED');
});

it('e-mail: the itemised bill is sent and the inquiry ends', async () => {
  const key = await start('email');
  await complete(suite.zbc, key, 'bill-lookup', { bill }, 'bill-lookup');
  await complete(suite.zbc, key, 'send-bill', { mailId: 'mail-1' }, 'send-bill');
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('inquiry-answered:ELEMENT_COMPLETED');
});

it('agent: the customer disputes the bill, which starts a complaint of category 资费争议', async () => {
  const key = await start('agent');
  await complete(suite.zbc, key, 'bill-lookup', { bill }, 'bill-lookup');
  const review = await complete(suite.zbc, key, 'agent-review', { disputed: true, disputeReason: '未使用国内流量却被收费' });
  expect(review.customHeaders['io.camunda.zeebe:formKey']).toBe('bill-inquiry-review');

  const [called] = await stream.waitFor(and(processActivated('complaint'), (r) => r.value.parentProcessInstanceKey === key), {
    description: 'the complaint started by the dispute',
  });
  // The complaint form opens with what the dispute handed over.
  const register = await complete(suite.zbc, called.key, 'register', { resolvedOnSpot: true, summary: '解释流量计费后客户认可' });
  expect(register.variables).toMatchObject({ category: '资费争议', description: '未使用国内流量却被收费', phoneNumber: '13800000001' });
  await complete(suite.zbc, called.key, 'archive-resolved', {}, 'archive');
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('dispute-handled:ELEMENT_COMPLETED');
});

it('agent: no dispute ends the inquiry; an unknown customer ends it at once', async () => {
  const answered = await start('agent');
  await complete(suite.zbc, answered, 'bill-lookup', { bill }, 'bill-lookup');
  await complete(suite.zbc, answered, 'agent-review', { disputed: false });
  expect(trail(await waitForCompletion(suite.engine, answered))).toContain('inquiry-answered:ELEMENT_COMPLETED');

  const unknown = await start('ivr');
  await throwFrom(suite.zbc, unknown, 'bill-lookup', 'bill-lookup', 'CUSTOMER_NOT_FOUND');
  const steps = trail(await waitForCompletion(suite.engine, unknown));
  expect(steps).toContain('customer-not-found:ELEMENT_COMPLETED');
  expect(steps).not.toContain('channel-gateway:ELEMENT_ACTIVATED');
});
