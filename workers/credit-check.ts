/**
 * credit-check (4.8): a service order that adds service is refused when the customer's credit class is D or their
 * accounts are in arrears (CREDIT_REFUSED, caught by the model); suspensions and cancellations always pass. The
 * order gets its work order here when the process brought none, so service orders are tracked like complaints.
 */
import { z } from 'zod';
import { CHANNELS, changeWorkOrder, findWorkOrder, type WorkOrder } from '../db/workOrders';
import { formatYuan } from '../server/mail/mailTemplates';
import { arrearsOfCustomer } from './arrears';
import { findCustomerById, type CustomerRecord } from './customers';
import { bpmnError, completeWith, defineJobWorker, PermanentJobFailure, type JobInfo, type WorkerContext } from './jobWorker';
import { ORDER_TYPES, type OrderType } from './provisioningSystem';
import { SERVICE_LINES } from './serviceLines';
import { openRequestWorkOrder } from './requestWorkOrder';

/** Orders that extend credit to the customer; only these are checked. */
const CHECKED_ORDERS: ReadonlySet<OrderType> = new Set(['new', 'change-plan', 'resume', 'transfer']);
const REFUSED_CLASS = 'D';

const input = z.object({
  customerId: z.number().int().positive(),
  serviceLine: z.enum(SERVICE_LINES),
  orderType: z.enum(ORDER_TYPES),
  channel: z.enum(CHANNELS),
  workOrderId: z.string().min(1).nullish(),
  orderDueAt: z.iso.datetime({ offset: true }).nullish(),
});

type Input = z.infer<typeof input>;

export const creditCheckWorker = defineJobWorker({
  type: 'credit-check',
  input,
  async handle(order, job, context) {
    const customer = await findCustomerById(context.knex, order.customerId);
    if (!customer) throw new PermanentJobFailure(`customerId: ${order.customerId} names no customer`);
    const arrearsFen = await arrearsOfCustomer(context.knex, customer.id, context.now());
    const workOrder = await workOrderFor(order, customer, job, context);
    const refusalReason = CHECKED_ORDERS.has(order.orderType) ? reasonToRefuse(customer, arrearsFen) : null;
    await changeWorkOrder(context.knex, {
      number: workOrder.number,
      state: refusalReason ? 'refused' : 'provisioning',
      action: refusalReason ? 'credit-refused' : 'credit-checked',
      actor: 'credit-check',
      note: refusalReason ?? `信用等级 ${customer.creditClass}`,
      idempotencyKey: `${job.key}:credit-check`,
      now: context.now(),
    });
    const variables = { workOrderId: workOrder.number, creditClass: customer.creditClass, arrearsFen };
    if (refusalReason) return bpmnError('CREDIT_REFUSED', refusalReason, { ...variables, refusalReason });
    return completeWith(variables);
  },
});

function reasonToRefuse(customer: CustomerRecord, arrearsFen: number): string | null {
  if (customer.creditClass === REFUSED_CLASS) return `信用等级为 ${REFUSED_CLASS} 级`;
  if (arrearsFen > 0) return `账户欠费 ${formatYuan(arrearsFen)} 元`;
  return null;
}

async function workOrderFor(order: Input, customer: CustomerRecord, job: JobInfo, context: WorkerContext): Promise<WorkOrder> {
  if (order.workOrderId) {
    const existing = await findWorkOrder(context.knex, order.workOrderId);
    if (!existing) throw new PermanentJobFailure(`workOrderId: no work order numbered ${order.workOrderId}`);
    return existing;
  }
  return openRequestWorkOrder(
    context,
    job,
    { customerId: customer.id, channel: order.channel, serviceLine: order.serviceLine, category: '业务受理', kind: order.orderType },
    { state: 'accepted', slaDeadline: order.orderDueAt ? new Date(order.orderDueAt) : null, purpose: 'work-order' },
  );
}
