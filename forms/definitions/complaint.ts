/** Forms of complaint (7.4), city-complaint (8.1) and complaint-national (6.2). */
import type { FormDefinition } from '../schema';
import { COMPLETE, boolean, callbackFields, customerId, integer, l, phone, select, text, textarea } from './fields';
import { CITIES, CITY_OUTCOMES, COMPLAINT_CATEGORIES, COMPLAINT_KINDS, NATIONAL_SOURCES, PROVINCES, SERVICE_LINES, SUPERVISOR_DECISIONS, URGENCY } from './options';

const ORDER_CONTEXT = ['workOrderId', 'phoneNumber', 'category', 'urgency', 'description'];
const EXTENSION_HOURS = { min: 1, max: 168 };

export const complaintForms: FormDefinition[] = [
  {
    key: 'complaint-register',
    title: l('登记投诉/建议', 'Register a complaint or suggestion'),
    fields: [
      customerId(),
      phone('phoneNumber', l('联系电话', 'Phone number'), { required: true }),
      select('serviceLine', l('业务线', 'Service line'), SERVICE_LINES, { required: true }),
      select('category', l('投诉类别', 'Category'), COMPLAINT_CATEGORIES, { required: true }),
      select('urgency', l('紧急程度', 'Urgency'), URGENCY, { required: true }),
      select('kind', l('投诉或建议', 'Complaint or suggestion'), COMPLAINT_KINDS, { required: true }),
      textarea('description', l('问题描述', 'Description'), { required: true }),
      boolean('resolvedOnSpot', l('已当场解决', 'Resolved on the spot')),
      textarea('summary', l('当场处理说明', 'How it was resolved'), { requiredWhen: { field: 'resolvedOnSpot', equals: true } }),
    ],
    actions: [COMPLETE],
    contextVariables: ['channel', 'workOrderId'],
  },
  {
    key: 'complaint-redispatch',
    title: l('改派地市', 'Re-dispatch to a city'),
    fields: [select('cityCode', l('改派至地市', 'Dispatch to city'), CITIES, { required: true }), textarea('redispatchNote', l('改派说明', 'Note'))],
    actions: [COMPLETE],
    contextVariables: [...ORDER_CONTEXT, 'returnReason'],
  },
  {
    key: 'complaint-review',
    title: l('审核回单', 'Review the city reply'),
    fields: [
      boolean('reviewApproved', l('审核通过', 'Approved')),
      textarea('returnReason', l('退回原因', 'Reason for returning'), { requiredWhen: { field: 'reviewApproved', equals: false } }),
    ],
    actions: [COMPLETE],
    contextVariables: [...ORDER_CONTEXT, 'cause', 'resolution', 'compensation', 'replyText'],
  },
  {
    key: 'complaint-callback',
    title: l('回访', 'Callback'),
    fields: callbackFields('callbackNote'),
    actions: [COMPLETE],
    contextVariables: [...ORDER_CONTEXT, 'replyText', 'callbackAttempts'],
  },
  {
    key: 'city-complaint-sign',
    title: l('签收工单', 'Sign for the work order'),
    fields: [textarea('signNote', l('签收备注', 'Note'))],
    actions: [{ ...COMPLETE, label: l('签收', 'Sign for it') }],
    contextVariables: [...ORDER_CONTEXT, 'cityReplyDueAt'],
  },
  {
    key: 'city-complaint-handle',
    title: l('核查处理并回单', 'Investigate and reply'),
    fields: [
      select('cityOutcome', l('处理结果', 'Outcome'), CITY_OUTCOMES, { required: true }),
      text('cause', l('问题原因', 'Cause'), { requiredWhen: { field: 'cityOutcome', equals: 'replied' } }),
      textarea('resolution', l('处理措施', 'Resolution'), { requiredWhen: { field: 'cityOutcome', equals: 'replied' } }),
      text('compensation', l('补偿方案', 'Compensation')),
      textarea('replyText', l('答复客户内容', 'Reply to the customer'), { requiredWhen: { field: 'cityOutcome', equals: 'replied' } }),
      integer('extensionHours', l('延期小时数', 'Extension (hours)'), { ...EXTENSION_HOURS, requiredWhen: { field: 'cityOutcome', equals: 'extension' } }),
      textarea('extensionReason', l('延期原因', 'Reason for the extension'), { requiredWhen: { field: 'cityOutcome', equals: 'extension' } }),
      textarea('returnReason', l('退单原因', 'Reason for returning'), { requiredWhen: { field: 'cityOutcome', equals: 'misrouted' } }),
    ],
    // 退单 straight from the task: the MISROUTED error leaves city-complaint and is caught by the complaint's
    // boundary event on its call activity, which hands returnReason to the redispatch task.
    actions: [COMPLETE, { id: 'misrouted', label: l('退单', 'Return as misrouted'), kind: 'bpmnError', errorCode: 'MISROUTED', fields: ['returnReason'], required: ['returnReason'] }],
    contextVariables: [...ORDER_CONTEXT, 'cityReplyDueAt', 'extensionApproved'],
  },
  {
    key: 'city-complaint-extension',
    title: l('审批延期申请', 'Decide on the extension'),
    fields: [
      boolean('extensionApproved', l('批准延期', 'Approve the extension')),
      textarea('extensionDecisionNote', l('不批准的原因', 'Reason for refusing'), { requiredWhen: { field: 'extensionApproved', equals: false } }),
    ],
    actions: [COMPLETE],
    contextVariables: [...ORDER_CONTEXT, 'extensionHours', 'extensionReason', 'cityReplyDueAt'],
  },
  {
    key: 'city-complaint-supervise',
    title: l('督办', 'Supervise the overdue order'),
    fields: [
      select('supervisorDecision', l('督办决定', 'Decision'), SUPERVISOR_DECISIONS, { required: true }),
      textarea('replyText', l('答复客户内容', 'Reply to the customer'), { requiredWhen: { field: 'supervisorDecision', equals: 'handled' } }),
      integer('extensionHours', l('延期小时数', 'Extension (hours)'), { ...EXTENSION_HOURS, requiredWhen: { field: 'supervisorDecision', equals: 'extend' } }),
      textarea('returnReason', l('改派原因', 'Reason for re-dispatching'), { requiredWhen: { field: 'supervisorDecision', equals: 'redispatch' } }),
      textarea('supervisionNote', l('督办意见', 'Supervision note')),
    ],
    actions: [COMPLETE],
    contextVariables: [...ORDER_CONTEXT, 'cityCode', 'cityReplyDueAt'],
  },
  {
    key: 'complaint-national-register',
    title: l('全国中心登记投诉', 'Register a national complaint'),
    fields: [
      select('source', l('投诉来源', 'Source'), NATIONAL_SOURCES, { required: true }),
      phone('customerPhone', l('客户号码', 'Customer number'), { required: true }),
      text('customerName', l('客户姓名', 'Customer name')),
      select('provinceCode', l('派发省份', 'Province'), PROVINCES, { required: true }),
      select('category', l('投诉类别', 'Category'), COMPLAINT_CATEGORIES, { required: true }),
      textarea('description', l('问题描述', 'Description'), { required: true }),
    ],
    actions: [COMPLETE],
    contextVariables: ['origin'],
  },
  {
    key: 'complaint-national-supervise',
    title: l('全国中心督办', 'National supervision'),
    fields: [textarea('supervisionNote', l('督办记录', 'Supervision note'), { required: true })],
    actions: [COMPLETE],
    contextVariables: ['workOrderId', 'provinceCode', 'customerPhone', 'category', 'description'],
  },
  {
    key: 'complaint-national-review',
    title: l('全国中心审核', 'National review'),
    fields: [
      boolean('reviewApproved', l('审核通过', 'Approved')),
      textarea('reviewOpinion', l('不通过的意见', 'Why it is not approved'), { requiredWhen: { field: 'reviewApproved', equals: false } }),
    ],
    actions: [COMPLETE],
    contextVariables: ['workOrderId', 'provinceCode', 'customerPhone', 'category', 'description', 'provinceResult'],
  },
  {
    key: 'complaint-national-callback',
    title: l('回访', 'Callback'),
    fields: callbackFields('callbackNote'),
    actions: [COMPLETE],
    contextVariables: ['workOrderId', 'customerPhone', 'description', 'provinceResult'],
  },
];
