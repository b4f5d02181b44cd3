/**
 * Every job worker of the platform, one per job type of processes/catalogue.ts (test/workers checks that each
 * job type has exactly one).
 */
import { archiveWorker } from './archive';
import { autoAcknowledgeWorker } from './auto-acknowledge';
import { billLookupWorker } from './bill-lookup';
import { campaignSummaryWorker } from './campaign-summary';
import { classifyWorker } from './classify';
import { creditCheckWorker } from './credit-check';
import { dispatchToCityWorker } from './dispatch-to-city';
import { dispatchToProvinceWorker } from './dispatch-to-province';
import { dunningNoticeWorker } from './dunning-notice';
import { escalateToNationalWorker } from './escalate-to-national';
import { findArrearsWorker } from './find-arrears';
import { findVipAccountsWorker } from './find-vip-accounts';
import { identifyCustomerWorker } from './identify-customer';
import type { JobWorkerDefinition } from './jobWorker';
import { notifyCustomerWorker } from './notify-customer';
import { provisionWorker } from './provision';
import { resumeServiceWorker } from './resume-service';
import { sendBillWorker } from './send-bill';
import { sendReminderWorker } from './send-reminder';
import { suspendServiceWorker } from './suspend-service';

export const JOB_WORKERS: readonly JobWorkerDefinition<any>[] = [
  archiveWorker,
  autoAcknowledgeWorker,
  billLookupWorker,
  campaignSummaryWorker,
  classifyWorker,
  creditCheckWorker,
  dispatchToCityWorker,
  dispatchToProvinceWorker,
  dunningNoticeWorker,
  escalateToNationalWorker,
  findArrearsWorker,
  findVipAccountsWorker,
  identifyCustomerWorker,
  notifyCustomerWorker,
  provisionWorker,
  resumeServiceWorker,
  sendBillWorker,
  sendReminderWorker,
  suspendServiceWorker,
];
