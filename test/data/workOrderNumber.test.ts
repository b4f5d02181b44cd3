/**
 * Work-order numbers from the Postgres sequence, and the work-order tables they go into.
 */
import { openScratchDatabase } from '../../db/connect';
import { CENTERS } from '../../db/seed/centers';
import { nextWorkOrderNumber } from '../../db/workOrderNumber';

let database: Awaited<ReturnType<typeof openScratchDatabase>>;

beforeAll(async () => {
  database = await openScratchDatabase();
  await database.knex('centers').insert(CENTERS);
});

afterAll(async () => {
  await database?.drop();
});

test('numbers made concurrently are unique and carry the center and the Beijing date', async () => {
  // 17:30 UTC is already the next day in Beijing.
  const now = new Date('2026-11-25T17:30:00Z');
  const numbers = await Promise.all(Array.from({ length: 60 }, (_, i) => nextWorkOrderNumber(database.knex, i % 2 ? 'gz' : 'gd', now)));
  for (const number of numbers) expect(number).toMatch(/^(GZ|GD)-20261126-\d{6}$/);
  expect(new Set(numbers.map((number) => number.slice(-6))).size).toBe(60);
});

test('numbers made inside a transaction that rolls back are not reused', async () => {
  let rolledBack = '';
  await expect(database.knex.transaction(async (trx) => {
    rolledBack = await nextWorkOrderNumber(trx, 'sz', new Date());
    throw new Error('abandon');
  })).rejects.toThrow('abandon');
  const next = await nextWorkOrderNumber(database.knex, 'sz', new Date());
  expect(Number(next.slice(-6))).toBeGreaterThan(Number(rolledBack.slice(-6)));
});

test('an unknown center code shape is refused', async () => {
  await expect(nextWorkOrderNumber(database.knex, 'GZ; drop', new Date())).rejects.toThrow('Not a center code');
});

test('a work order takes the number once, with its event log and outbox messages', async () => {
  const now = new Date('2026-11-25T04:00:00Z');
  const number = await nextWorkOrderNumber(database.knex, 'gd', now);
  const [order] = await database.knex('work_orders')
    .insert({ number, channel: 'phone', category: '资费争议', service_line: 'mobile', state: 'accepted', center_code: 'gd', accepted_at: now })
    .returning(['id', 'number']);
  expect(order.number).toBe(number);
  await expect(database.knex('work_orders').insert({ number, channel: 'web', category: '其他', state: 'accepted', center_code: 'gd' }))
    .rejects.toThrow(/unique|duplicate/i);
  await expect(database.knex('work_orders').insert({ number: `${number}-x`, channel: 'telegram', category: '其他', state: 'accepted', center_code: 'gd' }))
    .rejects.toThrow(/check/i);

  await database.knex('work_order_events').insert({ work_order_id: order.id, at: now, actor: 'agent-1', action: '派单', note: '派往广州' });
  const message = { channel: 'sms', recipient: '13000000000', body: `您的工单 ${number} 已受理`, work_order_id: order.id, idempotency_key: 'job-1' };
  await database.knex('outbox').insert(message);
  await expect(database.knex('outbox').insert(message)).rejects.toThrow(/unique|duplicate/i);
  expect(await database.knex('outbox').where('work_order_id', order.id).pluck('status')).toEqual(['pending']);
});
