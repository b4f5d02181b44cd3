/**
 * suspend-service (停机): for arrears (header reason=arrears) every line of the dunned account and the account itself;
 * in an emergency (reason=emergency, lost or stolen phone) the lines of the reported number, which must be ours
 * (else CUSTOMER_NOT_FOUND, caught by the model). Logged on the work order when there is one.
 */
import { completeWith, bpmnError, defineJobWorker, PermanentJobFailure, headerChoice } from './jobWorker';
import { checkAvailable, isKnownLine, switchLines, type LineScope } from './provisioningSystem';
import { logLineChange, lineServiceInput } from './lineService';

export const suspendServiceWorker = defineJobWorker({
  type: 'suspend-service',
  input: lineServiceInput,
  async handle(input, job, context) {
    checkAvailable(input.provisioningFault);
    const reason = headerChoice(job, 'reason', ['arrears', 'emergency']);
    let scope: LineScope;
    if (reason === 'arrears') {
      if (!input.account) throw new PermanentJobFailure('account: a suspension for arrears needs the dunned account');
      scope = { accountId: input.account.accountId };
    } else {
      if (!input.phoneNumber) throw new PermanentJobFailure('phoneNumber: an emergency suspension needs the number');
      if (!(await isKnownLine(context.knex, input.phoneNumber))) {
        return bpmnError('CUSTOMER_NOT_FOUND', `${input.phoneNumber} is not one of our lines`);
      }
      scope = { number: input.phoneNumber };
    }
    const suspendedLines = await switchLines(context.knex, scope, 'suspended');
    await logLineChange(context, input, { job, action: 'suspended', state: 'suspended', note: `停机（${reason === 'arrears' ? '欠费' : '紧急停机'}）：${suspendedLines.join('、')}` });
    return completeWith({ suspendedLines, suspendedAt: context.now().toISOString() });
  },
});
