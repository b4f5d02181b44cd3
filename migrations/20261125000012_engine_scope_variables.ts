import type { Knex } from 'knex';

// Engine state written before a scope's variables and the keys they were created under shared one row: then the
// 'variables' row held the values alone and a 'variable-key' row the keys (which the engine no longer reads; it
// refuses to load a kind it does not know). Each scope becomes { values, keys }. In such a database every scope
// with variables has its 'variable-key' row; an empty scope is a bare {}, which the current shape never is.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    update engine_state v
    set value = jsonb_build_object('values', v.value, 'keys', coalesce(k.value, '{}'::jsonb))
    from engine_state s
    left join engine_state k on k.kind = 'variable-key' and k.key = s.key
    where v.kind = 'variables' and s.kind = v.kind and s.key = v.key
      and (k.key is not null or v.value = '{}'::jsonb)`);
  await knex('engine_state').where({ kind: 'variable-key' }).delete();
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    insert into engine_state (kind, key, value)
    select 'variable-key', key, value->'keys' from engine_state where kind = 'variables'`);
  await knex.raw(`update engine_state set value = value->'values' where kind = 'variables'`);
}
