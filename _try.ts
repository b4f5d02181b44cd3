import { compileBpmn } from './engine/model/compile';
const H = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="Defs">`;
const cases: Record<string, string> = {
  service: `${H}<bpmn:process id="svc" name="Svc" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task"/>
    <bpmn:serviceTask id="task" name="Charge"><bpmn:extensionElements>
      <zeebe:taskDefinition type="charge" retries="=5"/>
      <zeebe:ioMapping><zeebe:input source="=amount * 2" target="doubled"/><zeebe:output source="=result" target="out.value"/></zeebe:ioMapping>
      <zeebe:taskHeaders><zeebe:header key="k1" value="v1"/><zeebe:header key="k2" value="v2"/></zeebe:taskHeaders>
    </bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:boundaryEvent id="timeout" attachedToRef="task" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="timeout" targetRef="end"/>
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end"/>
    <bpmn:endEvent id="end"/>
    <bpmn:laneSet id="ls"><bpmn:lane id="lane1"><bpmn:flowNodeRef>task</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:textAnnotation id="note"><bpmn:text>hi</bpmn:text></bpmn:textAnnotation>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="pl" bpmnElement="svc"><bpmndi:BPMNShape id="s1" bpmnElement="task"><dc:Bounds x="1" y="2" width="3" height="4"/></bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`,
  userTask: `${H}<bpmn:process id="ut" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <bpmn:userTask id="review"><bpmn:extensionElements>
      <zeebe:formDefinition formKey="camunda-forms:bpmn:form1"/>
      <zeebe:assignmentDefinition assignee="=initiator" candidateGroups="=[&quot;tier1&quot;, region + &quot;-agents&quot;]" candidateUsers="a, b"/>
      <zeebe:taskSchedule dueDate="=now() + duration(&quot;P1D&quot;)" followUpDate="2024-01-01T10:00:00+08:00"/>
    </bpmn:extensionElements>
    <bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=r"/></bpmn:extensionElements><bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=count(results) &gt; 2</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="gw"/>
    <bpmn:exclusiveGateway id="gw" default="fNo"/>
    <bpmn:sequenceFlow id="fYes" sourceRef="gw" targetRef="end"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=approved</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="fNo" sourceRef="gw" targetRef="end"/>
    <bpmn:endEvent id="end"/>
    <bpmn:subProcess id="esp" triggeredByEvent="true">
      <bpmn:startEvent id="escStart" isInterrupting="false"><bpmn:messageEventDefinition messageRef="Msg"/></bpmn:startEvent>
      <bpmn:sequenceFlow id="e1" sourceRef="escStart" targetRef="escEnd"/>
      <bpmn:endEvent id="escEnd"/>
    </bpmn:subProcess>
  </bpmn:process>
  <bpmn:message id="Msg" name="cancel"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>
</bpmn:definitions>`,
  badCondition: `${H}<bpmn:process id="bc" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw"/>
    <bpmn:exclusiveGateway id="gw"/>
    <bpmn:sequenceFlow id="fa" sourceRef="gw" targetRef="end"><bpmn:conditionExpression>=x &gt;</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="fb" sourceRef="gw" targetRef="end"><bpmn:conditionExpression>true</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="fc" sourceRef="gw" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process></bpmn:definitions>`,
  complexGateway: `${H}<bpmn:process id="cg" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="cgw"/>
    <bpmn:complexGateway id="cgw"/>
    <bpmn:sequenceFlow id="f2" sourceRef="cgw" targetRef="t"/>
    <bpmn:serviceTask id="t"/>
    <bpmn:sequenceFlow id="f3" sourceRef="t" targetRef="ev"/>
    <bpmn:intermediateCatchEvent id="ev"><bpmn:conditionalEventDefinition><bpmn:condition>=x</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>
  </bpmn:process></bpmn:definitions>`,
  malformed: `${H}<bpmn:process id="m" isExecutable="true"><bpmn:startEvent id="s"></bpmn:process></bpmn:definitions>`,
  unknownElement: `${H}<bpmn:process id="u" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:fancyTask id="ft"/></bpmn:process></bpmn:definitions>`,
  noExecutable: `${H}<bpmn:process id="n" isExecutable="false"><bpmn:startEvent id="s"/></bpmn:process></bpmn:definitions>`,
};
(async () => {
  for (const [name, xml] of Object.entries(cases)) {
    try {
      const r = await compileBpmn(`${name}.bpmn`, xml);
      console.log(`== ${name}: OK`);
      for (const p of r.processes) {
        console.log(JSON.stringify({ ...p, nodes: Object.fromEntries(p.nodes), flows: Object.fromEntries(p.flows), root: p.root.id }, null, 1).slice(0, 6000));
      }
    } catch (e) {
      console.log(`== ${name}: ${(e as Error).name}\n${(e as Error).message}`);
    }
  }
})();
