/**
 * The demo cases npm start seeds on a fresh platform: started through zeebe-node like production starts them, run
 * by the real workers to the user tasks of the demo users' groups, without incidents; only ever once.
 */
import { seedDemoCases } from '../../db/seed/demoCases';
import { USER_TASK_JOB_TYPE } from '../../processes/catalogue';
import { deployProcessModels } from '../../processes/deployProcessModels';
import { usePlatform } from '../support/platformHarness';
import { ofType, recordStream } from '../support/records';

const suite = usePlatform();
const stream = recordStream(suite);

beforeAll(() => deployProcessModels(suite.zbc));

const userTaskCreated = (r: { valueType: string; intent: string; value: Record<string, unknown> }) =>
  r.valueType === 'JOB' && r.intent === 'CREATED' && r.value.type === USER_TASK_JOB_TYPE;
const groupsOf = (r: { value: Record<string, unknown> }) =>
  JSON.parse(String((r.value.customHeaders as Record<string, string>)['io.camunda.zeebe:candidateGroups'])) as string[];
const starts = async () => (await stream.where((r) => ofType('PROCESS_INSTANCE_CREATION')(r) || ofType('MESSAGE', 'PUBLISHED')(r))).length;

it('on an external engine it starts nothing and says why', async () => {
  const outcome = await seedDemoCases({ knex: suite.knex, zbc: suite.zbc, now: suite.now(), externalEngine: true });
  expect(outcome).toEqual({ skipped: expect.stringContaining('ZEEBE_ADDRESS') });
  expect(await starts()).toBe(0);
});

it('starts the demo cases, which reach the user tasks of agents, backoffice, national center and outbound agents', async () => {
  const outcome = await seedDemoCases({ knex: suite.knex, zbc: suite.zbc, now: suite.now() });
  expect('started' in outcome && outcome.started).toHaveLength(11);
  // 3 calls, 2 portal requests, the agent's complaint and service order: agents; fax registration and emergency
  // follow-up: backoffice; the regulator's complaint: national center; three customers of the campaign: outbound.
  const tasks = await stream.waitFor(userTaskCreated, { count: 13, description: 'the user tasks of the demo cases' });
  expect(tasks.map(groupsOf).sort()).toEqual([
    ...Array(7).fill(['agent']),
    ...Array(2).fill(['backoffice']),
    ['national-agent'],
    ...Array(3).fill(['outbound-agent']),
  ].sort());
  expect(await stream.where(ofType('INCIDENT'))).toEqual([]);
  // The calls went through identify-customer like any call: on record for the statistics.
  expect(await suite.knex('call_records').select('id')).toHaveLength(3);
});

it('a second start finds the instances and starts nothing', async () => {
  const before = await starts();
  expect(await seedDemoCases({ knex: suite.knex, zbc: suite.zbc, now: suite.now() })).toEqual({ skipped: expect.any(String) });
  expect(await starts()).toBe(before);
});
