/**
 * complaint-national (规范 6.2): the national center registers a complaint, dispatches it to the province and waits
 * for the province's result by work-order number; a province too slow is chased by the national supervisor while
 * the wait goes on; the national review approves (reply, callback, archive) or dispatches the complaint again.
 */
import type { Job } from 'zeebe-node';
import { startInstance } from '../support/bpmn';
import { useTestEngine } from '../support/engineHarness';
import { trail, waitForCompletion } from '../support/records';
import { complete, deployModels, takeJob } from './drive';

const suite = useTestEngine();
const HOUR = 3600_000;
const RESULT_MESSAGE = 'complaint-national-result';

beforeAll(() => deployModels(suite.zbc, 'complaint-national'));

const groupsOf = (job: Job) => JSON.parse(String(job.customHeaders['io.camunda.zeebe:candidateGroups'])) as unknown;

/** Registers a complaint and dispatches it to the province, which answers with the work-order number it runs under. */
async function dispatched(workOrderId: string) {
  const key = await startInstance(suite.zbc, 'complaint-national', { origin: 'regulator', slaNationalProvince: 'PT72H' });
  const register = await complete(suite.zbc, key, 'register', {
    customerPhone: '13800000007',
    provinceCode: 'gd',
    category: '网络质量',
    description: '工信部转办：用户反映小区信号长期不佳。',
  });
  expect(register.customHeaders['io.camunda.zeebe:formKey']).toBe('complaint-national-register');
  expect(groupsOf(register)).toEqual(['national-agent']);
  const dispatch = await complete(suite.zbc, key, 'dispatch-province', { workOrderId }, 'dispatch-to-province');
  expect(dispatch.variables).toMatchObject({ provinceCode: 'gd', category: '网络质量' });
  return key;
}

function provinceAnswers(workOrderId: string, provinceResult: string) {
  return suite.zbc.publishMessage({ name: RESULT_MESSAGE, correlationKey: workOrderId, variables: { provinceResult }, timeToLive: HOUR });
}

async function repliedCalledBackArchived(key: string) {
  const reply = await complete(suite.zbc, key, 'reply', {}, 'notify-customer');
  expect(reply.customHeaders.template).toBe('complaint-national-reply');
  const callback = await complete(suite.zbc, key, 'callback', { reached: true, satisfaction: '满意' });
  expect(callback.customHeaders['io.camunda.zeebe:formKey']).toBe('complaint-national-callback');
  await complete(suite.zbc, key, 'archive', {}, 'archive');
  return trail(await waitForCompletion(suite.engine, key));
}

it("the province's result, matched by work-order number, is reviewed, replied, called back and archived", async () => {
  const key = await dispatched('GD-20261125-0007');
  await provinceAnswers('GD-20261125-0099', '别的工单的结果');
  await provinceAnswers('GD-20261125-0007', '已新增基站，信号恢复');

  const review = await complete(suite.zbc, key, 'national-review', { reviewApproved: true });
  expect(review.customHeaders['io.camunda.zeebe:formKey']).toBe('complaint-national-review');
  expect(groupsOf(review)).toEqual(['national-agent']);
  expect(review.variables).toMatchObject({ provinceResult: '已新增基站，信号恢复' });

  const steps = await repliedCalledBackArchived(key);
  expect(steps).toContain('closed:ELEMENT_COMPLETED');
  expect(steps).not.toContain('province-overdue:ELEMENT_ACTIVATED');
});

it('a slow province is chased by the national supervisor without ending the wait; a rejected result is dispatched again', async () => {
  const key = await dispatched('GD-20261125-0008');
  await expect(takeJob(suite.zbc, key, 'supervise', undefined, { timeoutMs: 1000 })).rejects.toThrow();
  await suite.engine.advanceClock(72 * HOUR + 60_000);
  const supervise = await complete(suite.zbc, key, 'supervise', { supervisionNote: '已电话督促广东省中心' });
  expect(supervise.customHeaders['io.camunda.zeebe:formKey']).toBe('complaint-national-supervise');
  expect(groupsOf(supervise)).toEqual(['national-supervisor']);

  await provinceAnswers('GD-20261125-0008', '已解释');
  await complete(suite.zbc, key, 'national-review', { reviewApproved: false, reviewOpinion: '未解决信号问题' });
  await complete(suite.zbc, key, 'dispatch-province', { workOrderId: 'GD-20261125-0008' }, 'dispatch-to-province');
  await provinceAnswers('GD-20261125-0008', '已新增基站，信号恢复');
  const review = await complete(suite.zbc, key, 'national-review', { reviewApproved: true });
  expect(review.variables).toMatchObject({ provinceResult: '已新增基站，信号恢复' });

  const steps = await repliedCalledBackArchived(key);
  expect(steps).toContain('supervised:ELEMENT_COMPLETED');
  expect(steps.filter((s) => s === 'dispatch-province:ELEMENT_COMPLETED')).toHaveLength(2);
  expect(steps).toContain('closed:ELEMENT_COMPLETED');
});
