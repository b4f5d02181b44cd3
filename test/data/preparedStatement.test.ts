/**
 * Named prepared statements run on a connection of knex's pool (the engine's commit), on PGlite and Postgres.
 */
import { openScratchDatabase } from '../../db/connect';
import { runPrepared, type PreparedStatement } from '../../db/preparedStatement';

let database: Awaited<ReturnType<typeof openScratchDatabase>>;

const INSERT_NOTE: PreparedStatement = {
  name: 'test_insert_note',
  text: 'insert into prepared_notes (id, body) select id, body from json_to_recordset($1::json) as n(id int, body text)',
};

beforeAll(async () => {
  database = await openScratchDatabase();
  await database.knex.schema.createTable('prepared_notes', (table) => {
    table.integer('id').primary();
    table.text('body').notNullable();
  });
});

afterAll(async () => {
  await database?.drop();
});

async function notes(): Promise<{ id: number; body: string }[]> {
  return database.knex('prepared_notes').select('id', 'body').orderBy('id');
}

test('a statement runs again and again with its values, each run committed on its own', async () => {
  for (let id = 1; id <= 3; id++) await runPrepared(database.knex, INSERT_NOTE, [JSON.stringify([{ id, body: `note ${id}` }])]);
  expect(await notes()).toEqual([
    { id: 1, body: 'note 1' },
    { id: 2, body: 'note 2' },
    { id: 3, body: 'note 3' },
  ]);
});

test('a failing run is refused with the database error, writes nothing, and the statement keeps working', async () => {
  const before = await notes();
  // The second row breaks the primary key: the whole statement, first row included, is rolled back.
  await expect(
    runPrepared(database.knex, INSERT_NOTE, [JSON.stringify([{ id: 10, body: 'new' }, { id: 1, body: 'duplicate' }])]),
  ).rejects.toThrow(/duplicate key/);
  expect(await notes()).toEqual(before);

  await runPrepared(database.knex, INSERT_NOTE, [JSON.stringify([{ id: 10, body: 'after the failure' }])]);
  expect((await notes()).at(-1)).toEqual({ id: 10, body: 'after the failure' });
});

test('a bad statement is refused with the database error', async () => {
  const broken: PreparedStatement = { name: 'test_broken', text: 'insert into no_such_table values ($1)' };
  await expect(runPrepared(database.knex, broken, ['x'])).rejects.toThrow(/no_such_table/);
  await expect(runPrepared(database.knex, broken, ['x'])).rejects.toThrow(/no_such_table/);
});

test("a run never joins another caller's open transaction", async () => {
  let ranInside: Promise<void> | undefined;
  await expect(
    database.knex.transaction(async (trx) => {
      await trx('prepared_notes').insert({ id: 20, body: 'in the transaction' });
      // Started while the transaction is open, on PGlite's only connection or on Postgres' pool.
      ranInside = runPrepared(database.knex, INSERT_NOTE, [JSON.stringify([{ id: 21, body: 'on its own' }])]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  await ranInside;
  const ids = (await notes()).map((note) => note.id);
  expect(ids).toContain(21);
  expect(ids).not.toContain(20);
});
