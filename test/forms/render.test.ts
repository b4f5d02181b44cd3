/** renderForm: values and context escaped, errors beside their fields, values filled in by type, read-only view. */
import { renderForm, validateSubmission } from '../../forms';

const base = { actionUrl: '/tasks/2251799813685300', csrfToken: 'csrf-1' } as const;
const SCRIPT = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';

/** The markup of one field (its data-field block). */
function fieldBlock(html: string, name: string): string {
  const start = html.indexOf(`data-field="${name}"`);
  expect(start).toBeGreaterThan(-1);
  const end = html.indexOf('data-field="', start + 1);
  return html.slice(start, end === -1 ? undefined : end);
}

it('escapes untrusted values, context variables and the csrf token, and keeps multi-line text as it is', () => {
  const html = renderForm('complaint-review', {
    ...base,
    csrfToken: '"><script>',
    locale: 'zh-CN',
    values: { returnReason: `${SCRIPT}\n第二行` },
    context: { description: SCRIPT, replyText: `"${SCRIPT}`, workOrderId: 'TS-20261125-0001', cause: { note: SCRIPT } },
  });
  expect(html).not.toContain('<script>');
  expect(fieldBlock(html, 'returnReason')).toContain(`>${ESCAPED}\n第二行</textarea>`);
  expect(html).toContain(`<dd data-context="description">${ESCAPED}</dd>`);
  expect(html).toContain(`<dd data-context="replyText">&quot;${ESCAPED}</dd>`);
  expect(html).toContain('name="_csrf" value="&quot;&gt;&lt;script&gt;"');
  expect(html).toContain('TS-20261125-0001');
});

it('re-renders a refused submission with each message beside its field and the input kept', () => {
  const body = { cityOutcome: 'replied', cause: '基站故障', extensionHours: 'abc' };
  const result = validateSubmission('city-complaint-handle', 'complete', body, 'zh-CN');
  if (result.ok) throw new Error('expected the submission to be refused');
  const html = renderForm('city-complaint-handle', { ...base, locale: 'zh-CN', values: body, errors: result.errors });
  expect(html).toContain('请修正标出的错误后再提交');
  expect(fieldBlock(html, 'resolution')).toContain('<p class="field-error" id="field-resolution-error">此项必填</p>');
  expect(fieldBlock(html, 'replyText')).toContain('此项必填');
  expect(fieldBlock(html, 'extensionHours')).toContain('value="abc"');
  expect(fieldBlock(html, 'extensionHours')).toContain('应为整数');
  expect(fieldBlock(html, 'cause')).toContain('value="基站故障"');
  expect(fieldBlock(html, 'cause')).not.toContain('field-error');
  expect(fieldBlock(html, 'cityOutcome')).toContain('<option value="replied" selected>');
});

it('labels and messages follow the locale', () => {
  const html = renderForm('complaint-callback', { ...base, locale: 'en', values: {}, errors: { satisfaction: 'This field is required' } });
  expect(html).toContain('Satisfaction');
  expect(html).toContain('Save draft');
  expect(html).toContain('Please correct the marked fields');
  expect(html).not.toContain('满意度');
});

it('fills fields from typed process variables: check boxes, multiple choices, date-times in China Standard Time', () => {
  const callback = renderForm('complaint-callback', { ...base, locale: 'zh-CN', values: { reached: true, satisfaction: '基本满意' } });
  expect(fieldBlock(callback, 'reached')).toContain('value="true" checked');
  expect(fieldBlock(callback, 'satisfaction')).toContain('<option value="基本满意" selected>');
  const assign = renderForm('integrated-processing-assign', { ...base, locale: 'zh-CN', values: { departments: ['city-gz', 'vip-manager'] } });
  expect(fieldBlock(assign, 'departments')).toContain('value="city-gz" checked');
  expect(fieldBlock(assign, 'departments')).toContain('value="vip-manager" checked');
  expect(fieldBlock(assign, 'departments')).not.toContain('value="city-sz" checked');
  const install = renderForm('service-order-install', { ...base, locale: 'zh-CN', values: { appointmentAt: '2026-11-26T02:00:00.000Z' } });
  expect(fieldBlock(install, 'appointmentAt')).toContain('type="datetime-local"');
  expect(fieldBlock(install, 'appointmentAt')).toContain('value="2026-11-26T10:00"');
});

it('shows booleans and structured context readably and leaves out context the instance does not have', () => {
  const html = renderForm('integrated-processing-review', {
    ...base,
    locale: 'zh-CN',
    values: {},
    context: { workOrderId: 'ZH-1', handlingResults: [{ department: 'city-gz', outcome: 'handled' }], replyDueAt: null },
  });
  expect(html).toContain('<pre>[\n  {\n    &quot;department&quot;: &quot;city-gz&quot;');
  expect(html).not.toContain('data-context="replyDueAt"');
  const record = renderForm('manual-acceptance-record', { ...base, locale: 'zh-CN', values: {}, context: { unknownCaller: true, vip: false } });
  expect(record).toContain('<dd data-context="unknownCaller">是</dd>');
  expect(record).toContain('<dd data-context="vip">否</dd>');
});

it('a read-only form has disabled fields and no buttons', () => {
  const html = renderForm('complaint-review', { ...base, locale: 'zh-CN', values: { reviewApproved: true }, readOnly: true });
  expect(html).not.toContain('<button');
  expect(fieldBlock(html, 'reviewApproved')).toContain(' disabled');
  expect(fieldBlock(html, 'returnReason')).toContain(' disabled');
});

it('lets an action that sends only its own fields (退单) past the browser checks of the others, but not completion', () => {
  const html = renderForm('city-complaint-handle', { ...base, locale: 'zh-CN', values: {} });
  expect(html).toMatch(/<button type="submit" name="action" value="misrouted" formnovalidate>退单<\/button>/);
  expect(html).toMatch(/<button type="submit" name="action" value="complete">[^<]+<\/button>/);
});
