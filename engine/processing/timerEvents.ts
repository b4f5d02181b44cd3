/** Timers falling due: timer start events start instances, the others trigger their catch event. */
import { nextFiring, evaluateTimer } from '../timers';
import type { ProcessDefinition, Timer } from '../state/entities';
import type { Batch } from './batch';
import { startProcessInstance } from './instances';
import { TENANT } from './recordValues';
import { createTimer, triggerEvent } from './subscriptions';

export function timerValue(timer: Timer): Record<string, unknown> {
  return {
    elementInstanceKey: timer.elementInstanceKey,
    processInstanceKey: timer.processInstanceKey,
    processDefinitionKey: timer.processDefinitionKey,
    targetElementId: timer.targetElementId,
    dueDate: timer.dueDate,
    repetitions: timer.repetitions,
    tenantId: TENANT,
  };
}

export function fireTimer(batch: Batch, timerKey: string, due: number): void {
  const timer = batch.state.timers.get(timerKey);
  if (!timer || timer.dueDate !== due || timer.dueDate > batch.now) return;
  batch.state.deleteTimer(timer);
  batch.write('TIMER', 'TRIGGERED', timer.key, timerValue(timer), timer.elementInstanceKey === '-1' ? null : timer.processInstanceKey);
  const next = nextFiring({ dueDate: timer.dueDate, repetitions: timer.repetitions, interval: timer.interval }, batch.now);

  if (timer.elementInstanceKey === '-1') {
    const definition = batch.state.processes.get(timer.processDefinitionKey);
    if (!definition) return;
    if (next) createTimer(batch, undefined, timer.targetElementId, next, definition.key);
    startProcessInstance(batch, definition, {}, { startElementIds: [timer.targetElementId] });
    return;
  }
  const owner = batch.state.elements.get(timer.elementInstanceKey);
  if (!owner || owner.state !== 'ACTIVATED') return;
  const target = batch.state.model(owner.processDefinitionKey).nodes.get(timer.targetElementId)!;
  const interrupting = target.type === 'INTERMEDIATE_CATCH_EVENT' || target.interrupting;
  if (!interrupting && next) createTimer(batch, owner, timer.targetElementId, next);
  triggerEvent(batch, owner, timer.targetElementId, {}, interrupting);
}

/** Timer start events of a process version that became the latest. */
export function openStartTimers(batch: Batch, definition: ProcessDefinition): void {
  const model = batch.state.model(definition.key);
  for (const startId of model.timerStartEventIds) {
    const schedule = evaluateTimer(model.nodes.get(startId)!.timer!, {}, batch.now);
    if (schedule.ok) createTimer(batch, undefined, startId, schedule.value, definition.key);
  }
}

export function closeStartTimers(batch: Batch, definition: ProcessDefinition): void {
  for (const timer of batch.state.timersOf('-1')) {
    if (timer.processDefinitionKey !== definition.key) continue;
    batch.state.deleteTimer(timer);
    batch.write('TIMER', 'CANCELED', timer.key, timerValue(timer));
  }
}
