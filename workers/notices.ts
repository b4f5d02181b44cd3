/**
 * The texts of the notices workers send, to customers (SMS and mail) and to staff mailboxes, by the template name a
 * model gives in its `template` task header. Each text is one handlebars source: it is the SMS as written, and the
 * paragraphs of the HTML mail (server/mail/templates/notice.hbs, which HTML-escapes them).
 */
import Handlebars from 'handlebars';
import { chinaTime } from '../db/chinaTime';
import { renderMailTemplate } from '../server/mail/mailTemplates';
import { PermanentJobFailure } from './jobWorker';

interface NoticeTemplate {
  subject: string;
  text: string;
  /** Variables the text cannot do without; a notice missing one is a modelling error, not a retry. */
  needs: readonly string[];
}

const NOTICES = {
  'acknowledgement': {
    subject: '您的来件已受理（工单 {{workOrderId}}）',
    text: '您的{{requestLabel}}已于 {{time acceptedAt}} 受理，工单号 {{workOrderId}}。\n我们将在 {{time replyDueAt}} 前答复您。',
    needs: ['workOrderId', 'acceptedAt', 'replyDueAt'],
  },
  'complaint-reply': {
    subject: '您的投诉处理结果（工单 {{workOrderId}}）',
    text: '您反映的问题（工单 {{workOrderId}}）已处理完毕。\n处理结果：{{replyText}}\n稍后我们将回访，感谢您的支持。',
    needs: ['workOrderId', 'replyText'],
  },
  'complaint-national-reply': {
    subject: '全国客户服务中心答复（工单 {{workOrderId}}）',
    text: '您向全国客户服务中心反映的问题（工单 {{workOrderId}}）已处理。\n处理结果：{{provinceResult}}',
    needs: ['workOrderId', 'provinceResult'],
  },
  'consultation-reply': {
    subject: '您的咨询答复{{#if workOrderId}}（工单 {{workOrderId}}）{{/if}}',
    text: '您咨询的问题答复如下：\n{{answerText}}',
    needs: ['answerText'],
  },
  'written-reply': {
    subject: '您的来函答复（工单 {{workOrderId}}）',
    text: '您的来函（工单 {{workOrderId}}）已办理完毕。{{#if resolution}}\n办理结果：{{resolution}}{{/if}}\n如有疑问请拨打 10010。',
    needs: ['workOrderId'],
  },
  'emergency-suspended': {
    subject: '号码 {{phoneNumber}} 已紧急停机',
    text: '您的号码 {{phoneNumber}} 已按您的要求紧急停机。补卡或复机请携带有效证件到营业厅办理，或拨打 10010。',
    needs: ['phoneNumber'],
  },
  'service-order-refused': {
    subject: '业务受理结果通知',
    text: '很抱歉，您申请的业务未能受理{{#if refusalReason}}：{{refusalReason}}{{else}}（信用等级不足或账户欠费）{{/if}}。\n缴清欠费后可重新申请，详询 10010。',
    needs: [],
  },
  'service-order-completed': {
    subject: '业务办理完成通知',
    text: '您申请的业务已办理完成{{#if workOrderId}}（受理单 {{workOrderId}}）{{/if}}，感谢您选择中国联通。',
    needs: [],
  },
  'city-complaint-dispatched': {
    subject: '【派单】投诉工单 {{workOrderId}} 请于 {{time signDueAt}} 前签收',
    text: '投诉工单 {{workOrderId}} 已派至{{centerName}}。\n类别：{{category}}\n内容：{{description}}\n签收时限：{{time signDueAt}}，处理时限：{{time cityReplyDueAt}}。',
    needs: ['workOrderId', 'centerName', 'signDueAt', 'cityReplyDueAt'],
  },
  'city-complaint-reminder': {
    subject: '【催单】投诉工单 {{workOrderId}} 将于 {{time cityReplyDueAt}} 到期',
    text: '投诉工单 {{workOrderId}} 已用去处理时限的大部分，请于 {{time cityReplyDueAt}} 前回单，逾期将转督办。',
    needs: ['workOrderId', 'cityReplyDueAt'],
  },
  'emergency-suspend-overdue': {
    subject: '【催办】号码 {{phoneNumber}} 紧急停机超时',
    text: '号码 {{phoneNumber}} 的紧急停机请求已超过停机时限仍未完成，请立即处理。',
    needs: ['phoneNumber'],
  },
} as const satisfies Record<string, NoticeTemplate>;

export type NoticeName = keyof typeof NOTICES;

/** Customer-facing request kinds for the acknowledgement text. */
const REQUEST_LABELS: Record<string, string> = { complaint: '投诉', suggestion: '建议' };

const handlebars = Handlebars.create();
handlebars.registerHelper('time', formatChinaTime);

const compiled = new Map<string, { subject: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate }>();

export interface RenderedNotice {
  subject: string;
  /** Plain text, the SMS body. */
  text: string;
  /** The same text as an HTML mail. */
  html: string;
}

/** Renders notice `name`; throws for an unknown name or a missing needed variable, naming it. */
export function renderNotice(name: NoticeName, data: Record<string, unknown>, greeting: string): RenderedNotice {
  const template: NoticeTemplate = NOTICES[name];
  const missing = template.needs.filter((field) => data[field] === undefined || data[field] === null || data[field] === '');
  if (missing.length > 0) throw new PermanentJobFailure(`notice ${name} needs the variable(s) ${missing.join(', ')}`);
  let parts = compiled.get(name);
  if (!parts) {
    // Not HTML: the SMS is sent as written, and the mail template escapes the text itself.
    parts = { subject: handlebars.compile(template.subject, { noEscape: true }), text: handlebars.compile(template.text, { noEscape: true }) };
    compiled.set(name, parts);
  }
  const context = { requestLabel: REQUEST_LABELS[String(data.kind)] ?? '请求', ...data };
  const subject = parts.subject(context);
  const text = parts.text(context);
  const html = renderMailTemplate('notice', { subject, greeting, paragraphs: text.split('\n'), workOrderId: data.workOrderId ?? null });
  return { subject, text, html };
}

/** A date-time as people in the centers read it: Beijing time, e.g. "2026-11-25 14:05". */
function formatChinaTime(value: unknown): string {
  const at = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(at.getTime())) throw new Error(`Not a date-time: ${JSON.stringify(value)}`);
  return chinaTime(at);
}
