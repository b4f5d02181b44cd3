import type { Knex } from 'knex';

// The inbox's per-list counts, kept as tasks change instead of counted on every page: counting 100,000 open tasks
// takes ~50 ms on PGlite, summing this table's few hundred rows well under one. One row per combination of
// candidate groups, center and assignee (null: unassigned) that open tasks have had; a trigger on `tasks` moves a
// task between rows whenever its state, groups, center or assignee change, whichever code path writes it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('open_task_counts', (table) => {
    table.jsonb('candidate_groups').notNullable();
    table.text('center_code').notNullable();
    table.text('assignee').nullable();
    table.integer('open_tasks').notNullable();
  });
  await knex.raw('create unique index open_task_counts_key on open_task_counts (candidate_groups, center_code, assignee) nulls not distinct');

  await knex.raw(`
    create function bump_open_task_count(groups jsonb, center text, who text, delta integer) returns void
    language sql as $$
      insert into open_task_counts (candidate_groups, center_code, assignee, open_tasks) values (groups, center, who, delta)
      on conflict (candidate_groups, center_code, assignee) do update set open_tasks = open_task_counts.open_tasks + delta
    $$`);
  // A claim takes a task from one row to another. Two such moves in opposite directions (a claim and an unclaim of
  // the same user) would deadlock if each locked its rows in its own order, so both rows are locked in key order.
  await knex.raw(`
    create function count_open_tasks() returns trigger language plpgsql as $$
    declare
      was_open boolean := tg_op <> 'INSERT' and old.state = 'open';
      is_open boolean := tg_op <> 'DELETE' and new.state = 'open';
    begin
      if was_open and is_open then
        if (old.candidate_groups::text, old.center_code, coalesce(old.assignee, ''))
           = (new.candidate_groups::text, new.center_code, coalesce(new.assignee, '')) then
          return null;
        end if;
        if (old.candidate_groups::text, old.center_code, coalesce(old.assignee, ''))
           > (new.candidate_groups::text, new.center_code, coalesce(new.assignee, '')) then
          perform bump_open_task_count(new.candidate_groups, new.center_code, new.assignee, 1);
          perform bump_open_task_count(old.candidate_groups, old.center_code, old.assignee, -1);
          return null;
        end if;
      end if;
      if was_open then perform bump_open_task_count(old.candidate_groups, old.center_code, old.assignee, -1); end if;
      if is_open then perform bump_open_task_count(new.candidate_groups, new.center_code, new.assignee, 1); end if;
      return null;
    end $$`);
  await knex.raw('create trigger tasks_count_open after insert or update or delete on tasks for each row execute function count_open_tasks()');

  await knex.raw(`
    insert into open_task_counts (candidate_groups, center_code, assignee, open_tasks)
    select candidate_groups, center_code, assignee, count(*) from tasks where state = 'open' group by 1, 2, 3`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger tasks_count_open on tasks');
  await knex.raw('drop function count_open_tasks()');
  await knex.raw('drop function bump_open_task_count(jsonb, text, text, integer)');
  await knex.schema.dropTable('open_task_counts');
}
