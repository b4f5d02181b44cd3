/**
 * provision (4.4): hands a service order that passed the credit check to the provisioning system (开通) and logs the
 * result on its work order. A new line the order gives no number for gets one from the system's range. The system failing is technical: the job is retried with back-off, then becomes an
 * incident an operator resolves once the system is back (provisioningFault cleared).
 */
import { z } from 'zod';
import { changeWorkOrder, findWorkOrder } from '../db/workOrders';
import { completeWith, defineJobWorker, PermanentJobFailure } from './jobWorker';
import { allocatedNumber, applyServiceOrder, checkAvailable, ORDER_TYPES } from './provisioningSystem';
import { SERVICE_LINES } from './serviceLines';
import { SERVICE_LINE_NAMES } from './serviceLines';

export const provisionWorker = defineJobWorker({
  type: 'provision',
  input: z.object({
    customerId: z.number().int().positive(),
    serviceLine: z.enum(SERVICE_LINES),
    orderType: z.enum(ORDER_TYPES),
    lineNumber: z.string().trim().min(1).nullish(),
    plan: z.string().trim().min(1).nullish(),
    workOrderId: z.string().min(1),
    provisioningFault: z.string().nullish(),
  }),
  async handle(order, job, context) {
    checkAvailable(order.provisioningFault);
    const workOrder = await findWorkOrder(context.knex, order.workOrderId);
    if (!workOrder) throw new PermanentJobFailure(`workOrderId: no work order numbered ${order.workOrderId}`);
    const lineNumber = order.lineNumber ?? (order.orderType === 'new' ? allocatedNumber(order.serviceLine, workOrder.id) : null);
    const line = await applyServiceOrder(context.knex, { ...order, lineNumber });
    const now = context.now();
    await changeWorkOrder(context.knex, {
      number: order.workOrderId,
      state: 'provisioned',
      action: 'provisioned',
      actor: 'provision',
      note: `${SERVICE_LINE_NAMES[order.serviceLine]} ${line.lineNumber} ${order.orderType}：${line.plan}（${line.status}）`,
      idempotencyKey: `${job.key}:provisioned`,
      now,
    });
    return completeWith({ lineNumber: line.lineNumber, plan: line.plan, provisionedAt: now.toISOString() });
  },
});
