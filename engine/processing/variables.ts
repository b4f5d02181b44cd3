/**
 * Variable scopes the way Zeebe keeps them: every element instance is a scope whose parent is its flow scope,
 * up to the process instance (a called process does not see its caller's variables). Writing a document
 * "merges" it: each variable is updated in the nearest scope that already has it, or created in the process
 * instance scope.
 */
import type { Batch } from './batch';
import type { ElementInstance, Variables } from '../state/entities';

function instanceOf(batch: Batch, scopeKey: string): ElementInstance {
  const instance = batch.state.elements.get(scopeKey);
  if (!instance) throw new Error(`no element instance ${scopeKey} for variables`);
  return instance;
}

/** All variables visible from a scope, inner scopes shadowing outer ones. */
export function visibleVariables(batch: Batch, scopeKey: string, names?: string[]): Variables {
  const chain: Variables[] = [];
  let key = scopeKey;
  for (;;) {
    const instance = batch.state.elements.get(key);
    const local = batch.state.variables.get(key);
    if (local) chain.push(local.values);
    if (!instance || instance.flowScopeKey === '-1') break;
    key = instance.flowScopeKey;
  }
  const result: Variables = {};
  for (let i = chain.length - 1; i >= 0; i--) Object.assign(result, chain[i]);
  if (!names || names.length === 0) return result;
  const picked: Variables = {};
  for (const name of names) if (name in result) picked[name] = result[name];
  return picked;
}

export function localVariables(batch: Batch, scopeKey: string): Variables {
  return batch.state.variables.get(scopeKey)?.values ?? {};
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

export function setLocalVariable(batch: Batch, scopeKey: string, name: string, value: unknown): void {
  const instance = instanceOf(batch, scopeKey);
  const scope = batch.state.variables.get(scopeKey) ?? { values: {}, keys: {} };
  const exists = Object.prototype.hasOwnProperty.call(scope.values, name);
  if (exists && sameValue(scope.values[name], value)) return;
  scope.values[name] = value;
  const key = exists ? scope.keys[name] : (scope.keys[name] = batch.state.nextKey());
  batch.state.variables.put(scopeKey, scope);
  batch.write(
    'VARIABLE',
    exists ? 'UPDATED' : 'CREATED',
    key,
    {
      name,
      value: JSON.stringify(value ?? null),
      scopeKey,
      processInstanceKey: instance.processInstanceKey,
      processDefinitionKey: instance.processDefinitionKey,
      bpmnProcessId: instance.bpmnProcessId,
      tenantId: '<default>',
    },
    instance.processInstanceKey,
  );
}

export function setLocalVariables(batch: Batch, scopeKey: string, document: Variables): void {
  for (const [name, value] of Object.entries(document)) setLocalVariable(batch, scopeKey, name, value);
}

/** Zeebe's "merge document": update where the variable lives, else create it in the process instance scope. */
export function mergeVariables(batch: Batch, scopeKey: string, document: Variables): void {
  for (const [name, value] of Object.entries(document)) {
    let key = scopeKey;
    let target: string | undefined;
    for (;;) {
      const local = batch.state.variables.get(key);
      if (local && Object.prototype.hasOwnProperty.call(local.values, name)) {
        target = key;
        break;
      }
      const instance = batch.state.elements.get(key);
      if (!instance || instance.flowScopeKey === '-1') break;
      key = instance.flowScopeKey;
    }
    setLocalVariable(batch, target ?? instanceOf(batch, scopeKey).processInstanceKey, name, value);
  }
}
