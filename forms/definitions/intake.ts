/** Forms of the intake processes (manual-acceptance, phone-intake, written-intake) and of consultation and bill-inquiry. */
import type { FormDefinition } from '../schema';
import { COMPLETE, boolean, customerId, email, l, phone, select, text, textarea } from './fields';
import { REQUEST_TYPES, WRITTEN_CATEGORIES, WRITTEN_CHANNELS } from './options';

const QUESTION_CONTEXT = ['workOrderId', 'channel', 'phoneNumber', 'summary', 'subject', 'content', 'description'];

const answerFields = [
  boolean('answered', l('已答复客户', 'Answered')),
  textarea('answerText', l('答复内容', 'Answer'), { requiredWhen: { field: 'answered', equals: true } }),
];

export const intakeForms: FormDefinition[] = [
  {
    key: 'consultation-national-answer',
    title: l('全国座席答复', 'National agent answer'),
    fields: answerFields,
    actions: [COMPLETE],
    contextVariables: QUESTION_CONTEXT,
  },
  {
    key: 'consultation-answer',
    title: l('座席查询知识库答复', 'Answer from the knowledge base'),
    fields: answerFields,
    actions: [COMPLETE],
    contextVariables: QUESTION_CONTEXT,
  },
  {
    key: 'consultation-expert-answer',
    title: l('后台专家答复', 'Expert answer'),
    fields: [textarea('answerText', l('答复内容', 'Answer'), { required: true })],
    actions: [COMPLETE],
    contextVariables: QUESTION_CONTEXT,
  },
  {
    key: 'bill-inquiry-review',
    title: l('座席解释账单', 'Explain the bill'),
    fields: [
      boolean('disputed', l('客户有异议', 'Customer disputes the bill')),
      textarea('disputeReason', l('异议内容', 'What is disputed'), { requiredWhen: { field: 'disputed', equals: true } }),
    ],
    actions: [COMPLETE],
    contextVariables: ['phoneNumber', 'billMonth', 'serviceLine', 'bill'],
  },
  {
    key: 'manual-acceptance-record',
    title: l('填写来电记录', 'Call record'),
    fields: [
      customerId(),
      select('requestType', l('受理类型', 'Request type'), REQUEST_TYPES, { required: true }),
      textarea('summary', l('来电摘要', 'Summary'), { required: true }),
      boolean('sensitive', l('敏感业务（需验证服务密码）', 'Sensitive request (needs the service password)')),
      boolean('passwordVerified', l('服务密码已验证', 'Service password verified')),
      boolean('resolvedOnCall', l('已当场解决', 'Resolved on the call')),
    ],
    actions: [COMPLETE],
    contextVariables: ['phoneNumber', 'callerNumber', 'unknownCaller', 'vip', 'cityCode', 'channel'],
  },
  {
    key: 'phone-intake-voicemail',
    title: l('值班座席处理留言', 'Handle the voicemail'),
    fields: [boolean('calledBack', l('已回电', 'Called back')), textarea('voicemailNote', l('处理记录', 'Notes'))],
    actions: [COMPLETE],
    contextVariables: ['callerNumber', 'unknownCaller', 'customerId', 'vip', 'cityCode'],
  },
  {
    key: 'written-intake-register',
    title: l('登记传真/信函', 'Register a fax or letter'),
    fields: [
      select('channel', l('来函方式', 'Received by'), WRITTEN_CHANNELS, { required: true }),
      text('subject', l('主题', 'Subject'), { required: true }),
      textarea('content', l('来函内容', 'Content'), { required: true }),
      text('senderName', l('来函人', 'Sender')),
      phone('phoneNumber', l('联系电话', 'Phone number')),
      email('customerEmail', l('电子邮箱', 'E-mail')),
    ],
    actions: [COMPLETE],
    contextVariables: [],
  },
  {
    key: 'written-intake-classify',
    title: l('核定业务类别', 'Confirm the business category'),
    fields: [select('category', l('业务类别', 'Category'), WRITTEN_CATEGORIES, { required: true })],
    actions: [COMPLETE],
    contextVariables: ['workOrderId', 'channel', 'subject', 'content', 'phoneNumber', 'customerEmail', 'replyDueAt'],
  },
];
