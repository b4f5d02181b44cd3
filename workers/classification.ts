/**
 * The keyword table of auto-reply (7.12): the first row whose keyword occurs in a request decides it, so more
 * specific rows come first (a fee dispute mentions 话费 too, a question may mention 办理). `category` is the
 * business flow the intake flows route to; `topic` is the Chinese category staff see (投诉类别 for complaints).
 * Requests no row recognises need a person (integrated-processing) to decide what they are.
 */
export type RoutingCategory = 'complaint' | 'bill-inquiry' | 'consultation' | 'service-order' | 'praise' | 'other';

export interface Classification {
  category: RoutingCategory;
  topic: string;
  needsPerson: boolean;
}

interface KeywordRule extends Classification {
  keywords: readonly string[];
}

const KEYWORD_RULES: readonly KeywordRule[] = [
  { topic: '服务态度', category: 'complaint', needsPerson: false, keywords: ['态度差', '态度恶劣', '恶劣', '不耐烦', '推诿', '骂人', '服务态度'] },
  { topic: '资费争议', category: 'complaint', needsPerson: false, keywords: ['乱收费', '多收', '多扣', '乱扣', '扣费', '收费不合理', '退费', '异议'] },
  { topic: '网络质量', category: 'complaint', needsPerson: false, keywords: ['无法上网', '上不了网', '断网', '网速慢', '没有信号', '信号差', '掉线', '通话中断'] },
  { topic: '表扬', category: 'praise', needsPerson: false, keywords: ['感谢', '表扬', '谢谢'] },
  { topic: '话费查询', category: 'bill-inquiry', needsPerson: false, keywords: ['详单', '账单', '话费', '余额'] },
  { topic: '咨询', category: 'consultation', needsPerson: false, keywords: ['请问', '咨询', '如何', '怎么', '怎样', '能否', '是否', '？', '?'] },
  { topic: '业务办理', category: 'service-order', needsPerson: false, keywords: ['办理', '开通', '申请', '停机', '复机', '取消', '变更', '过户', '销户'] },
];

const UNRECOGNISED: Classification = { category: 'other', topic: '其他', needsPerson: true };

export function classifyText(text: string): Classification {
  const rule = KEYWORD_RULES.find(({ keywords }) => keywords.some((keyword) => text.includes(keyword)));
  if (!rule) return UNRECOGNISED;
  const { keywords, ...classification } = rule;
  return classification;
}
