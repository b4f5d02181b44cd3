/**
 * The back-office and outbound forms drive their models: integrated-processing, outbound-campaign, dunning,
 * vip-service and phone-intake, each user task completed with validateSubmission's variables.
 */
import type { Job } from 'zeebe-node';
import { PAYMENT_MESSAGE } from '../../processes/catalogue';
import { toDateTimeLocal } from '../../forms/dateTime';
import { useTestEngine } from '../support/engineHarness';
import { startInstance } from '../support/bpmn';
import { processActivated, recordStream } from '../support/records';
import { complete, deployModels, takeJob } from '../processes/drive';
import { formDriver } from './formDriver';

const suite = useTestEngine();
const stream = recordStream(suite);
const forms = formDriver(suite);
const HOUR = 3600_000;
const DAY = 24 * HOUR;

beforeAll(() => deployModels(suite.zbc, 'integrated-processing', 'outbound-campaign', 'phone-intake', 'manual-acceptance', 'bill-inquiry', 'dunning', 'vip-service'));

const variable = <T>(job: Job, name: string) => (job.variables as Record<string, T>)[name];
const forDepartment = (department: string) => (job: Job) => variable(job, 'department') === department;

it('integrated-processing: departments assigned, a transfer handled by the named department, review sends back or closes', async () => {
  const replyDueAt = new Date((await stream.engineNow()) + 48 * HOUR).toISOString();
  const key = await startInstance(suite.zbc, 'integrated-processing', { workOrderId: 'ZH-20261125-0002', category: 'repair', content: '家里宽带从昨晚起无法上网。', replyDueAt });
  await forms.submit(key, 'assign-departments', 'integrated-processing-assign', { departments: ['city-gz', 'vip-manager'] });
  const handle = (department: string, body: Record<string, unknown>) =>
    forms.submit(key, 'handle-department', 'integrated-processing-handle', body, { match: forDepartment(department) });
  await handle('city-gz', { handlingOutcome: 'handled', handlingOpinion: '已派装维上门修复' });
  await handle('vip-manager', { handlingOutcome: 'transfer', handlingOpinion: '非大客户，转深圳', transferTo: 'city-sz' });
  await handle('city-sz', { handlingOutcome: 'return', handlingOpinion: '不属本部门' });
  await forms.activated(key, 'assign-departments', 2);

  await forms.submit(key, 'assign-departments', 'integrated-processing-assign', { departments: 'city-fs' });
  await handle('city-fs', { handlingOutcome: 'handled', handlingOpinion: '已上门处理' });
  const sentBack = await forms.submit(key, 'team-lead-review', 'integrated-processing-review', { reviewOpinion: '请补充处理过程' });
  expect(variable(sentBack, 'handlingResults')).toEqual([{ department: 'city-fs', outcome: 'handled', opinion: '已上门处理', transferTo: null }]);
  await forms.activated(key, 'assign-departments', 3);

  await forms.submit(key, 'assign-departments', 'integrated-processing-assign', { departments: ['city-fs'] });
  await handle('city-fs', { handlingOutcome: 'handled', handlingOpinion: '已上门处理并补充过程说明' });
  await forms.submit(key, 'team-lead-review', 'integrated-processing-review', { reviewApproved: 'true', resolution: '已修复并回访' });
  const archive = await complete(suite.zbc, key, 'archive', {}, 'archive');
  expect(archive.variables).toMatchObject({ resolution: '已修复并回访', reviewApproved: true });
});

it('phone-intake-voicemail: the night duty agent handles the voicemail and the call ends', async () => {
  await suite.zbc.publishMessage({
    name: 'phone-call-arrived',
    correlationKey: 'call-forms-1',
    variables: { callId: 'call-forms-1', callerNumber: '13800000004', ivrChoice: 'agent', slaCallWrapUp: 'PT5M' },
    timeToLive: 0,
  });
  const [call] = await stream.waitFor(processActivated('phone-intake'), { description: 'the phone-intake instance' });
  await complete(suite.zbc, call.key, 'identify-customer', { customerId: 4, vip: false, cityCode: 'gz', nightRoute: true, slaVoicemailCallback: 'PT12H' }, 'identify-customer');
  await forms.submit(call.key, 'voicemail', 'phone-intake-voicemail', { calledBack: 'true', voicemailNote: '已回电，客户咨询宽带资费' });
  await forms.activated(call.key, 'voicemail-handled');
});

