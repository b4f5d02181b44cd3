/**
 * The complaint forms drive their models: each user task is completed with what validateSubmission makes of
 * realistic form input, and the instance must take the path that input means (complaint, city-complaint,
 * complaint-national).
 */
import { useTestEngine } from '../support/engineHarness';
import { startInstance } from '../support/bpmn';
import { and, processActivated, recordStream } from '../support/records';
import { complete, deployModels } from '../processes/drive';
import { formDriver } from './formDriver';

const suite = useTestEngine();
const stream = recordStream(suite);
const forms = formDriver(suite);
const HOUR = 3600_000;

beforeAll(() => deployModels(suite.zbc, 'city-complaint', 'complaint', 'complaint-national'));

const registration = {
  customerId: '17',
  phoneNumber: '13800000001',
  serviceLine: 'mobile',
  category: '网络质量',
  urgency: 'normal',
  kind: 'complaint',
  description: '家中室内信号差，通话经常中断。',
};
const reply = { cityOutcome: 'replied', cause: '室内覆盖弱', resolution: '已加装室内分布系统', compensation: '赠送 10 元话费', replyText: '已为您所在小区加装室内分布系统。' };

async function registered(body: Record<string, unknown>): Promise<string> {
  const key = await startInstance(suite.zbc, 'complaint', { channel: 'phone', slaCallbackRetry: 'PT2H' });
  await forms.submit(key, 'register', 'complaint-register', body);
  return key;
}

/** The n-th (1-based) city-complaint instance the complaint started. */
async function cityRound(key: string, n: number): Promise<string> {
  const started = await stream.waitFor(and(processActivated('city-complaint'), (r) => r.value.parentProcessInstanceKey === key), { count: n, description: `city round ${n}` });
  return started[n - 1].key;
}

/** What dispatch-to-city hands back: the city and its limits from the SLA configuration, relative to engine time. */
async function dispatch(key: string, cityCode = 'gz', replyInHours = 36) {
  const now = await stream.engineNow();
  const limits = { slaCitySign: 'PT2H', cityRemindAt: new Date(now + replyInHours * 0.75 * HOUR).toISOString(), cityReplyDueAt: new Date(now + replyInHours * HOUR).toISOString() };
  return complete(suite.zbc, key, 'dispatch', { cityCode, ...limits }, 'dispatch-to-city');
}

/** Registered, acknowledged and dispatched; resolves with the complaint instance. */
async function dispatched(replyInHours?: number): Promise<string> {
  const key = await registered(registration);
  const replyDueAt = new Date((await stream.engineNow()) + 48 * HOUR).toISOString();
  await complete(suite.zbc, key, 'acknowledge', { workOrderId: `TS-${key}`, replyDueAt }, 'auto-acknowledge');
  await dispatch(key, 'gz', replyInHours);
  return key;
}

async function cityReplies(key: string, round: number) {
  const city = await cityRound(key, round);
  await forms.submit(city, 'sign-for', 'city-complaint-sign', { signNote: '已签收，联系客户中' });
  await forms.submit(city, 'handle', 'city-complaint-handle', reply);
}

it('complaint-register: resolved on the spot is archived at once, otherwise acknowledged for dispatch', async () => {
  const resolved = await registered({ ...registration, resolvedOnSpot: 'true', summary: '解释套餐后客户认可' });
  await forms.activated(resolved, 'archive-resolved');
  expect(await forms.activations(resolved, 'acknowledge')).toBe(0);

  const open = await registered(registration);
  await forms.activated(open, 'acknowledge');
  expect(await forms.activations(open, 'archive-resolved')).toBe(0);
});

it('city-complaint-handle misrouted goes back to complaint-redispatch, whose city the next dispatch uses', async () => {
  const key = await dispatched();
  const city = await cityRound(key, 1);
  await forms.submit(city, 'sign-for', 'city-complaint-sign', {});
  await forms.submit(city, 'handle', 'city-complaint-handle', { cityOutcome: 'misrouted', returnReason: '号码归属深圳' });
  await forms.submit(key, 'redispatch', 'complaint-redispatch', { cityCode: 'sz', redispatchNote: '改派深圳' });
  const second = await dispatch(key, 'sz');
  expect(second.variables).toMatchObject({ cityCode: 'sz' });
});

it('an extension asked for in city-complaint-handle and approved in city-complaint-extension moves the reply limit', async () => {
  const key = await dispatched();
  const city = await cityRound(key, 1);
  await forms.submit(city, 'sign-for', 'city-complaint-sign', {});
  const first = await forms.submit(city, 'handle', 'city-complaint-handle', { cityOutcome: 'extension', extensionHours: '24', extensionReason: '需上门测试信号' });
  await forms.submit(city, 'approve-extension', 'city-complaint-extension', { extensionApproved: 'true' });
  await forms.activated(city, 'handle', 2);
  const again = await forms.submit(city, 'handle', 'city-complaint-handle', reply);
  const due = (job: typeof first) => Date.parse(String(job.customHeaders['io.camunda.zeebe:dueDate']));
  expect(due(again) - due(first)).toBe(24 * HOUR);
  await forms.activated(key, 'review');
});

