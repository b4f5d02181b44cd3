/** Signals: broadcast to every signal start event of the latest process versions and every open subscription. */
import type { SignalSubscription, Variables } from '../state/entities';
import type { Batch } from './batch';
import { startProcessInstance } from './instances';
import { TENANT } from './recordValues';
import { triggerEvent } from './subscriptions';

export function signalSubscriptionValue(s: SignalSubscription): Record<string, unknown> {
  return {
    signalName: s.signalName,
    processDefinitionKey: s.processDefinitionKey,
    bpmnProcessId: s.bpmnProcessId,
    catchEventId: s.targetElementId,
    catchEventInstanceKey: s.elementInstanceKey,
    tenantId: TENANT,
  };
}

export function broadcastSignal(batch: Batch, signalName: string, variables: Variables): string {
  const key = batch.state.nextKey();
  batch.write('SIGNAL', 'BROADCASTED', key, { signalName, variables, tenantId: TENANT });
  for (const versions of batch.state.versions.values()) {
    const definition = versions[versions.length - 1];
    const model = batch.state.model(definition.key);
    for (const startId of model.signalStartEventIds) {
      const name = model.nodes.get(startId)!.signal!.name;
      if ((name.kind === 'static' ? name.value : name.source) !== signalName) continue;
      startProcessInstance(batch, definition, {}, { startElementIds: [startId], startVariables: variables });
    }
  }
  for (const subscription of batch.state.signalSubscriptionsFor(signalName)) {
    const owner = batch.state.elements.get(subscription.elementInstanceKey);
    if (!owner || owner.state !== 'ACTIVATED' || !batch.state.signalSubscriptions.has(subscription.key)) continue;
    triggerEvent(batch, owner, subscription.targetElementId, variables, subscription.interrupting);
  }
  return key;
}
