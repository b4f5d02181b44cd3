/**
 * resume-service (复机): after payment, the dunned account and all its suspended lines; after an emergency, the lines
 * of the reported number. Neither model gives a reason header, so the variables decide: a dunned `account` or a
 * `phoneNumber`. Logged on the work order when there is one.
 */
import { completeWith, defineJobWorker, PermanentJobFailure } from './jobWorker';
import { checkAvailable, isKnownLine, switchLines, type LineScope } from './provisioningSystem';
import { logLineChange, lineServiceInput } from './lineService';

export const resumeServiceWorker = defineJobWorker({
  type: 'resume-service',
  input: lineServiceInput,
  async handle(input, job, context) {
    checkAvailable(input.provisioningFault);
    let scope: LineScope;
    if (input.account) {
      scope = { accountId: input.account.accountId };
    } else if (input.phoneNumber) {
      if (!(await isKnownLine(context.knex, input.phoneNumber))) throw new PermanentJobFailure(`phoneNumber: ${input.phoneNumber} is not one of our lines`);
      scope = { number: input.phoneNumber };
    } else {
      throw new PermanentJobFailure('account or phoneNumber: nothing says which lines to resume');
    }
    const resumedLines = await switchLines(context.knex, scope, 'active');
    await logLineChange(context, input, { job, action: 'resumed', state: 'resumed', note: `复机：${resumedLines.join('、')}` });
    return completeWith({ resumedLines, resumedAt: context.now().toISOString() });
  },
});
