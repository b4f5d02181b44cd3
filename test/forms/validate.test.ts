/** validateSubmission: HTML form bodies in, typed process variables or per-field messages (zh-CN, en) out. */
import { SAVE_DRAFT_ACTION, UnknownFormActionError, UnknownFormError, draftValues, validateSubmission } from '../../forms';
import type { FieldSchema } from '../../forms';
import { parseField } from '../../forms/validate';

function variablesOf(key: string, body: Record<string, unknown>) {
  const result = validateSubmission(key, 'complete', body, 'zh-CN');
  if (!result.ok) throw new Error(`expected ${key} to validate, got ${JSON.stringify(result.errors)}`);
  return result.variables;
}

function errorsOf(key: string, body: Record<string, unknown>, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const result = validateSubmission(key, 'complete', body, locale);
  if (result.ok) throw new Error(`expected ${key} to be refused, got ${JSON.stringify(result.variables)}`);
  return result.errors;
}

const registration = {
  customerId: '123',
  phoneNumber: '13800000001',
  serviceLine: 'mobile',
  category: '网络质量',
  urgency: 'urgent',
  kind: 'complaint',
  description: '家中室内信号差，通话经常中断。',
};

it('turns a complete registration into typed variables: integer id, unchecked box false, empty optional null', () => {
  expect(variablesOf('complaint-register', { ...registration, _csrf: 'token', action: 'complete' })).toEqual({
    customerId: 123,
    phoneNumber: '13800000001',
    serviceLine: 'mobile',
    category: '网络质量',
    urgency: 'urgent',
    kind: 'complaint',
    description: '家中室内信号差，通话经常中断。',
    resolvedOnSpot: false,
    summary: null,
  });
});

it('reports each missing required field, in Chinese by default and in English on request', () => {
  const { description, serviceLine, ...incomplete } = registration;
  expect(description && serviceLine).toBeTruthy();
  expect(errorsOf('complaint-register', { ...incomplete, description: '   ' })).toEqual({ description: '此项必填', serviceLine: '此项必填' });
  expect(errorsOf('complaint-register', incomplete, 'en')).toEqual({ description: 'This field is required', serviceLine: 'This field is required' });
});

it('requires a field only while the field it depends on has the given value', () => {
  expect(errorsOf('complaint-review', {})).toEqual({ returnReason: '此项必填' });
  expect(variablesOf('complaint-review', { reviewApproved: 'true' })).toEqual({ reviewApproved: true, returnReason: null });
  expect(errorsOf('complaint-register', { ...registration, resolvedOnSpot: 'on' }, 'en')).toEqual({ summary: 'This field is required' });
  expect(errorsOf('city-complaint-handle', { cityOutcome: 'extension' })).toEqual({ extensionHours: '此项必填', extensionReason: '此项必填' });
  expect(variablesOf('city-complaint-handle', { cityOutcome: 'misrouted', returnReason: '号码归属佛山' })).toMatchObject({ cityOutcome: 'misrouted', returnReason: '号码归属佛山', replyText: null });
});

it('an action requires the fields it lists as required: 退单 needs its reason whatever the outcome field says', () => {
  const misrouted = (body: Record<string, unknown>, locale: 'zh-CN' | 'en' = 'zh-CN') => validateSubmission('city-complaint-handle', 'misrouted', body, locale);
  expect(misrouted({ returnReason: '  ' })).toEqual({ ok: false, errors: { returnReason: '此项必填' } });
  expect(misrouted({ cityOutcome: 'replied' }, 'en')).toEqual({ ok: false, errors: { returnReason: 'This field is required' } });
  // Only the action's fields are checked and sent: the form's required outcome does not stop a 退单.
  expect(misrouted({ returnReason: '号码归属深圳', cause: '网络' })).toMatchObject({ ok: true, action: { errorCode: 'MISROUTED' }, variables: { returnReason: '号码归属深圳' } });
  expect(Object.keys((misrouted({ returnReason: '号码归属深圳' }) as { variables: object }).variables)).toEqual(['returnReason']);
  // The same field stays optional for the form's complete action unless the outcome asks for it.
  expect(variablesOf('city-complaint-handle', { cityOutcome: 'replied', cause: '基站故障', resolution: '已修复', replyText: '已修复' }).returnReason).toBeNull();
});

it('refuses a value that is not one of the options, including tampered ones', () => {
  expect(errorsOf('complaint-register', { ...registration, urgency: 'critical', category: ['网络质量'] })).toEqual({ urgency: '请从列表中选择', category: '请从列表中选择' });
  expect(errorsOf('integrated-processing-assign', { departments: ['city-gz', 'city-xx'] }, 'en')).toEqual({ departments: 'Choose one of the listed values' });
  expect(variablesOf('integrated-processing-assign', { departments: ['city-gz', 'vip-manager', 'city-gz'] })).toEqual({ departments: ['city-gz', 'vip-manager'] });
  expect(variablesOf('integrated-processing-assign', { departments: 'city-fs' })).toEqual({ departments: ['city-fs'] });
  expect(errorsOf('integrated-processing-assign', {})).toEqual({ departments: '此项必填' });
});

