/** What suspend-service and resume-service share: the variables naming the lines, and the work-order log entry. */
import { z } from 'zod';
import { changeWorkOrder } from '../db/workOrders';
import type { JobInfo, WorkerContext } from './jobWorker';

export const lineServiceInput = z.object({
  /** The account a dunning run works on (dunning.bpmn's multi-instance element). */
  account: z.object({ accountId: z.number().int().positive(), workOrderId: z.string().min(1).nullish() }).nullish(),
  phoneNumber: z.string().trim().min(1).nullish(),
  workOrderId: z.string().min(1).nullish(),
  /** Set while the provisioning system is down (see provisioningSystem.ts). */
  provisioningFault: z.string().nullish(),
});

export async function logLineChange(
  context: WorkerContext,
  input: z.infer<typeof lineServiceInput>,
  change: { job: JobInfo; action: string; state: string; note: string },
): Promise<void> {
  const number = input.account?.workOrderId ?? input.workOrderId;
  if (!number) return;
  await changeWorkOrder(context.knex, {
    number,
    state: change.state,
    action: change.action,
    actor: change.job.type,
    note: change.note,
    idempotencyKey: `${change.job.key}:${change.action}`,
    now: context.now(),
  });
}
