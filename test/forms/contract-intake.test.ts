/**
 * The intake and service forms drive their models: consultation, bill-inquiry, manual-acceptance,
 * written-intake, emergency and service-order, each user task completed with validateSubmission's variables.
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

beforeAll(() =>
  deployModels(suite.zbc, 'consultation', 'bill-inquiry', 'city-complaint', 'complaint', 'manual-acceptance', 'service-order', 'emergency', 'auto-reply', 'written-intake'),
);

async function childOf(parent: string, processId: string): Promise<string> {
  const [child] = await stream.waitFor(and(processActivated(processId), (r) => r.value.parentProcessInstanceKey === parent), { description: `${processId} of ${parent}` });
  return child.key;
}

it('consultation: an answer goes to the reply, no answer to the expert; the national desk forwards to the province', async () => {
  const start = (origin: string) => startInstance(suite.zbc, 'consultation', { origin, channel: 'phone', workOrderId: 'WO-C-1', slaConsultationExpert: 'PT24H' });
  const answered = await start('province');
  await forms.submit(answered, 'agent-answer', 'consultation-answer', { answered: 'on', answerText: '4G 套餐可在营业厅或网上营业厅办理变更。' });
  const reply = await complete(suite.zbc, answered, 'reply-customer', {}, 'notify-customer');
  expect(reply.variables).toMatchObject({ answerText: '4G 套餐可在营业厅或网上营业厅办理变更。' });

  const toExpert = await start('province');
  await forms.submit(toExpert, 'agent-answer', 'consultation-answer', {});
  await forms.submit(toExpert, 'expert-answer', 'consultation-expert-answer', { answerText: '国际漫游资费以目的地为准。' });
  await forms.activated(toExpert, 'reply-customer');

  const national = await start('national');
  await forms.submit(national, 'national-answer', 'consultation-national-answer', {});
  await forms.activated(national, 'agent-answer');
});

it('bill-inquiry-review: a dispute starts a complaint about the charge, no dispute ends the inquiry', async () => {
  const start = () => startInstance(suite.zbc, 'bill-inquiry', { channel: 'agent', phoneNumber: '13800000001', billMonth: '2026-10', serviceLine: 'mobile' });
  const bill = { bill: { month: '2026-10', total: 88.5, items: [] } };
  const disputed = await start();
  await complete(suite.zbc, disputed, 'bill-lookup', bill, 'bill-lookup');
  await forms.submit(disputed, 'agent-review', 'bill-inquiry-review', { disputed: 'true', disputeReason: '未使用国内流量却被收费' });
  const complaint = await childOf(disputed, 'complaint');
  const register = await forms.submit(complaint, 'register', 'complaint-register', {
    phoneNumber: '13800000001',
    serviceLine: 'mobile',
    category: '资费争议',
    urgency: 'normal',
    kind: 'complaint',
    description: '未使用国内流量却被收费',
    resolvedOnSpot: 'true',
    summary: '解释流量计费后客户认可',
  });
  expect(register.variables).toMatchObject({ category: '资费争议', description: '未使用国内流量却被收费' });
  await forms.activated(complaint, 'archive-resolved');

  const accepted = await start();
  await complete(suite.zbc, accepted, 'bill-lookup', bill, 'bill-lookup');
  await forms.submit(accepted, 'agent-review', 'bill-inquiry-review', {});
  await forms.activated(accepted, 'inquiry-answered');
});

it('manual-acceptance-record: unverified sensitive requests are refused, resolved calls end, others go to their process', async () => {
  const start = () => startInstance(suite.zbc, 'manual-acceptance', { phoneNumber: '13800000003', channel: 'phone', slaCallWrapUp: 'PT5M' });
  const refused = await start();
  await forms.submit(refused, 'call-record', 'manual-acceptance-record', { requestType: 'service-order', summary: '要求办理停机保号', sensitive: 'true' });
  await forms.activated(refused, 'verification-failed');

  const resolved = await start();
  await forms.submit(resolved, 'call-record', 'manual-acceptance-record', { requestType: 'consultation', summary: '查询营业厅地址', resolvedOnCall: 'true' });
  await forms.activated(resolved, 'answered-on-call');

  const complaint = await start();
  await forms.submit(complaint, 'call-record', 'manual-acceptance-record', {
    customerId: '3',
    requestType: 'complaint',
    summary: '营业员态度恶劣',
    sensitive: 'true',
    passwordVerified: 'true',
  });
  const child = await childOf(complaint, 'complaint');
  const register = await forms.submit(child, 'register', 'complaint-register', {
    customerId: '3',
    phoneNumber: '13800000003',
    serviceLine: 'mobile',
    category: '服务态度',
    urgency: 'normal',
    kind: 'complaint',
    description: '营业员态度恶劣',
  });
  expect(register.variables).toMatchObject({ description: '营业员态度恶劣', customerId: 3 });
  await forms.activated(child, 'acknowledge');
});

it('written-intake: a registered letter classified as a complaint starts the complaint flow with the letter', async () => {
  const key = await startInstance(suite.zbc, 'written-intake', { slaWrittenRegister: 'PT4H' });
  await forms.submit(key, 'register', 'written-intake-register', {
    channel: 'letter',
    subject: '投诉营业厅服务',
    content: '营业员态度恶劣，请核查。',
    senderName: '王芳',
    phoneNumber: '13800000006',
    customerEmail: 'wang.fang@example.com',
  });
  const autoReply = await childOf(key, 'auto-reply');
  await complete(suite.zbc, autoReply, 'classify', { category: 'unknown', needsPerson: false }, 'classify');
  const replyDueAt = new Date((await stream.engineNow()) + 48 * HOUR).toISOString();
  await complete(suite.zbc, autoReply, 'acknowledge', { workOrderId: `XH-${key}`, replyDueAt }, 'auto-acknowledge');
  await forms.submit(key, 'classify', 'written-intake-classify', { category: 'complaint' });
  const complaint = await childOf(key, 'complaint');
  const register = await forms.submit(complaint, 'register', 'complaint-register', {
    phoneNumber: '13800000006',
    serviceLine: 'mobile',
    category: '服务态度',
    urgency: 'normal',
    kind: 'complaint',
    description: '营业员态度恶劣，请核查。',
    resolvedOnSpot: 'true',
    summary: '已致电致歉',
  });
  expect(register.variables).toMatchObject({ channel: 'letter', content: '营业员态度恶劣，请核查。' });
  await forms.activated(complaint, 'archive-resolved');
});

it('emergency-follow-up: resume requested resumes the line, otherwise it stays suspended', async () => {
  for (const [resumeRequested, end] of [['true', 'resume-line'], ['', 'kept-suspended']] as const) {
    const key = await startInstance(suite.zbc, 'emergency', { phoneNumber: '13800000002', emergencyType: 'lost', slaEmergencySuspend: 'PT10M' });
    await complete(suite.zbc, key, 'suspend-line', { suspendedAt: new Date().toISOString() }, 'suspend-service');
    await complete(suite.zbc, key, 'notify-suspended', {}, 'notify-customer');
    await forms.submit(key, 'follow-up', 'emergency-follow-up', { identityVerified: 'true', cardReplaced: 'true', resumeRequested, followUpNote: '已核实身份并补卡' });
    await forms.activated(key, end);
  }
});

it('service-order: a new broadband line goes to installation, a plan change does not; install and callback complete', async () => {
  const start = async (sampledForCallback: boolean) =>
    startInstance(suite.zbc, 'service-order', {
      channel: 'phone',
      phoneNumber: '13800000003',
      cityCode: 'gz',
      orderDueAt: new Date((await stream.engineNow()) + 24 * HOUR).toISOString(),
      sampledForCallback,
    });
  const provisioned = async (key: string) => {
    await complete(suite.zbc, key, 'credit-check', { creditClass: 'B', arrears: 0 }, 'credit-check');
    await complete(suite.zbc, key, 'provision', { provisionedAt: new Date().toISOString() }, 'provision');
  };

  const broadband = await start(true);
  await forms.submit(broadband, 'register', 'service-order-register', { customerId: '3', serviceLine: 'internet', orderType: 'new', plan: '宽带 300M', orderNote: '客户要求周末上门' });
  await provisioned(broadband);
  const install = await forms.submit(broadband, 'install', 'service-order-install', { appointmentAt: '2026-11-28T10:00', installed: 'true', installNote: '已安装光猫' });
  expect(install.customHeaders['io.camunda.zeebe:candidateGroups']).toBe('["city-gz"]');
  const notice = await complete(suite.zbc, broadband, 'notify-completed', {}, 'notify-customer');
  expect(notice.variables).toMatchObject({ appointmentAt: '2026-11-28T02:00:00.000Z', installed: true });
  await forms.submit(broadband, 'callback', 'service-order-callback', { reached: 'true', satisfaction: '满意' });
  await forms.activated(broadband, 'archive');

  const planChange = await start(false);
  await forms.submit(planChange, 'register', 'service-order-register', { customerId: '3', serviceLine: 'mobile', orderType: 'change-plan', plan: '5G 畅爽 129 元' });
  await provisioned(planChange);
  await forms.activated(planChange, 'notify-completed');
  expect(await forms.activations(planChange, 'install')).toBe(0);
});
