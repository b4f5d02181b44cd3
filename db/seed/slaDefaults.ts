export interface SlaSetting {
  key: string;
  value: number;
  unit: 'minutes' | 'percent' | 'count';
  description: string;
}

const DAY = 24 * 60;

/** Defaults of the process catalogue and the 9.1.5 service targets; administrators edit them in sla_config. */
export const SLA_DEFAULTS: readonly SlaSetting[] = [
  { key: 'complaint.deadline.urgent', value: DAY, unit: 'minutes', description: '紧急投诉处理时限（受理至答复客户）' },
  { key: 'complaint.deadline.normal', value: 2 * DAY, unit: 'minutes', description: '普通投诉处理时限（受理至答复客户）' },
  { key: 'complaint.vip_factor', value: 50, unit: 'percent', description: 'VIP 客户处理时限占普通时限的百分比' },
  { key: 'complaint.sign_for', value: 120, unit: 'minutes', description: '地市中心签收工单时限' },
  { key: 'complaint.reminder_at', value: 75, unit: 'percent', description: '催单时点（占处理时限的百分比）' },
  { key: 'callback.retry_interval', value: 120, unit: 'minutes', description: '回访未接通后的重试间隔' },
  { key: 'callback.max_attempts', value: 3, unit: 'count', description: '回访最多尝试次数' },
  { key: 'consultation.deadline', value: DAY, unit: 'minutes', description: '后台或专家答复咨询时限' },
  { key: 'emergency.suspend', value: 10, unit: 'minutes', description: '紧急停机时限' },
  { key: 'dunning.second_notice_after', value: 3 * DAY, unit: 'minutes', description: '首次催缴通知至第二次通知的间隔' },
  { key: 'dunning.outbound_call_after', value: 3 * DAY, unit: 'minutes', description: '第二次催缴通知至外呼催缴的间隔' },
  { key: 'target.service_level_15s', value: 80, unit: 'percent', description: '15 秒服务水平目标（9.1.5）' },
  { key: 'target.answer_rate', value: 90, unit: 'percent', description: '人工接通率目标（9.1.5）' },
  { key: 'target.complaint_on_time', value: 98, unit: 'percent', description: '投诉按时处理率目标（9.1.5）' },
  { key: 'target.satisfaction', value: 90, unit: 'percent', description: '客户满意率目标（9.1.5）' },
];
