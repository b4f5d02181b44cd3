import { compileBpmn } from './engine/model/compile';
const H = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Defs">`;
const td = (t: string) => `<bpmn:extensionElements><zeebe:taskDefinition type="${t}"/></bpmn:extensionElements>`;
const xml = `${H}
<bpmn:process id="bad" isExecutable="true">
  <bpmn:extensionElements><zeebe:userTaskForm id="form1"></zeebe:userTaskForm></bpmn:extensionElements>
  <bpmn:startEvent id="s1"/><bpmn:startEvent id="s2"/>
  <bpmn:startEvent id="errStart"><bpmn:errorEventDefinition/></bpmn:startEvent>
  <bpmn:startEvent id="timerStart"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1X</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
  <bpmn:startEvent id="sigStart"><bpmn:signalEventDefinition signalRef="SigFeel"/></bpmn:startEvent>
  <bpmn:startEvent id="sigStart2"><bpmn:signalEventDefinition signalRef="SigFeel"/></bpmn:startEvent>
  <bpmn:dataObjectReference id="dor" dataObjectRef="do"/><bpmn:dataObject id="do"/>
  <bpmn:serviceTask id="svc">
    <bpmn:extensionElements><zeebe:taskDefinition type="x" retries=""/>
      <zeebe:ioMapping><zeebe:input source="=a" target="1abc"/><zeebe:output source="static" target="null"/></zeebe:ioMapping>
      <zeebe:taskHeaders><zeebe:header key="io.camunda.zeebe:formKey" value="v"/><zeebe:header key="d" value="1"/><zeebe:header key="d" value="2"/></zeebe:taskHeaders>
    </bpmn:extensionElements>
    <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics outputCollection="r"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
  </bpmn:serviceTask>
  <bpmn:boundaryEvent id="errB" attachedToRef="svc" cancelActivity="false"><bpmn:errorEventDefinition errorRef="ErrFeel"/></bpmn:boundaryEvent>
  <bpmn:boundaryEvent id="escB" attachedToRef="svc"><bpmn:escalationEventDefinition/></bpmn:boundaryEvent>
  <bpmn:boundaryEvent id="cycB" attachedToRef="svc"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
  <bpmn:boundaryEvent id="m1" attachedToRef="svc"><bpmn:messageEventDefinition messageRef="NoSub"/></bpmn:boundaryEvent>
  <bpmn:boundaryEvent id="m2" attachedToRef="svc"><bpmn:messageEventDefinition messageRef="NoSub"/></bpmn:boundaryEvent>
  <bpmn:sequenceFlow id="fb1" sourceRef="errB" targetRef="end1"/><bpmn:sequenceFlow id="fb2" sourceRef="escB" targetRef="end1"/><bpmn:sequenceFlow id="fb3" sourceRef="cycB" targetRef="end1"/><bpmn:sequenceFlow id="fb4" sourceRef="m1" targetRef="end1"/>
  <bpmn:sequenceFlow id="fc" sourceRef="svc" targetRef="end1"><bpmn:conditionExpression>=true</bpmn:conditionExpression></bpmn:sequenceFlow>
  <bpmn:endEvent id="end1"/>
  <bpmn:sequenceFlow id="fe" sourceRef="end1" targetRef="rt"/>
  <bpmn:receiveTask id="rt"/>
  <bpmn:intermediateCatchEvent id="ic"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  <bpmn:intermediateCatchEvent id="ic2"><bpmn:timerEventDefinition/></bpmn:intermediateCatchEvent>
  <bpmn:eventBasedGateway id="ebg"/>
  <bpmn:sequenceFlow id="fg1" sourceRef="ebg" targetRef="svc"/>
  <bpmn:inclusiveGateway id="ig" default="fi2"/>
  <bpmn:sequenceFlow id="fi0" sourceRef="s1" targetRef="ig"/><bpmn:sequenceFlow id="fi00" sourceRef="s2" targetRef="ig"/>
  <bpmn:sequenceFlow id="fi1" sourceRef="ig" targetRef="end1"/>
  <bpmn:sequenceFlow id="fi2" sourceRef="ig" targetRef="end1"><bpmn:conditionExpression>=x</bpmn:conditionExpression></bpmn:sequenceFlow>
  <bpmn:intermediateThrowEvent id="lt"><bpmn:linkEventDefinition name="nowhere"/></bpmn:intermediateThrowEvent>
  <bpmn:intermediateCatchEvent id="lc1"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateCatchEvent>
  <bpmn:intermediateCatchEvent id="lc2"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateCatchEvent>
  <bpmn:subProcess id="sp"><bpmn:startEvent id="sp1"/><bpmn:startEvent id="sp2"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent><bpmn:task id="inner"/></bpmn:subProcess>
  <bpmn:sequenceFlow id="fx" sourceRef="inner" targetRef="end1"/>
  <bpmn:callActivity id="ca"><bpmn:extensionElements><zeebe:calledElement/></bpmn:extensionElements></bpmn:callActivity>
  <bpmn:scriptTask id="st"><bpmn:extensionElements><zeebe:script expression="static" resultVariable="r"/></bpmn:extensionElements></bpmn:scriptTask>
  <bpmn:businessRuleTask id="brt"><bpmn:extensionElements><zeebe:calledDecision decisionId="d" resultVariable="r"/></bpmn:extensionElements></bpmn:businessRuleTask>
  <bpmn:userTask id="ut"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="a,,b"/><zeebe:taskSchedule dueDate="tomorrow"/></bpmn:extensionElements><bpmn:standardLoopCharacteristics/></bpmn:userTask>
  <bpmn:task id="comp" isForCompensation="true"/>
  <bpmn:endEvent id="errEnd"><bpmn:errorEventDefinition errorRef="NoCode"/></bpmn:endEvent>
  <bpmn:endEvent id="compEnd"><bpmn:compensateEventDefinition/></bpmn:endEvent>
  <bpmn:intermediateThrowEvent id="msgThrow"><bpmn:messageEventDefinition/></bpmn:intermediateThrowEvent>
  <bpmn:transaction id="tx"/>
  <bpmn:subProcess id="esp" triggeredByEvent="true"><bpmn:startEvent id="espStart"/></bpmn:subProcess>
  <bpmn:subProcess id="esp2" triggeredByEvent="true"><bpmn:startEvent id="espStart2" isInterrupting="true"><bpmn:timerEventDefinition><bpmn:timeCycle>=cyc</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent></bpmn:subProcess>
</bpmn:process>
<bpmn:signal id="SigFeel" name="=foo"/>
<bpmn:error id="ErrFeel" errorCode="=code"/>
<bpmn:error id="NoCode"/>
<bpmn:message id="NoSub" name="m"/>
</bpmn:definitions>`;
(async () => {
  try { await compileBpmn('bad.bpmn', xml); console.log('OK?!'); } catch (e) { console.log((e as Error).message); }
})();
