/** Forms of service-order, emergency, dunning, outbound-campaign, vip-service and integrated-processing. */
import type { FormDefinition } from '../schema';
import { COMPLETE, boolean, callbackFields, customerId, datetime, l, select, text, textarea } from './fields';
import { DEPARTMENTS, HANDLING_OUTCOMES, ORDER_TYPES, SERVICE_LINES } from './options';

const ORDER_CONTEXT = ['phoneNumber', 'cityCode', 'serviceLine', 'orderType', 'orderDueAt'];
const WORK_ORDER_CONTEXT = ['workOrderId', 'category', 'content', 'replyDueAt'];

export const serviceForms: FormDefinition[] = [
  {
    key: 'service-order-register',
    title: l('登记受理单', 'Register the service order'),
    fields: [
      customerId(),
      select('serviceLine', l('业务线', 'Service line'), SERVICE_LINES, { required: true }),
      select('orderType', l('办理类型', 'Order type'), ORDER_TYPES, { required: true }),
      // Which line the order is for: a customer may hold several lines of one service (blank for a new line).
      text('lineNumber', l('业务号码', 'Line number'), { maxLength: 30 }),
      text('plan', l('套餐', 'Plan')),
      textarea('orderNote', l('受理说明', 'Notes')),
    ],
    actions: [COMPLETE],
    contextVariables: ['channel', 'phoneNumber', 'cityCode', 'orderDueAt'],
  },
  {
    key: 'service-order-install',
    title: l('预约并上门安装', 'Appointment and installation'),
    fields: [
      datetime('appointmentAt', l('预约上门时间', 'Appointment'), { required: true }),
      boolean('installed', l('已安装完成', 'Installed')),
      textarea('installNote', l('安装记录', 'Installation notes'), { requiredWhen: { field: 'installed', equals: false } }),
    ],
    actions: [COMPLETE],
    contextVariables: ORDER_CONTEXT,
  },
  {
    key: 'service-order-callback',
    title: l('回访', 'Callback'),
    fields: callbackFields('callbackNote'),
    actions: [COMPLETE],
    contextVariables: ORDER_CONTEXT,
  },
  {
    key: 'emergency-follow-up',
    title: l('后台跟进（核实身份、补卡）', 'Follow-up (identity check, card replacement)'),
    fields: [
      boolean('identityVerified', l('身份已核实', 'Identity verified')),
      boolean('cardReplaced', l('已补卡', 'SIM card replaced')),
      boolean('resumeRequested', l('客户要求复机', 'Customer asks to resume the line')),
      textarea('followUpNote', l('跟进记录', 'Notes')),
    ],
    actions: [COMPLETE],
    contextVariables: ['phoneNumber', 'emergencyType', 'suspendedAt'],
  },
  {
    key: 'dunning-call',
    title: l('外呼催缴', 'Dunning call'),
    fields: [
      boolean('reached', l('已接通', 'Reached')),
      datetime('promisedPayDate', l('承诺缴费时间', 'Promised payment date')),
      textarea('callNote', l('通话记录', 'Call notes')),
    ],
    actions: [COMPLETE],
    contextVariables: ['account'],
  },
  {
    key: 'dunning-vip',
    title: l('大客户经理跟进', 'VIP manager follow-up'),
    fields: [textarea('note', l('跟进记录', 'Follow-up notes'), { required: true })],
    actions: [COMPLETE],
    contextVariables: ['account'],
  },
  {
    key: 'outbound-campaign-call',
    title: l('外呼', 'Outbound call'),
    fields: [
      boolean('reached', l('已接通', 'Reached')),
      text('callResult', l('呼叫结果', 'Result'), { requiredWhen: { field: 'reached', equals: true } }),
      textarea('callNote', l('通话记录', 'Call notes')),
    ],
    actions: [COMPLETE],
    contextVariables: ['campaignType', 'customer', 'callAttempts', 'campaignDueAt'],
  },
  {
    key: 'vip-service-revisit',
    title: l('回访大客户', 'VIP revisit'),
    fields: callbackFields('revisitNote'),
    actions: [COMPLETE],
    contextVariables: ['account'],
  },
  {
    key: 'integrated-processing-assign',
    title: l('派单（指定处理部门）', 'Assign departments'),
    fields: [select('departments', l('处理部门', 'Departments'), DEPARTMENTS, { required: true, multiple: true })],
    actions: [COMPLETE],
    contextVariables: [...WORK_ORDER_CONTEXT, 'departmentResults', 'reviewOpinion'],
  },
  {
    key: 'integrated-processing-handle',
    title: l('部门会签处理', 'Department handling'),
    fields: [
      select('handlingOutcome', l('处理结果', 'Outcome'), HANDLING_OUTCOMES, { required: true }),
      textarea('handlingOpinion', l('处理意见', 'Opinion'), { required: true }),
      select('transferTo', l('转派部门', 'Transfer to'), DEPARTMENTS, { requiredWhen: { field: 'handlingOutcome', equals: 'transfer' } }),
    ],
    actions: [COMPLETE],
    contextVariables: [...WORK_ORDER_CONTEXT, 'department'],
  },
  {
    key: 'integrated-processing-review',
    title: l('班长审核', 'Team-lead review'),
    fields: [
      boolean('reviewApproved', l('审核通过', 'Approved')),
      textarea('resolution', l('处理结论', 'Resolution'), { requiredWhen: { field: 'reviewApproved', equals: true } }),
      textarea('reviewOpinion', l('退回意见', 'Why it is sent back'), { requiredWhen: { field: 'reviewApproved', equals: false } }),
    ],
    actions: [COMPLETE],
    contextVariables: [...WORK_ORDER_CONTEXT, 'handlingResults'],
  },
];
