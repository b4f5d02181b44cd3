/**
 * auto-reply (规范 7.12) with the real workers: a written or web request is classified by keywords and
 * acknowledged (work order opened, receipt with its number and reply time mailed); what needs a person goes on to
 * integrated-processing, the rest ends with the acknowledgement.
 */
import type { Job } from 'zeebe-node';
import { startInstance } from '../support/bpmn';
import { usePlatform } from '../support/platformHarness';
import { and, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { seededCustomer } from '../workers/bill-lookup.seed';
import { complete, deployModels } from './drive';

const suite = usePlatform();
const stream = recordStream(suite);

beforeAll(() => deployModels(suite.zbc, 'auto-reply', 'integrated-processing'));

/** A request mailed in by a known customer with an address on file. */
async function mailedRequest(subject: string, content: string) {
  const customer = await seededCustomer(suite.knex, (q) => q.whereNotNull('c.email').where('c.vip', false));
  const key = await startInstance(suite.zbc, 'auto-reply', { channel: 'email', customerId: customer.id, customerEmail: customer.email!, subject, content });
  return { key, customer };
}

async function acknowledgementTo(email: string, workOrderNumber: string) {
  const mails = await suite.caughtMail();
  return mails.find((mail) => mail.rcptTo.includes(email) && mail.subject.includes(workOrderNumber));
}

it('praise needs no person: the acknowledgement opens the work order, mails the receipt and closes the request', async () => {
  const { key, customer } = await mailedRequest('表扬', '感谢营业厅王经理的耐心服务。');
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('auto-replied:ELEMENT_COMPLETED');
  expect(steps).not.toContain('integrated-processing:ELEMENT_ACTIVATED');

  const order = await suite.knex('work_orders').where({ process_instance_key: key }).first();
  expect(order).toMatchObject({ category: 'praise', channel: 'email', state: 'acknowledged', customer_id: customer.id, description: '感谢营业厅王经理的耐心服务。' });
  expect(order.sla_deadline).not.toBeNull();
  const receipt = await acknowledgementTo(customer.email!, order.number);
  expect(receipt?.htmlBody).toContain(order.number);
});

it('a request no keyword places needs a person: integrated-processing gets it under the acknowledged work order and archives it', async () => {
  const content = '小区楼顶新装的天线让居民很担心，希望有人来看一看。';
  const { key, customer } = await mailedRequest('来信', content);
  const [called] = await stream.waitFor(and(processActivated('integrated-processing'), (r) => r.value.parentProcessInstanceKey === key), {
    description: 'integrated-processing started by auto-reply',
  });
  const assign = await complete(suite.zbc, called.key, 'assign-departments', { departments: ['city-gz'] });
  const { workOrderId, category, topic, needsPerson } = assign.variables as Record<string, unknown>;
  expect({ category, topic, needsPerson }).toEqual({ category: 'other', topic: '其他', needsPerson: true });
  expect(await acknowledgementTo(customer.email!, String(workOrderId))).toBeDefined();

  await complete(suite.zbc, called.key, 'handle-department', { handlingOutcome: 'handled', handlingOpinion: '已派人检测，辐射符合国家标准' }, undefined, {
    match: (job: Job) => (job.variables as { department?: string }).department === 'city-gz',
  });
  await complete(suite.zbc, called.key, 'team-lead-review', { reviewApproved: true, resolution: '已检测并向居民说明' });
  expect(trail(await waitForCompletion(suite.engine, key))).toContain('handled-by-person:ELEMENT_COMPLETED');

  const order = await suite.knex('work_orders').where({ number: workOrderId }).first();
  expect(order).toMatchObject({ state: 'archived', category: 'other', customer_id: customer.id });
  expect(order.archived_at).not.toBeNull();
});
