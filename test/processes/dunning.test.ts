/**
 * dunning (规范 7.11 / 4.14): the daily run finds the accounts in arrears and works each on its own: one pays after
 * the first notice, one after being suspended (and is resumed), a VIP account goes to its manager instead.
 */
import type { Job } from 'zeebe-node';
import { PAYMENT_MESSAGE } from '../../processes/catalogue';
import { useTestEngine } from '../support/engineHarness';
import { processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels } from './drive';

const suite = useTestEngine();
const stream = recordStream(suite);
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const ACCOUNTS = [
  { accountId: 'ACC-GZ-0001', phoneNumber: '13800000011', arrears: 120.5, vip: false },
  { accountId: 'ACC-GZ-0002', phoneNumber: '13800000012', arrears: 86, vip: false },
  { accountId: 'ACC-SZ-0003', phoneNumber: '13800000013', arrears: 2300, vip: true },
];

const forAccount = (accountId: string) => (job: Job) => (job.variables as { account?: { accountId?: string } }).account?.accountId === accountId;
const pay = (accountId: string) =>
  suite.zbc.publishMessage({ name: PAYMENT_MESSAGE, correlationKey: accountId, variables: { paidAmount: 1 }, timeToLive: HOUR });

beforeAll(() => deployModels(suite.zbc, 'dunning'));

it('notices, waits, calls, suspends and resumes per account; the VIP account goes to its manager', async () => {
  const mark = await stream.mark();
  await suite.engine.advanceClock(DAY);
  const [run] = await stream.waitFor(processActivated('dunning'), { fromPosition: mark, description: 'the daily dunning run' });
  const key = run.key;
  await complete(suite.zbc, key, 'find-arrears', { arrearsAccounts: ACCOUNTS, slaDunningWait: 'P3D' }, 'find-arrears');

  for (const { accountId } of ACCOUNTS) {
    const notice = await complete(suite.zbc, key, 'first-notice', { smsSent: true }, 'dunning-notice', { match: forAccount(accountId) });
    expect(notice.customHeaders.stage).toBe('first');
  }
  await pay('ACC-GZ-0001');

  await suite.engine.advanceClock(3 * DAY + 60_000);
  for (const { accountId } of ACCOUNTS.slice(1)) {
    const notice = await complete(suite.zbc, key, 'second-notice', {}, 'dunning-notice', { match: forAccount(accountId) });
    expect(notice.customHeaders.stage).toBe('second');
  }

  await suite.engine.advanceClock(3 * DAY + 60_000);
  const promisedPayDate = new Date((await stream.engineNow()) + DAY).toISOString();
  const call = await complete(suite.zbc, key, 'outbound-call', { reached: true, promisedPayDate }, undefined, { match: forAccount('ACC-GZ-0002') });
  expect(JSON.parse(String(call.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['outbound-agent']);
  // Not reached, no promise: the VIP account goes on at once, to its manager rather than to suspension.
  await complete(suite.zbc, key, 'outbound-call', { reached: false }, undefined, { match: forAccount('ACC-SZ-0003') });
  const vip = await complete(suite.zbc, key, 'vip-follow-up', { note: '已联系客户财务' }, undefined, { match: forAccount('ACC-SZ-0003') });
  expect(JSON.parse(String(vip.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual(['vip-manager']);

  // The promised day passes without payment: suspended, then resumed once the payment comes in.
  await suite.engine.advanceClock(DAY + 60_000);
  const suspend = await complete(suite.zbc, key, 'suspend', {}, 'suspend-service', { match: forAccount('ACC-GZ-0002') });
  expect(suspend.customHeaders.reason).toBe('arrears');
  await pay('ACC-GZ-0002');
  await complete(suite.zbc, key, 'resume', {}, 'resume-service', { match: forAccount('ACC-GZ-0002') });

  const steps = trail(await waitForCompletion(suite.engine, key));
  const ended = (id: string) => steps.filter((s) => s === `${id}:ELEMENT_COMPLETED`).length;
  expect([ended('paid-after-first-end'), ended('resumed'), ended('vip-followed-up'), ended('suspend')]).toEqual([1, 1, 1, 1]);
  expect(ended('paid-after-second-end') + ended('paid-after-call-end')).toBe(0);
  expect(steps).toContain('dunning-done:ELEMENT_COMPLETED');
});
