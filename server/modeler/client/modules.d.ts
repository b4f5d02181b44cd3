// Packages of the bundle that ship without type declarations; only what the client uses is declared.
declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: Record<string, unknown>;
  export const BpmnPropertiesProviderModule: Record<string, unknown>;
  export const ZeebePropertiesProviderModule: Record<string, unknown>;
}
declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud' {
  const behaviorsModule: Record<string, unknown>;
  export default behaviorsModule;
}
declare module 'bpmn-js-bpmnlint' {
  const lintModule: Record<string, unknown>;
  export default lintModule;
}
declare module 'virtual:bpmnlint-config' {
  const bundle: { config: object; resolver: object };
  export default bundle;
}
declare module 'bpmn-js-differ' {
  export interface Changes {
    _added: Record<string, { $type: string; id: string; name?: string }>;
    _removed: Record<string, { $type: string; id: string; name?: string }>;
    _changed: Record<string, { model: { $type: string; id: string; name?: string }; attrs: Record<string, { oldValue: unknown; newValue: unknown }> }>;
    _layoutChanged: Record<string, { $type: string; id: string; name?: string }>;
  }
  export function diff(left: object, right: object): Changes;
}
declare module 'zeebe-bpmn-moddle/resources/zeebe.json' {
  const descriptor: object;
  export default descriptor;
}
