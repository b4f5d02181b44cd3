/**
 * The lint rules every model must pass: bpmnlint's recommended rules and Camunda 8.3 compatibility. The repository's
 * lint (processes/lint.ts) and the modeler's canvas (server/modeler/bundle.ts) both apply this one set.
 */
export const LINT_CONFIG = { extends: ['bpmnlint:recommended', 'plugin:camunda-compat/camunda-cloud-8-3'] };
