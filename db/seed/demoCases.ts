/**
 * Demo cases: a handful of customer requests started the way production starts them (the CTI message of a call,
 * a portal form, a fax registration, an agent opening a complaint, a service order or an emergency, a regulator's
 * complaint at the national center, an outbound campaign), so the demo users find work in their inbox. Runs only
 * on an engine that has never run an instance, so a restart or a used database gets no second set.
 */
import type { Knex } from 'knex';
import type { JSONDoc, ZBClient } from 'zeebe-node';
import { addMinutes, minutesAsDuration, slaValue, slaValues } from '../slaConfig';
import { requestSlaVariables } from '../../workers/requestSlaVariables';

export interface DemoCasesOptions {
  knex: Knex;
  zbc: ZBClient;
  now: Date;
  /** An external Camunda 8 cluster keeps its records elsewhere, so whether it ever ran an instance is unknown here. */
  externalEngine?: boolean;
}

export type DemoCasesOutcome = { started: string[] } | { skipped: string };

interface DemoCustomer {
  id: number;
  name: string;
  phone: string;
  email: string;
  city_code: string;
}

/** A number no customer has: the unknown caller. */
const UNKNOWN_CALLER = '17000000000';

export async function seedDemoCases({ knex, zbc, now, externalEngine = false }: DemoCasesOptions): Promise<DemoCasesOutcome> {
  if (externalEngine) return { skipped: 'external engine (ZEEBE_ADDRESS): its history is not in this database, demo cases might repeat' };
  if (await knex('engine_records').where({ value_type: 'PROCESS_INSTANCE' }).first('position')) {
    return { skipped: 'the engine has run process instances before' };
  }
  const customer = (narrow: (q: Knex.QueryBuilder) => Knex.QueryBuilder) =>
    narrow(knex('customers')).whereNotNull('email').orderBy('id').first<DemoCustomer>('id', 'name', 'phone', 'email', 'city_code');
  const [gz, sz, fs, vip] = await Promise.all([
    customer((q) => q.where({ city_code: 'gz', vip: false, credit_class: 'A' })),
    customer((q) => q.where({ city_code: 'sz', vip: false, credit_class: 'A' })),
    customer((q) => q.where({ city_code: 'fs', vip: false })),
    customer((q) => q.where({ vip: true })),
  ]);
  // Requests an agent or clerk opens in our own server carry the time limits intake would have given them.
  const sla = await requestSlaVariables(knex, now);
  const started: string[] = [];
  const start = async (label: string, bpmnProcessId: string, variables: JSONDoc) => {
    await zbc.createProcessInstance({ bpmnProcessId, variables });
    started.push(label);
  };
  const call = async (label: string, callerNumber: string, ivrChoice: string, queuedMs: number) => {
    const callId = `demo-call-${started.length + 1}`;
    await zbc.publishMessage({
      name: 'phone-call-arrived',
      correlationKey: callId,
      variables: { callId, callerNumber, ivrChoice, queuedMs, callStartedAt: addMinutes(now, -1).toISOString() },
      timeToLive: 0,
    });
    started.push(label);
  };
  const portal = (label: string, c: DemoCustomer, subject: string, content: string) =>
    start(label, 'web-intake', { phoneNumber: c.phone, customerEmail: c.email, subject, content });
  const opened = (c: DemoCustomer) => ({ channel: 'phone', phoneNumber: c.phone, customerId: c.id, customerName: c.name, cityCode: c.city_code, ...sla });

  await call('call: gz customer to an agent', gz.phone, 'agent', 9_000);
  await call('call: VIP to an agent', vip.phone, 'agent', 3_000);
  await call('call: unknown number', UNKNOWN_CALLER, 'agent', 21_000);
  await portal('portal: consultation', sz, '网站留言', '请问如何办理宽带提速？');
  await portal('portal: complaint', fs, '网站留言', '营业员态度恶劣');
  await start('fax: to register', 'written-intake', { ...sla });
  await start('agent: complaint', 'complaint', opened(gz));
  await start('agent: service order', 'service-order', { ...opened(sz), sampledForCallback: false });
  await start('agent: lost phone, emergency suspension', 'emergency', { ...opened(fs), emergencyType: 'lost' });
  await start('national center: regulator complaint', 'complaint-national', {
    origin: 'regulator',
    slaNationalProvince: minutesAsDuration(await slaValue(knex, 'complaint.deadline.normal')),
  });
  const outbound = await slaValues(knex, ['outbound.retry_interval', 'outbound.campaign_deadline']);
  await start('outbound: satisfaction survey', 'outbound-campaign', {
    campaignType: 'survey',
    customers: [gz, sz, fs].map((c) => ({ customerId: c.id, customerName: c.name, phoneNumber: c.phone })),
    slaOutboundRetry: minutesAsDuration(outbound['outbound.retry_interval']),
    campaignDueAt: addMinutes(now, outbound['outbound.campaign_deadline']).toISOString(),
  });
  return { started };
}

/** One line for the start-up log. */
export function describeDemoCases(outcome: DemoCasesOutcome): string {
  return 'started' in outcome ? `started ${outcome.started.length}: ${outcome.started.join(', ')}` : `none started, ${outcome.skipped}`;
}
