/**
 * Back-pressure: commands beyond the engine's queue limit are refused with RESOURCE_EXHAUSTED (as Zeebe's
 * gateway does), the accepted ones all take effect, and the engine keeps serving afterwards. The suite's
 * engine has a tiny limit so a burst of ordinary requests provokes it.
 */
import { status as grpcStatus } from '@grpc/grpc-js';
import { chain, deployProcess, runToEnd } from '../support/bpmn';
import { useTestEngine } from '../support/engineHarness';

const LIMIT = 5;
const BURST = 300;
const suite = useTestEngine({ maxQueuedCommands: LIMIT });

it('refuses commands over the queue limit with RESOURCE_EXHAUSTED and runs every accepted one', async () => {
  await deployProcess(suite.zbc, 'back-pressure', `<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />${chain('start', 'end')}`);

  const outcomes = await Promise.allSettled(
    Array.from({ length: BURST }, (_, n) => suite.zbc.createProcessInstance({ bpmnProcessId: 'back-pressure', variables: { n } })),
  );

  const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  const accepted = outcomes.filter((o) => o.status === 'fulfilled');
  expect(refused.length).toBeGreaterThan(0);
  for (const { reason } of refused) {
    expect(reason.code).toBe(grpcStatus.RESOURCE_EXHAUSTED);
    expect(reason.details).toMatch(/back-pressure/);
  }
  expect(accepted.length).toBeGreaterThan(0);

  // Every acknowledged creation is in the record stream; no refused one is.
  const created = await suite.engine.records.byPositionRange(1, Number.MAX_SAFE_INTEGER, { valueTypes: ['PROCESS_INSTANCE_CREATION'] });
  expect(created.filter((r) => r.value.bpmnProcessId === 'back-pressure')).toHaveLength(accepted.length);
});

it('serves normally once the burst is over', async () => {
  const result = await runToEnd(suite.zbc, 'back-pressure', { after: true });
  expect(result.variables).toEqual({ after: true });
});
