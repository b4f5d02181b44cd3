/**
 * Choice lists of the selects. Values are what the models compare against (gateway conditions, FEEL) or what
 * the business tables store, so they are never translated; only the labels are.
 */
import type { FieldOption } from '../schema';

const option = (value: string, zh: string, en: string): FieldOption => ({ value, label: { 'zh-CN': zh, en } });

/** Values of the service_line column (migrations/…_business_data.ts). */
export const SERVICE_LINES = [
  option('mobile', '移动业务', 'Mobile'),
  option('ip', 'IP 电话', 'IP telephony'),
  option('internet', '互联网（宽带）', 'Internet (broadband)'),
  option('long_distance', '长途', 'Long distance'),
  option('paging', '寻呼', 'Paging'),
  option('local', '市话', 'Local telephony'),
];

/** Complaint categories of the specification; the value is the Chinese term the reports group by. */
export const COMPLAINT_CATEGORIES = [
  option('资费争议', '资费争议', 'Billing dispute'),
  option('网络质量', '网络质量', 'Network quality'),
  option('服务态度', '服务态度', 'Staff attitude'),
  option('业务办理', '业务办理', 'Service handling'),
  option('其他', '其他', 'Other'),
];

export const URGENCY = [option('normal', '一般', 'Normal'), option('urgent', '紧急', 'Urgent')];

export const COMPLAINT_KINDS = [option('complaint', '投诉', 'Complaint'), option('suggestion', '建议', 'Suggestion')];

/** Callback answers the complaint model compares with "不满意". */
export const SATISFACTION = [option('满意', '满意', 'Satisfied'), option('基本满意', '基本满意', 'Fairly satisfied'), option('不满意', '不满意', 'Dissatisfied')];

/** City centers of the province (city-<code> is their candidate group). */
export const CITIES = [option('gz', '广州', 'Guangzhou'), option('sz', '深圳', 'Shenzhen'), option('fs', '佛山', 'Foshan')];

export const PROVINCES = [
  option('gd', '广东', 'Guangdong'),
  option('bj', '北京', 'Beijing'),
  option('sh', '上海', 'Shanghai'),
  option('tj', '天津', 'Tianjin'),
  option('cq', '重庆', 'Chongqing'),
  option('js', '江苏', 'Jiangsu'),
  option('zj', '浙江', 'Zhejiang'),
  option('fj', '福建', 'Fujian'),
  option('sd', '山东', 'Shandong'),
  option('he', '河北', 'Hebei'),
  option('ha', '河南', 'Henan'),
  option('hb', '湖北', 'Hubei'),
  option('hn', '湖南', 'Hunan'),
  option('sc', '四川', 'Sichuan'),
  option('gx', '广西', 'Guangxi'),
  option('hi', '海南', 'Hainan'),
];

export const ORDER_TYPES = [
  option('new', '新装', 'New line'),
  option('change-plan', '改套餐', 'Change plan'),
  option('suspend', '停机', 'Suspend'),
  option('resume', '复机', 'Resume'),
  option('cancel', '拆机', 'Cancel'),
  option('transfer', '移机', 'Move'),
];

/** Request types of a call record, each routed to its process by manual-acceptance. */
export const REQUEST_TYPES = [
  option('consultation', '业务咨询', 'Consultation'),
  option('complaint', '投诉建议', 'Complaint or suggestion'),
  option('service-order', '业务受理', 'Service order'),
  option('bill-inquiry', '话费查询', 'Bill inquiry'),
  option('emergency', '紧急服务（挂失、停机）', 'Emergency (lost phone, fraud)'),
];

/** Business categories of written requests; written-intake routes the first four to their processes. */
export const WRITTEN_CATEGORIES = [
  ...REQUEST_TYPES.filter((o) => o.value !== 'emergency'),
  option('praise', '表扬', 'Praise'),
  option('other', '其他（无对应业务）', 'Other (no business flow)'),
];

export const WRITTEN_CHANNELS = [option('fax', '传真', 'Fax'), option('letter', '信函', 'Letter')];

export const NATIONAL_SOURCES = [
  option('hotline', '10010/10015 升级', '10010/10015 escalation'),
  option('regulator', '监管部门转办', 'Regulator'),
  option('letter', '来信', 'Letter'),
];

/** Candidate groups a work order can be assigned to in integrated processing (会签部门). */
export const DEPARTMENTS = [
  ...CITIES.map((c) => option(`city-${c.value}`, `${c.label['zh-CN']}地市中心`, `${c.label.en} city center`)),
  option('vip-manager', '大客户经理', 'VIP managers'),
  option('backoffice', '省中心后台', 'Province back office'),
  option('team-lead', '班长', 'Team leads'),
];

export const CITY_OUTCOMES = [
  option('replied', '回单（已处理）', 'Reply (handled)'),
  option('extension', '申请延期', 'Ask for an extension'),
  option('misrouted', '退单（派错地市）', 'Return (wrong city)'),
];

export const SUPERVISOR_DECISIONS = [
  option('handled', '直接处理并答复', 'Handle and reply directly'),
  option('redispatch', '改派', 'Re-dispatch'),
  option('extend', '批准延期', 'Grant an extension'),
];

export const HANDLING_OUTCOMES = [
  option('handled', '办结', 'Handled'),
  option('transfer', '转派', 'Transfer'),
  option('return', '退回后台', 'Return to back office'),
];