// These move the engine clock, so they come last.
it('outbound-campaign-call: an unreachable customer is called again after the interval, a reached one is done', async () => {
  const customers = [{ customerId: 101, phoneNumber: '13800000101' }, { customerId: 102, phoneNumber: '13800000102' }];
  const campaignDueAt = new Date((await stream.engineNow()) + 72 * HOUR).toISOString();
  const key = await startInstance(suite.zbc, 'outbound-campaign', { campaignType: 'survey', customers, slaOutboundRetry: 'PT2H', campaignDueAt });
  const forCustomer = (id: number) => (job: Job) => variable<{ customerId: number }>(job, 'customer').customerId === id;
  await forms.submit(key, 'outbound-call', 'outbound-campaign-call', { reached: 'true', callResult: '满意', callNote: '客户对网络质量满意' }, { match: forCustomer(101) });
  await forms.submit(key, 'outbound-call', 'outbound-campaign-call', { callNote: '无人接听' }, { match: forCustomer(102) });
  await forms.activated(key, 'customer-reached');
  await forms.activated(key, 'call-retry-wait');
  await suite.engine.advanceClock(2 * HOUR + 60_000);
  await forms.submit(key, 'outbound-call', 'outbound-campaign-call', { reached: 'true', callResult: '基本满意' }, { match: forCustomer(102) });
  const summary = await complete(suite.zbc, key, 'summarize', { connectRate: 1 }, 'campaign-summary');
  expect(variable(summary, 'callResults')).toEqual([
    { customer: customers[0], reached: true, attempts: 1, result: '满意' },
    { customer: customers[1], reached: true, attempts: 2, result: '基本满意' },
  ]);
});

it('dunning-call: the promised date holds off suspension until it has passed; dunning-vip closes a VIP account', async () => {
  const accounts = [
    { accountId: 'ACC-GZ-0002', phoneNumber: '13800000012', arrears: 86, vip: false },
    { accountId: 'ACC-SZ-0003', phoneNumber: '13800000013', arrears: 2300, vip: true },
  ];
  const forAccount = (accountId: string) => (job: Job) => variable<{ accountId: string }>(job, 'account').accountId === accountId;
  const mark = await stream.mark();
  await suite.engine.advanceClock(DAY);
  const [run] = await stream.waitFor(processActivated('dunning'), { fromPosition: mark, description: 'the daily dunning run' });
  await complete(suite.zbc, run.key, 'find-arrears', { arrearsAccounts: accounts, slaDunningWait: 'P3D' }, 'find-arrears');
  for (const stage of ['first-notice', 'second-notice']) {
    for (const { accountId } of accounts) await complete(suite.zbc, run.key, stage, {}, 'dunning-notice', { match: forAccount(accountId) });
    await suite.engine.advanceClock(3 * DAY + 60_000);
  }

  const promisedAt = toDateTimeLocal(new Date((await suite.engine.engineTime()) + DAY).toISOString());
  await forms.submit(run.key, 'outbound-call', 'dunning-call', { reached: 'true', promisedPayDate: promisedAt, callNote: '客户承诺明天缴费' }, { match: forAccount('ACC-GZ-0002') });
  await forms.submit(run.key, 'outbound-call', 'dunning-call', { callNote: '无人接听' }, { match: forAccount('ACC-SZ-0003') });
  await forms.submit(run.key, 'vip-follow-up', 'dunning-vip', { note: '已联系客户财务，月底前缴清' }, { match: forAccount('ACC-SZ-0003') });
  await forms.activated(run.key, 'vip-followed-up');

  await expect(takeJob(suite.zbc, run.key, 'suspend', 'suspend-service', { timeoutMs: 500 })).rejects.toThrow();
  await suite.engine.advanceClock(DAY + 2 * 60_000);
  const suspend = await takeJob(suite.zbc, run.key, 'suspend', 'suspend-service', { match: forAccount('ACC-GZ-0002') });
  expect(variable(suspend, 'reached')).toBe(true);
  await suite.zbc.completeJob({ jobKey: suspend.key, variables: {} });
  await suite.zbc.publishMessage({ name: PAYMENT_MESSAGE, correlationKey: 'ACC-GZ-0002', variables: {}, timeToLive: HOUR });
  await forms.activated(run.key, 'resume');
});

it('vip-service-revisit: each VIP account of the monthly run is revisited, and the run ends when all are', async () => {
  const vipAccounts = [
    { accountId: 'ACC-GZ-0101', customerName: '广州某物流公司', phoneNumber: '13800000101' },
    { accountId: 'ACC-SZ-0102', customerName: '深圳某科技公司', phoneNumber: '13800000102' },
  ];
  const mark = await stream.mark();
  await suite.engine.advanceClock(32 * DAY);
  const [run] = await stream.waitFor(processActivated('vip-service'), { fromPosition: mark, description: 'the monthly VIP revisit run' });
  await complete(suite.zbc, run.key, 'find-vip-accounts', { vipAccounts, slaVipRevisit: 'P7D' }, 'find-vip-accounts');
  const forAccount = (accountId: string) => (job: Job) => variable<{ accountId: string }>(job, 'account').accountId === accountId;
  await forms.submit(run.key, 'revisit', 'vip-service-revisit', { reached: 'true', satisfaction: '满意', revisitNote: '客户希望增加专线带宽' }, { match: forAccount('ACC-GZ-0101') });
  await forms.submit(run.key, 'revisit', 'vip-service-revisit', { revisitNote: '联系人出差' }, { match: forAccount('ACC-SZ-0102') });
  await forms.activated(run.key, 'all-revisited');
});