it('refuses text over the length limit, counted in characters', () => {
  expect(variablesOf('complaint-register', { ...registration, description: '信'.repeat(2000) }).description).toHaveLength(2000);
  expect(errorsOf('complaint-register', { ...registration, description: '信'.repeat(2001) })).toEqual({ description: '不能超过 2000 个字符' });
  expect(errorsOf('written-intake-register', { channel: 'fax', subject: 'x'.repeat(201), content: '来函' }, 'en')).toEqual({ subject: 'At most 200 characters' });
});

it('refuses values that are not strings (tampered bodies) and invalid check box values', () => {
  expect(errorsOf('complaint-register', { ...registration, description: { $gt: '' }, phoneNumber: ['13800000001', '13800000002'] })).toEqual({
    description: '应为文本',
    phoneNumber: '应为文本',
  });
  expect(errorsOf('complaint-review', { reviewApproved: 'yes', returnReason: '未说明补偿' })).toEqual({ reviewApproved: '无效的勾选值' });
});

it('parses integers with their limits, phone numbers and e-mail addresses', () => {
  expect(errorsOf('complaint-register', { ...registration, customerId: '12.5' })).toEqual({ customerId: '应为整数' });
  expect(errorsOf('complaint-register', { ...registration, customerId: '0' }, 'en')).toEqual({ customerId: 'Must be at least 1' });
  expect(variablesOf('complaint-register', { ...registration, customerId: '' }).customerId).toBeNull();
  expect(errorsOf('city-complaint-supervise', { supervisorDecision: 'extend', extensionHours: '500' })).toEqual({ extensionHours: '不能大于 168' });
  expect(variablesOf('city-complaint-supervise', { supervisorDecision: 'extend', extensionHours: ' 12 ' })).toMatchObject({ extensionHours: 12 });
  expect(errorsOf('complaint-register', { ...registration, phoneNumber: '1380000' })).toEqual({ phoneNumber: '请输入有效的电话号码' });
  expect(variablesOf('complaint-register', { ...registration, phoneNumber: '020-83331234' }).phoneNumber).toBe('020-83331234');
  const letter = { channel: 'letter', subject: '来函', content: '如何办理国际漫游？' };
  expect(errorsOf('written-intake-register', { ...letter, customerEmail: 'wang.fang@' })).toEqual({ customerEmail: '请输入有效的电子邮箱' });
  expect(variablesOf('written-intake-register', { ...letter, customerEmail: 'wang.fang@example.com' }).customerEmail).toBe('wang.fang@example.com');
});

it('parses number and date fields (types no current form uses) into numbers and calendar dates', () => {
  const amount: FieldSchema = { name: 'amount', type: 'number', label: { 'zh-CN': '金额', en: 'Amount' }, min: 0, max: 1000 };
  expect(parseField(amount, '88.5')).toEqual({ value: 88.5 });
  expect(parseField(amount, '-1')).toEqual({ problem: { message: 'formTooSmall', params: { min: 0 } } });
  expect(parseField(amount, '1e3')).toEqual({ problem: { message: 'formNotNumber' } });
  const day: FieldSchema = { name: 'day', type: 'date', label: { 'zh-CN': '日期', en: 'Date' } };
  expect(parseField(day, '2026-11-28')).toEqual({ value: '2026-11-28' });
  expect(parseField(day, '2026-02-29')).toEqual({ problem: { message: 'formNotDate' } });
  expect(parseField(day, '')).toEqual({ value: null });
});

it('reads a datetime-local value as China Standard Time and sends an ISO instant', () => {
  expect(variablesOf('dunning-call', { reached: 'true', promisedPayDate: '2026-11-28T18:00' })).toEqual({
    reached: true,
    promisedPayDate: '2026-11-28T10:00:00.000Z',
    callNote: null,
  });
  expect(variablesOf('service-order-install', { appointmentAt: '2026-11-26T02:00:00.000Z', installed: 'true' }).appointmentAt).toBe('2026-11-26T02:00:00.000Z');
  expect(errorsOf('dunning-call', { promisedPayDate: '2026-02-30T10:00' })).toEqual({ promisedPayDate: '时间格式应为 年-月-日 时:分' });
  expect(errorsOf('dunning-call', { promisedPayDate: '明天' }, 'en')).toEqual({ promisedPayDate: 'Time must be year-month-day hour:minute' });
});

it('throws for unknown forms and actions; save-draft is left to the caller, which keeps the draft', () => {
  expect(() => validateSubmission('no-such-form', 'complete', {}, 'zh-CN')).toThrow(UnknownFormError);
  expect(() => validateSubmission('complaint-review', 'approve-all', {}, 'zh-CN')).toThrow(UnknownFormActionError);
  expect(() => validateSubmission('complaint-review', SAVE_DRAFT_ACTION, {}, 'zh-CN')).toThrow(/caller stores drafts/);
  expect(draftValues('complaint-register', { ...registration, description: '信'.repeat(3000), _csrf: 't', injected: 'x', kind: { a: 1 } })).toEqual({
    customerId: '123',
    phoneNumber: '13800000001',
    serviceLine: 'mobile',
    category: '网络质量',
    urgency: 'urgent',
    description: '信'.repeat(2000),
  });
});
