/**
 * The engine vacuums engine_state itself once enough of its rows were written or deleted: PGlite has no
 * autovacuum, and the dead rows that every finished instance leaves behind slow each commit down.
 */
import { activateOne, chain, deployProcess, runToEnd, serviceTask, startInstance } from '../support/bpmn';
import { useTestEngine, waitFor } from '../support/engineHarness';

const THRESHOLD = 200;
const suite = useTestEngine({ vacuumAfterStateWrites: THRESHOLD });

async function manualVacuums(): Promise<number> {
  const { rows } = await suite.engine.knex.raw<{ rows: { vacuum_count: string | number }[] }>(
    "select vacuum_count from pg_stat_user_tables where relname = 'engine_state'",
  );
  return Number(rows[0].vacuum_count);
}

function oneTask(jobType: string): string {
  return `<bpmn:startEvent id="start" />${serviceTask('task', jobType)}<bpmn:endEvent id="end" />${chain('start', 'task', 'end')}`;
}

beforeAll(async () => {
  // An instance that waits for a job writes its rows in one commit and deletes them in a later one.
  await deployProcess(suite.zbc, 'vacuum-passing', oneTask('vacuum-pass'));
  await deployProcess(suite.zbc, 'vacuum-waiting', oneTask('vacuum-wait'));
  suite.zbc.createWorker({ taskType: 'vacuum-pass', taskHandler: (job) => job.complete(), pollInterval: 10 });
});

it('does not vacuum while few rows were written', async () => {
  await runToEnd(suite.zbc, 'vacuum-passing', { n: 0 });
  expect(await manualVacuums()).toBe(0);
});

it('vacuums engine_state once the written rows pass the threshold, and every instance keeps its state', async () => {
  const waiting = await startInstance(suite.zbc, 'vacuum-waiting', { keep: 'me' });
  for (let n = 1; n <= 30; n++) await runToEnd(suite.zbc, 'vacuum-passing', { n });

  await waitFor(async () => (await manualVacuums()) >= 1, { description: 'a VACUUM of engine_state' });

  // The instance that was waiting all along still has its job and variables, now and after a restart.
  await suite.engine.restart();
  const job = await activateOne(suite.zbc, 'vacuum-wait');
  expect(job.processInstanceKey).toBe(waiting);
  expect(job.variables).toEqual({ keep: 'me' });
  expect((await runToEnd(suite.zbc, 'vacuum-passing', { after: true })).variables).toEqual({ after: true });
});
