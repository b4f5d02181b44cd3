import type { Catalogue } from './catalogue';

/** Messages of the status page, the mail page and the page shell. */
export const commonMessages = {
  'zh-CN': {
    title: '联通客服工作流平台',
    engine: '流程引擎',
    database: '数据库',
    processes: '已部署流程',
    process: '流程',
    version: '版本',
    none: '暂无已部署流程',
    external: '外部 Camunda 8 集群',
    mail: '邮件收件箱（本地捕获）',
    mailDestination: '外发邮件',
    received: '接收时间',
    from: '发件人',
    to: '收件人',
    subject: '主题',
    noMail: '暂无邮件',
  },
  en: {
    title: 'Unicom customer-service workflow platform',
    engine: 'Process engine',
    database: 'Database',
    processes: 'Deployed processes',
    process: 'Process',
    version: 'Version',
    none: 'No process deployed yet',
    external: 'external Camunda 8 cluster',
    mail: 'Mail inbox (local catcher)',
    mailDestination: 'Outbound mail',
    received: 'Received',
    from: 'From',
    to: 'To',
    subject: 'Subject',
    noMail: 'No mail yet',
  },
} satisfies Catalogue;
