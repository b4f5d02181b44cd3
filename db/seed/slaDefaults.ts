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
  { key: 'vip.revisit', value: 7 * DAY, unit: 'minutes', description: '大客户定期回访时限（自每月查找大客户起）' },
  { key: 'service_hours.start', value: 8 * 60, unit: 'minutes', description: '人工服务时段开始（北京时间，零点起的分钟数）' },
  { key: 'service_hours.end', value: 22 * 60, unit: 'minutes', description: '人工服务时段结束（北京时间，零点起的分钟数）；之外来电转夜间留言' },
  { key: 'voicemail.callback', value: 12 * 60, unit: 'minutes', description: '值班座席处理夜间留言时限' },
  { key: 'call.wrap_up', value: 5, unit: 'minutes', description: '座席话后处理（填写来电记录）时限' },
  { key: 'written.register', value: 4 * 60, unit: 'minutes', description: '后台登记传真、信函时限' },
  { key: 'service_order.deadline', value: DAY, unit: 'minutes', description: '业务受理办结时限（含上门安装，自客户申请起）' },
  { key: 'outbound.retry_interval', value: 120, unit: 'minutes', description: '外呼未接通后的重试间隔' },
  { key: 'outbound.campaign_deadline', value: 7 * DAY, unit: 'minutes', description: '外呼任务完成时限（自下达起）' },
  { key: 'target.service_level_15s', value: 80, unit: 'percent', description: '15 秒服务水平目标（9.1.5）' },
  { key: 'target.answer_rate', value: 90, unit: 'percent', description: '人工接通率目标（9.1.5）' },
  { key: 'target.complaint_on_time', value: 98, unit: 'percent', description: '投诉按时处理率目标（9.1.5）' },
  { key: 'target.satisfaction', value: 90, unit: 'percent', description: '客户满意率目标（9.1.5）' },
];
