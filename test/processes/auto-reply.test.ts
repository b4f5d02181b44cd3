/**
 * auto-reply (规范 7.12): a written or web request is classified and acknowledged with its work-order number and
 * expected reply time; what needs a person goes on to integrated-processing, the rest ends with the acknowledgement.
 */
import { chain, deployProcess, serviceTask, startInstance } from '../support/bpmn';
import { useTestEngine } from '../support/engineHarness';
import { and, ofType, processActivated, recordStream, trail, waitForCompletion } from '../support/records';
import { complete, deployModels } from './drive';

const suite = useTestEngine();
const stream = recordStream(suite);
const HOUR = 3600_000;
const STAND_IN_JOB = 'integrated-processing-stand-in';

beforeAll(async () => {
  // integrated-processing has no model yet: this stand-in takes its place under the same process id.
  await deployProcess(
    suite.zbc,
    'integrated-processing',
    `<bpmn:startEvent id="start" />
${serviceTask('handle', STAND_IN_JOB)}
<bpmn:endEvent id="end" />
${chain('start', 'handle', 'end')}`,
  );
  await deployModels(suite.zbc, 'auto-reply');
});

const request = { channel: 'email', customerEmail: 'li.ming@example.com', subject: '宽带报修', content: '家里宽带从昨晚起无法上网，请尽快派人维修。' };

/** Starts auto-reply, then classifies and acknowledges as the two workers would; resolves with the instance and acknowledgement. */
async function classifiedAndAcknowledged(received: typeof request, classification: Record<string, unknown>) {
  const key = await startInstance(suite.zbc, 'auto-reply', received);
  const classify = await complete(suite.zbc, key, 'classify', classification, 'classify');
  expect(classify.variables).toMatchObject({ subject: received.subject, content: received.content });
  const acknowledgement = { workOrderId: 'ZH-20261125-0001', replyDueAt: new Date((await stream.engineNow()) + 48 * HOUR).toISOString() };
  const acknowledge = await complete(suite.zbc, key, 'acknowledge', acknowledgement, 'auto-acknowledge');
  expect(acknowledge.variables).toMatchObject({ channel: 'email', category: classification.category });
  return { key, ...acknowledgement };
}

it('nothing for a person to do: the acknowledgement closes the request', async () => {
  const praise = { ...request, subject: '表扬', content: '感谢营业厅王经理的耐心服务。' };
  const { key } = await classifiedAndAcknowledged(praise, { category: 'praise', needsPerson: false });
  const steps = trail(await waitForCompletion(suite.engine, key));
  expect(steps).toContain('auto-replied:ELEMENT_COMPLETED');
  expect(steps).not.toContain('integrated-processing:ELEMENT_ACTIVATED');
});

it('needs a person: integrated-processing gets the classified, acknowledged request and hands back its result', async () => {
  const { key, workOrderId } = await classifiedAndAcknowledged(request, { category: 'repair', needsPerson: true });

  const [called] = await stream.waitFor(and(processActivated('integrated-processing'), (r) => r.value.parentProcessInstanceKey === key), {
    description: 'integrated-processing started by auto-reply',
  });
  const handling = await complete(suite.zbc, called.key, 'handle', { resolution: '已派装维人员上门' }, STAND_IN_JOB);
  expect(handling.variables).toMatchObject({ workOrderId, category: 'repair', content: request.content });

  const records = await waitForCompletion(suite.engine, key);
  expect(trail(records)).toContain('handled-by-person:ELEMENT_COMPLETED');
  const resolution = records.filter(ofType('VARIABLE')).find((r) => r.value.name === 'resolution');
  expect(JSON.parse(String(resolution?.value.value))).toBe('已派装维人员上门');
});
