import { compileBpmn } from './engine/model/compile';
const H = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Defs">`;
const td = (t: string) => `<bpmn:extensionElements><zeebe:taskDefinition type="${t}"/></bpmn:extensionElements>`;
const xml = `${H}
<bpmn:collaboration id="collab"><bpmn:participant id="pa" processRef="main"/><bpmn:participant id="pb" processRef="customer"/><bpmn:messageFlow id="mf" sourceRef="pb" targetRef="pa"/></bpmn:collaboration>
<bpmn:process id="customer" isExecutable="false"/>
<bpmn:process id="main" isExecutable="true">
  <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="Agent"><bpmn:flowNodeRef>start</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
  <bpmn:startEvent id="start"/>
  <bpmn:startEvent id="tStart"><bpmn:timerEventDefinition><bpmn:timeCycle>0 0 9 * * MON</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
  <bpmn:startEvent id="mStart"><bpmn:messageEventDefinition messageRef="Complaint"/></bpmn:startEvent>
  <bpmn:startEvent id="sStart"><bpmn:signalEventDefinition signalRef="Outage"/></bpmn:startEvent>
  <bpmn:sequenceFlow id="a1" sourceRef="start" targetRef="ebg"/><bpmn:sequenceFlow id="a2" sourceRef="tStart" targetRef="ebg"/><bpmn:sequenceFlow id="a3" sourceRef="mStart" targetRef="ebg"/><bpmn:sequenceFlow id="a4" sourceRef="sStart" targetRef="ebg"/>
  <bpmn:eventBasedGateway id="ebg"/>
  <bpmn:sequenceFlow id="e1" sourceRef="ebg" targetRef="waitMsg"/><bpmn:sequenceFlow id="e2" sourceRef="ebg" targetRef="waitTimer"/><bpmn:sequenceFlow id="e3" sourceRef="ebg" targetRef="waitSignal"/>
  <bpmn:intermediateCatchEvent id="waitMsg"><bpmn:messageEventDefinition messageRef="Reply"/></bpmn:intermediateCatchEvent>
  <bpmn:intermediateCatchEvent id="waitTimer"><bpmn:timerEventDefinition><bpmn:timeDate>=deadline</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  <bpmn:intermediateCatchEvent id="waitSignal"><bpmn:signalEventDefinition signalRef="Outage"/></bpmn:intermediateCatchEvent>
  <bpmn:sequenceFlow id="w1" sourceRef="waitMsg" targetRef="merge"/><bpmn:sequenceFlow id="w2" sourceRef="waitTimer" targetRef="merge"/><bpmn:sequenceFlow id="w3" sourceRef="waitSignal" targetRef="merge"/>
  <bpmn:exclusiveGateway id="merge"/><bpmn:sequenceFlow id="w4" sourceRef="merge" targetRef="fork"/>
  <bpmn:inclusiveGateway id="fork" default="o3"/>
  <bpmn:sequenceFlow id="o1" sourceRef="fork" targetRef="sub"><bpmn:conditionExpression>=vip</bpmn:conditionExpression></bpmn:sequenceFlow>
  <bpmn:sequenceFlow id="o2" sourceRef="fork" targetRef="call"><bpmn:conditionExpression>=escalate</bpmn:conditionExpression></bpmn:sequenceFlow>
  <bpmn:sequenceFlow id="o3" sourceRef="fork" targetRef="linkThrow"/>
  <bpmn:subProcess id="sub">
    <bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=1" target="local"/></zeebe:ioMapping></bpmn:extensionElements>
    <bpmn:startEvent id="subStart"/><bpmn:sequenceFlow id="s1" sourceRef="subStart" targetRef="rt"/>
    <bpmn:receiveTask id="rt" messageRef="Reply"/>
    <bpmn:boundaryEvent id="rtTimeout" attachedToRef="rt"><bpmn:timerEventDefinition><bpmn:timeDuration>PT15M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="s2" sourceRef="rt" targetRef="subEnd"/><bpmn:sequenceFlow id="s3" sourceRef="rtTimeout" targetRef="escEnd"/>
    <bpmn:endEvent id="subEnd"/>
    <bpmn:endEvent id="escEnd"><bpmn:escalationEventDefinition escalationRef="Esc"/></bpmn:endEvent>
    <bpmn:subProcess id="esp" triggeredByEvent="true">
      <bpmn:startEvent id="espStart" isInterrupting="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT5M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:sequenceFlow id="x1" sourceRef="espStart" targetRef="notify"/>
      <bpmn:sendTask id="notify">${td('notify')}</bpmn:sendTask>
      <bpmn:sequenceFlow id="x2" sourceRef="notify" targetRef="espEnd"/><bpmn:endEvent id="espEnd"/>
    </bpmn:subProcess>
  </bpmn:subProcess>
  <bpmn:boundaryEvent id="escCatch" attachedToRef="sub" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="Esc"/></bpmn:boundaryEvent>
  <bpmn:boundaryEvent id="anyError" attachedToRef="sub"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
  <bpmn:sequenceFlow id="b1" sourceRef="escCatch" targetRef="sigEnd"/><bpmn:sequenceFlow id="b2" sourceRef="anyError" targetRef="term"/>
  <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="=childId" propagateAllChildVariables="false"/></bpmn:extensionElements></bpmn:callActivity>
  <bpmn:sequenceFlow id="c1" sourceRef="call" targetRef="errEnd"/>
  <bpmn:intermediateThrowEvent id="linkThrow"><bpmn:linkEventDefinition name="toEnd"/></bpmn:intermediateThrowEvent>
  <bpmn:intermediateCatchEvent id="linkCatch"><bpmn:linkEventDefinition name="toEnd"/></bpmn:intermediateCatchEvent>
  <bpmn:sequenceFlow id="l2" sourceRef="linkCatch" targetRef="join"/><bpmn:sequenceFlow id="m1" sourceRef="sub" targetRef="join"/>
  <bpmn:parallelGateway id="join"/><bpmn:sequenceFlow id="j1" sourceRef="join" targetRef="script"/>
  <bpmn:scriptTask id="script"><bpmn:extensionElements><zeebe:script expression="=a + b" resultVariable="sum"/></bpmn:extensionElements></bpmn:scriptTask>
  <bpmn:sequenceFlow id="j2" sourceRef="script" targetRef="msgEnd"/>
  <bpmn:endEvent id="msgEnd"><bpmn:messageEventDefinition messageRef="Reply"/>${td('publish')}</bpmn:endEvent>
  <bpmn:endEvent id="sigEnd"><bpmn:signalEventDefinition signalRef="Outage"/></bpmn:endEvent>
  <bpmn:endEvent id="term"><bpmn:terminateEventDefinition/></bpmn:endEvent>
  <bpmn:endEvent id="errEnd"><bpmn:errorEventDefinition errorRef="Err"/></bpmn:endEvent>
  <bpmn:association id="as" sourceRef="start" targetRef="ann"/><bpmn:textAnnotation id="ann"/>
  <bpmn:group id="grp"/>
</bpmn:process>
<bpmn:process id="second" isExecutable="true"><bpmn:startEvent id="only"/></bpmn:process>
<bpmn:message id="Complaint" name="complaint"/>
<bpmn:message id="Reply" name="reply"><bpmn:extensionElements><zeebe:subscription correlationKey="=ticketId"/></bpmn:extensionElements></bpmn:message>
<bpmn:signal id="Outage" name="network-outage"/>
<bpmn:escalation id="Esc" escalationCode="SLA"/>
<bpmn:error id="Err" errorCode="=errCode"/>
</bpmn:definitions>`;
(async () => {
  try {
    const r = await compileBpmn('big.bpmn', xml);
    for (const p of r.processes) {
      console.log('PROCESS', p.id, { t: p.timerStartEventIds, m: p.messageStartEventIds, s: p.signalStartEventIds, flows: p.flows.size });
      for (const n of p.nodes.values()) {
        const extra: Record<string, unknown> = {};
        for (const k of ['job','message','signal','error','escalation','link','timer','calledElement','script','attachedToId','defaultFlowId','noneStartEventId'] as const) if ((n as any)[k] !== undefined) extra[k] = (n as any)[k];
        console.log(' ', n.id, n.type, n.eventType, 'scope=' + n.scopeId, 'in=' + n.incoming, 'out=' + n.outgoing, n.interrupting ? '' : 'NON-INT', n.boundaryEventIds.length ? 'b=' + n.boundaryEventIds : '', n.childIds.length ? 'children=' + n.childIds : '', n.eventSubProcessStartEventIds.length ? 'esp=' + n.eventSubProcessStartEventIds : '', JSON.stringify(extra));
      }
    }
  } catch (e) { console.log((e as Error).message); }
})();
