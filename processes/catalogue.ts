/**
 * The executable models of the process catalogue (../shared/docs/process-catalogue.md): the one place other
 * code (workers, forms, deployment, tests) learns which processes exist, which spec sections they implement,
 * and which job types, form keys, BPMN errors and SLA variables each model uses. test/processes checks every
 * entry against its .bpmn file, so this list cannot drift from the models.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Job type of Zeebe 8.3 job-based user tasks; the task inbox works these. */
export const USER_TASK_JOB_TYPE = 'io.camunda.zeebe:userTask';

export interface ProcessEntry {
  /** BPMN process id, also the file name `processes/<id>.bpmn`. */
  readonly id: string;
  readonly name: string;
  /** Sections of the customer-service specification the model implements. */
  readonly specSections: readonly string[];
  /** Service-task job types, each served by one worker in workers/. */
  readonly jobTypes: readonly string[];
  /** Form keys of the user tasks, each a form in forms/. */
  readonly formKeys: readonly string[];
  /** Error codes of the BPMN errors the model throws or catches. */
  readonly errorCodes: readonly string[];
  /** Processes started through call activities. */
  readonly calledProcesses: readonly string[];
  /**
   * Variables the starter must provide from the SLA configuration: ISO 8601 durations (`sla*`) or date-times
   * (`*At`) computed from it. Models never hold time limits themselves.
   */
  readonly slaVariables: readonly string[];
}

/** Name of the message a payment publishes (correlation key: the account id); dunning waits on it. */
export const PAYMENT_MESSAGE = 'dunning-payment';

