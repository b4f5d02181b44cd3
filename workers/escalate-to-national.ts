/**
 * escalate-to-national (升级全国中心): a customer dissatisfied a second time. Starts complaint-national for the same
 * work order, with what the national agent needs to register it, and marks the order escalated.
 */
import { z } from 'zod';
import { minutesAsDuration } from '../db/slaConfig';
import { complaintDeadlineMinutes } from './complaintDeadline';
import { completeWith, defineJobWorker } from './jobWorker';
import { provinceOf } from './requestWorkOrder';
import { startProcessOnce } from './startProcessOnce';

export const escalateToNationalWorker = defineJobWorker({
  type: 'escalate-to-national',
  input: z.object({
    workOrderId: z.string().trim().min(1),
    customerId: z.number().int().positive().nullish(),
    phoneNumber: z.string().trim().min(1).nullish(),
    cityCode: z.string().trim().min(1).nullish(),
    category: z.string().nullish(),
    description: z.string().nullish(),
    urgency: z.enum(['urgent', 'normal']).nullish(),
    vip: z.boolean().nullish(),
  }),
  async handle(input, job, context) {
    const provinceCode = await provinceOf(context.knex, input);
    const nationalKey = await startProcessOnce(context, {
      bpmnProcessId: 'complaint-national',
      variables: {
        origin: 'province-escalation',
        workOrderId: input.workOrderId,
        customerId: input.customerId ?? null,
        customerPhone: input.phoneNumber ?? null,
        phoneNumber: input.phoneNumber ?? null,
        provinceCode,
        category: input.category ?? null,
        description: input.description ?? null,
        // The province gets the same time to answer as the complaint had.
        slaNationalProvince: minutesAsDuration(await complaintDeadlineMinutes(context.knex, input)),
      },
      change: {
        number: input.workOrderId,
        state: 'escalated',
        action: 'escalated',
        actor: job.type,
        note: '客户再次不满意，升级全国中心：',
        idempotencyKey: `${job.key}:escalated`,
      },
    });
    return completeWith({ nationalProcessInstanceKey: nationalKey });
  },
});
