/**
 * The inbox suites' platform: the web server with demo users (useTestServer), task sourcing from the engine's
 * records, and the complaint models deployed. `startComplaint` starts a complaint as the phone intake would and
 * `taskOf` waits until its user task `elementId` is in the inbox.
 */
import { slaValue } from '../../db/slaConfig';
import { startTaskSourcing, type RunningTaskSourcing } from '../../server/tasks';
import { waitFor } from '../support/engineHarness';
import { useTestServer, type TestServer } from '../support/serverHarness';
import { deployModels } from '../processes/drive';

export interface InboxSuite extends TestServer {
  startComplaint(): Promise<string>;
  /** The job key of the open task of `elementId` in the instance, or in one it called for the same work order. */
  taskOf(instanceKey: string, elementId: string): Promise<string>;
  gzCustomer(): Promise<{ id: number; phone: string; name: string }>;
}

/** `mailIntervalMs`: how often assignment and overdue mail goes out (default: hourly, i.e. not during a suite). */
export function useInboxSuite(options: { mailIntervalMs?: number } = {}): InboxSuite {
  let sourcing: RunningTaskSourcing | undefined;
  // Registered before the server's hooks so task sourcing stops before the engine and database do.
  afterAll(async () => {
    await sourcing?.close();
  });
  const suite = useTestServer() as InboxSuite;
  beforeAll(async () => {
    await deployModels(suite.zbc, 'city-complaint', 'complaint', 'complaint-national');
    sourcing = await startTaskSourcing({
      knex: suite.knex, zbc: suite.zbc, mailer: suite.mailer, mode: 'records', now: suite.now,
      pollTimeoutMs: 200, removalIntervalMs: 50, digestIntervalMs: 3_600_000, mailIntervalMs: options.mailIntervalMs ?? 3_600_000,
    });
    suite.startComplaint = async () => {
      const slaCallbackRetry = `PT${await slaValue(suite.knex, 'callback.retry_interval')}M`;
      const { processInstanceKey } = await suite.zbc.createProcessInstance({ bpmnProcessId: 'complaint', variables: { channel: 'phone', slaCallbackRetry } });
      return processInstanceKey;
    };
    suite.taskOf = async (instanceKey, elementId) => {
      const row = await waitFor(
        () =>
          suite.knex('tasks')
            .where({ element_id: elementId, state: 'open' })
            .where((q) => q.where('process_instance_key', instanceKey).orWhereIn('work_order_number', suite.knex('work_orders').select('number').where('process_instance_key', instanceKey)))
            .first(),
        { timeoutMs: 10_000, description: `task ${elementId} of ${instanceKey}` },
      );
      return row.job_key as string;
    };
    suite.gzCustomer = () => suite.knex('customers').where({ city_code: 'gz', vip: false }).orderBy('id').first('id', 'phone', 'name');
  });
  return suite;
}
