/** classify through the engine: the keyword table decides the business flow, the Chinese topic and whether a person is needed. */
import { runToEnd, startInstance, taskProcess } from '../support/bpmn';
import { deployXml } from '../support/engineHarness';
import { usePlatform } from '../support/platformHarness';
import { ofType, waitForRecords } from '../support/records';
import { classifyWorker } from '../../workers/classify';

const suite = usePlatform({ workers: [classifyWorker], seed: false });

beforeAll(() => deployXml(suite.zbc, 'classify-probe.bpmn', taskProcess('classify-probe', 'classify', { retries: 1 })));

it.each([
  ['投诉', '营业员态度恶劣，还不耐烦', 'complaint', '服务态度', false],
  ['话费', '上个月话费多扣了 30 元', 'complaint', '资费争议', false],
  ['宽带', '家里宽带从昨晚起无法上网', 'complaint', '网络质量', false],
  ['表扬', '感谢营业厅王经理的耐心服务。', 'praise', '表扬', false],
  ['来信', '请发送十月详单', 'bill-inquiry', '话费查询', false],
  ['网站留言', '请问如何办理宽带提速？', 'consultation', '咨询', false],
  ['来函', '申请办理停机保号', 'service-order', '业务办理', false],
  ['来信', '小区楼顶新装的天线让居民很担心，希望有人来看一看', 'other', '其他', true],
])('%s: “%s” is %s (%s), needs a person: %s', async (subject, content, category, topic, needsPerson) => {
  const { variables } = await runToEnd(suite.zbc, 'classify-probe', { subject, content });
  expect(variables).toMatchObject({ category, topic, needsPerson });
});

it('a request without text is an incident naming the field', async () => {
  const key = await startInstance(suite.zbc, 'classify-probe', { subject: '来信' });
  const [incident] = await waitForRecords(suite.engine, key, ofType('INCIDENT', 'CREATED'));
  expect(incident.value.errorMessage).toMatch(/classify: invalid input variables: content: /);
});
