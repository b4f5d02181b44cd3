/**
 * Completes user tasks the way the task inbox will: take the task's job, look up the form of its formKey header,
 * validate the HTML form body with that form and complete the job with the variables validation returns.
 */
import type { Job } from 'zeebe-node';
import { validateSubmission } from '../../forms';
import type { SuiteEngine } from '../support/engineHarness';
import { element, trailOf, waitForRecords } from '../support/records';
import { takeJob, type TakeOptions } from '../processes/drive';

export function formDriver(suite: SuiteEngine) {
  return {
    /** Submits `body` as the form of the user task `elementId` and resolves with the task's job. */
    async submit(instance: string, elementId: string, formKey: string, body: Record<string, unknown>, options?: TakeOptions): Promise<Job> {
      const job = await takeJob(suite.zbc, instance, elementId, undefined, options);
      expect(job.customHeaders['io.camunda.zeebe:formKey']).toBe(formKey);
      const result = validateSubmission(formKey, 'complete', { _csrf: 'token', action: 'complete', ...body }, 'zh-CN');
      if (!result.ok) throw new Error(`form ${formKey} refused ${JSON.stringify(body)}: ${JSON.stringify(result.errors)}`);
      await suite.zbc.completeJob({ jobKey: job.key, variables: result.variables });
      return job;
    },
    /** Waits until `elementId` has been activated `count` times in the instance. */
    async activated(instance: string, elementId: string, count = 1): Promise<void> {
      await waitForRecords(suite.engine, instance, element(elementId, 'ELEMENT_ACTIVATED'), { count, description: `${elementId} activated ${count}x in ${instance}` });
    },
    /** How often `elementId` has been activated in the instance so far. */
    async activations(instance: string, elementId: string): Promise<number> {
      return (await trailOf(suite.engine, instance)).filter((s) => s === `${elementId}:ELEMENT_ACTIVATED`).length;
    },
  };
}