export const PROCESSES = [
  {
    id: 'consultation',
    name: '业务咨询',
    specSections: ['6.1', '7.6'],
    jobTypes: ['notify-customer', 'archive'],
    formKeys: ['consultation-national-answer', 'consultation-answer', 'consultation-expert-answer'],
    errorCodes: [],
    calledProcesses: [],
    slaVariables: ['slaConsultationExpert'],
  },
  {
    id: 'bill-inquiry',
    name: '话费查询',
    specSections: ['7.5', '4.2.1-4.2.6'],
    jobTypes: ['bill-lookup', 'send-bill'],
    formKeys: ['bill-inquiry-review'],
    errorCodes: ['CUSTOMER_NOT_FOUND'],
    calledProcesses: ['complaint'],
    slaVariables: [],
  },
  {
    id: 'complaint',
    name: '投诉建议',
    specSections: ['7.4', '8.1', '6.2'],
    jobTypes: ['archive', 'auto-acknowledge', 'dispatch-to-city', 'notify-customer', 'escalate-to-national'],
    formKeys: ['complaint-register', 'complaint-redispatch', 'complaint-review', 'complaint-callback'],
    errorCodes: ['MISROUTED'],
    calledProcesses: ['city-complaint'],
    // replyDueAt comes from auto-acknowledge, the city limits from dispatch-to-city, both from the SLA configuration.
    slaVariables: ['replyDueAt', 'slaCallbackRetry'],
  },
  {
    id: 'city-complaint',
    name: '地市中心投诉处理',
    specSections: ['8.1'],
    jobTypes: ['send-reminder'],
    formKeys: ['city-complaint-sign', 'city-complaint-handle', 'city-complaint-extension', 'city-complaint-supervise'],
    errorCodes: ['MISROUTED'],
    calledProcesses: [],
    slaVariables: ['slaCitySign', 'cityRemindAt', 'cityReplyDueAt'],
  },
  {
    id: 'emergency',
    name: '紧急服务',
    specSections: ['4.5'],
    jobTypes: ['suspend-service', 'send-reminder', 'notify-customer', 'resume-service'],
    formKeys: ['emergency-follow-up'],
    errorCodes: ['CUSTOMER_NOT_FOUND'],
    calledProcesses: [],
    slaVariables: ['slaEmergencySuspend'],
  },
  {
    id: 'dunning',
    name: '话费催缴',
    specSections: ['7.11', '4.14'],
    jobTypes: ['find-arrears', 'dunning-notice', 'suspend-service', 'resume-service', 'archive'],
    formKeys: ['dunning-call', 'dunning-vip'],
    errorCodes: [],
    calledProcesses: [],
    // Set by find-arrears from the SLA configuration: the process starts on a timer, with no starter to pass it.
    slaVariables: ['slaDunningWait'],
  },
  {
    id: 'auto-reply',
    name: '自动回复',
    specSections: ['7.12'],
    jobTypes: ['classify', 'auto-acknowledge'],
    formKeys: [],
    errorCodes: [],
    calledProcesses: ['integrated-processing'],
    // The expected reply time comes from auto-acknowledge, which reads the SLA configuration itself.
    slaVariables: [],
  },
  {
    id: 'service-order',
    name: '业务受理',
    specSections: ['7.3', '4.4'],
    jobTypes: ['credit-check', 'provision', 'notify-customer', 'archive'],
    formKeys: ['service-order-register', 'service-order-install', 'service-order-callback'],
    errorCodes: ['CREDIT_REFUSED'],
    calledProcesses: [],
    slaVariables: ['orderDueAt'],
  },
  {
    id: 'manual-acceptance',
    name: '人工受理',
    specSections: ['7.7'],
    jobTypes: [],
    formKeys: ['manual-acceptance-record'],
    errorCodes: [],
    calledProcesses: ['bill-inquiry', 'complaint', 'consultation', 'emergency', 'service-order'],
    // From phone or web intake: identify-customer sets slaCallWrapUp and the called flows' SLA variables (requestSlaVariables).
    slaVariables: ['slaCallWrapUp'],
  },
  {
    id: 'outbound-campaign',
    name: '呼出服务',
    specSections: ['7.10', '4.16'],
    jobTypes: ['campaign-summary'],
    formKeys: ['outbound-campaign-call'],
    errorCodes: [],
    calledProcesses: [],
    slaVariables: ['slaOutboundRetry', 'campaignDueAt'],
  },
  {
    id: 'phone-intake',
    name: '电话受理',
    specSections: ['7.1', '7.2'],
    jobTypes: ['identify-customer'],
    formKeys: ['phone-intake-voicemail'],
    errorCodes: ['CUSTOMER_NOT_FOUND'],
    calledProcesses: ['bill-inquiry', 'manual-acceptance'],
    // Set by identify-customer from the service-hours and SLA configuration, with those of every flow the call may
    // reach (workers/requestSlaVariables.ts): the CTI message that starts the process carries only the call.
    slaVariables: ['slaVoicemailCallback'],
  },
  {
    id: 'web-intake',
    name: '网站受理',
    specSections: ['7.8'],
    jobTypes: ['identify-customer'],
    formKeys: [],
    errorCodes: ['CUSTOMER_NOT_FOUND'],
    calledProcesses: ['auto-reply', 'bill-inquiry', 'complaint', 'consultation', 'service-order'],
    // identify-customer sets the called flows' SLA variables (workers/requestSlaVariables.ts); the portal form carries none.
    slaVariables: [],
  },
  {
    id: 'integrated-processing',
    name: '综合处理',
    specSections: ['7.13', '4.11'],
    jobTypes: ['archive'],
    formKeys: ['integrated-processing-assign', 'integrated-processing-handle', 'integrated-processing-review'],
    errorCodes: [],
    calledProcesses: [],
    // Every step is due by the reply time the acknowledgement promised (auto-acknowledge, from the SLA configuration).
    slaVariables: ['replyDueAt'],
  },
  {
    id: 'written-intake',
    name: '传真/E-mail/信函受理',
    specSections: ['7.9'],
    jobTypes: ['notify-customer'],
    formKeys: ['written-intake-register', 'written-intake-classify'],
    errorCodes: [],
    calledProcesses: ['auto-reply', 'bill-inquiry', 'complaint', 'consultation', 'service-order'],
    // replyDueAt comes from auto-acknowledge; the starter (mail listener, fax/letter registration) adds
    // requestSlaVariables(), since no worker runs before the first user task.
    slaVariables: ['slaWrittenRegister', 'replyDueAt'],
  },
  {
    id: 'complaint-national',
    name: '全国中心投诉处理',
    specSections: ['6.2'],
    jobTypes: ['dispatch-to-province', 'notify-customer', 'archive'],
    formKeys: ['complaint-national-register', 'complaint-national-supervise', 'complaint-national-review', 'complaint-national-callback'],
    errorCodes: [],
    calledProcesses: [],
    slaVariables: ['slaNationalProvince'],
  },
  {
    id: 'vip-service',
    name: '大客户回访',
    specSections: ['4.6'],
    jobTypes: ['find-vip-accounts'],
    formKeys: ['vip-service-revisit'],
    errorCodes: [],
    calledProcesses: [],
    // Set by find-vip-accounts from the SLA configuration: the process starts on a timer, with no starter to pass it.
    slaVariables: ['slaVipRevisit'],
  },
] as const satisfies readonly ProcessEntry[];

export type ProcessId = (typeof PROCESSES)[number]['id'];

/** The Chinese name of a catalogue process, or the id itself for a process outside the catalogue. */
export function processName(id: string): string {
  return PROCESSES.find((p) => p.id === id)?.name ?? id;
}

export function processFile(id: string): string {
  return path.join(__dirname, `${id}.bpmn`);
}

/** The model file the platform ships for a process, if there is one; an id that is no file name has none. */
export async function readShippedModel(processId: string): Promise<string | undefined> {
  if (!/^[\w-]+$/.test(processId)) return undefined;
  const file = processFile(processId);
  return existsSync(file) ? readFile(file, 'utf8') : undefined;
}