it('complaint-review returns the reply to the city or approves it; complaint-callback drives retry, reopen and close', async () => {
  const key = await dispatched();
  await cityReplies(key, 1);
  await forms.submit(key, 'review', 'complaint-review', { returnReason: '未说明补偿方案' });
  await forms.activated(key, 'city-handling', 2);
  await cityReplies(key, 2);
  await forms.submit(key, 'review', 'complaint-review', { reviewApproved: 'true' });
  await complete(suite.zbc, key, 'reply-customer', { notified: true }, 'notify-customer');

  await forms.submit(key, 'callback', 'complaint-callback', { callbackNote: '无人接听' });
  await forms.activated(key, 'retry-wait');

  const reopened = await dispatched();
  await cityReplies(reopened, 1);
  await forms.submit(reopened, 'review', 'complaint-review', { reviewApproved: 'true' });
  await complete(suite.zbc, reopened, 'reply-customer', { notified: true }, 'notify-customer');
  await forms.submit(reopened, 'callback', 'complaint-callback', { reached: 'true', satisfaction: '不满意', callbackNote: '客户认为信号仍差' });
  await forms.activated(reopened, 'dispatch', 2);

  const satisfied = await dispatched();
  await cityReplies(satisfied, 1);
  await forms.submit(satisfied, 'review', 'complaint-review', { reviewApproved: 'true' });
  await complete(suite.zbc, satisfied, 'reply-customer', { notified: true }, 'notify-customer');
  await forms.submit(satisfied, 'callback', 'complaint-callback', { reached: 'true', satisfaction: '基本满意' });
  await forms.activated(satisfied, 'archive');
  expect(await forms.activations(satisfied, 'escalate-national')).toBe(0);
});

it('complaint-national: register, review refused goes back to the province, review approved goes to the reply', async () => {
  const key = await startInstance(suite.zbc, 'complaint-national', { origin: 'regulator', slaNationalProvince: 'PT72H' });
  await forms.submit(key, 'register', 'complaint-national-register', {
    source: 'regulator',
    customerPhone: '13800000007',
    provinceCode: 'gd',
    category: '网络质量',
    description: '工信部转办：用户反映小区信号长期不佳。',
  });
  const first = await complete(suite.zbc, key, 'dispatch-province', { workOrderId: `GD-${key}-1` }, 'dispatch-to-province');
  expect(first.variables).toMatchObject({ provinceCode: 'gd', category: '网络质量', customerPhone: '13800000007' });
  const result = (workOrderId: string) =>
    suite.zbc.publishMessage({ name: 'complaint-national-result', correlationKey: workOrderId, variables: { provinceResult: '已新增基站' }, timeToLive: HOUR });
  await result(`GD-${key}-1`);
  await forms.submit(key, 'national-review', 'complaint-national-review', { reviewOpinion: '未解决信号问题' });
  await complete(suite.zbc, key, 'dispatch-province', { workOrderId: `GD-${key}-2` }, 'dispatch-to-province');
  await result(`GD-${key}-2`);
  await forms.submit(key, 'national-review', 'complaint-national-review', { reviewApproved: 'true' });
  await complete(suite.zbc, key, 'reply', {}, 'notify-customer');
  await forms.submit(key, 'callback', 'complaint-national-callback', { reached: 'true', satisfaction: '满意', callbackNote: '客户确认信号恢复' });
  const archive = await complete(suite.zbc, key, 'archive', {}, 'archive');
  expect(archive.variables).toMatchObject({ reached: true, satisfaction: '满意', reviewApproved: true, provinceResult: '已新增基站' });
});

// These move the engine clock past the limits, so they come last.
it('city-complaint-supervise: handled ends the city order, extend gives the handler more time', async () => {
  const handled = await dispatched(2);
  const extended = await dispatched(2);
  const cities = [await cityRound(handled, 1), await cityRound(extended, 1)];
  for (const city of cities) await forms.submit(city, 'sign-for', 'city-complaint-sign', {});
  for (const city of cities) await forms.activated(city, 'handle');
  await suite.engine.advanceClock(2 * HOUR + 60_000);

  await forms.submit(cities[0], 'supervise', 'city-complaint-supervise', { supervisorDecision: 'handled', replyText: '督办直接答复客户。' });
  await forms.activated(cities[0], 'supervisor-handled');
  // The reminder sent at 75 % of the limit is the last thing the city order waits for.
  await complete(suite.zbc, cities[0], 'send-reminder', {}, 'send-reminder');
  await forms.activated(handled, 'review');

  await forms.submit(cities[1], 'supervise', 'city-complaint-supervise', { supervisorDecision: 'extend', extensionHours: '12', supervisionNote: '准予延期' });
  await forms.activated(cities[1], 'handle', 2);
});

it('city-complaint-supervise redispatch is caught by the complaint, which asks for complaint-redispatch', async () => {
  const key = await dispatched(2);
  const city = await cityRound(key, 1);
  await forms.submit(city, 'sign-for', 'city-complaint-sign', {});
  await forms.activated(city, 'handle');
  await suite.engine.advanceClock(2 * HOUR + 60_000);
  await forms.submit(city, 'supervise', 'city-complaint-supervise', { supervisorDecision: 'redispatch', returnReason: '地市长期未处理，改派' });
  await forms.activated(key, 'redispatch');
});

it('complaint-national-supervise: an overdue province result is supervised while the complaint keeps waiting', async () => {
  const key = await startInstance(suite.zbc, 'complaint-national', { origin: 'hotline', slaNationalProvince: 'PT72H' });
  await forms.submit(key, 'register', 'complaint-national-register', {
    source: 'hotline',
    customerPhone: '13800000008',
    provinceCode: 'gd',
    category: '资费争议',
    description: '10010 升级：用户对国际漫游扣费有异议。',
  });
  await complete(suite.zbc, key, 'dispatch-province', { workOrderId: `GD-${key}` }, 'dispatch-to-province');
  await suite.engine.advanceClock(72 * HOUR + 60_000);
  await forms.submit(key, 'supervise', 'complaint-national-supervise', { supervisionNote: '已电话督促广东省中心' });
  await forms.activated(key, 'supervised');
  await suite.zbc.publishMessage({ name: 'complaint-national-result', correlationKey: `GD-${key}`, variables: { provinceResult: '已退还漫游费' }, timeToLive: HOUR });
  await forms.activated(key, 'national-review');
});
